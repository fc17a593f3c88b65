// `revise import-prisma` figures (after `npm run build`): wall time and peak memory of importing a
// Prisma Migrate history, with and without the confirming replay of each downgrade, each in a fresh process.
//   node bench/import-prisma.mjs <prisma/migrations folder> [schema.prisma]   a real project's history
//   node bench/import-prisma.mjs                                               a synthetic SQLite history
//                                                                              (BENCH_MIGRATIONS=200)
// PostgreSQL histories (migration_lock.toml says so) replay on a temporary database of the server at
// REVISE_TEST_PG_URL (default postgresql://postgres@127.0.0.1:5432/postgres), which revise creates and drops.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './lib.mjs';

const dist = (p) => pathToFileURL(join(repoRoot, 'dist', p)).href;

if (process.argv[2] === '--job') {
  const [, , , cwd, url, verify] = process.argv;
  const { init } = await import(dist('actions/init.js'));
  const { importPrisma } = await import(dist('actions/import-prisma.js'));
  await init({ cwd, out: () => {} });
  const started = process.hrtime.bigint();
  const result = await importPrisma({ cwd, url, verify: verify === 'verify', out: () => {}, log: () => {} });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const unverified = result.imported.filter((r) => r.unverified).length;
  console.log(JSON.stringify({ ms, migrations: result.imported.length, unverified, maxRss: process.resourceUsage().maxRSS * 1024 }));
  process.exit(0);
}

/** A history of `n` migrations as Prisma writes them on SQLite: tables, columns, indexes, table redefinitions. */
function syntheticHistory(dir, n) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'migration_lock.toml'), 'provider = "sqlite"\n');
  for (let i = 1; i <= n; i++) {
    const sql = [`-- CreateTable\nCREATE TABLE "T${i}" (\n    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n    "name" TEXT NOT NULL,\n    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP\n);`];
    if (i > 1) {
      sql.push(`-- AlterTable\nALTER TABLE "T${i - 1}" ADD COLUMN "note" TEXT;`);
      sql.push(`-- CreateIndex\nCREATE INDEX "T${i - 1}_name_idx" ON "T${i - 1}"("name");`);
    }
    if (i > 2) {
      const t = `T${i - 2}`;
      sql.push(
        `-- RedefineTables\nPRAGMA defer_foreign_keys=ON;\nPRAGMA foreign_keys=OFF;\nCREATE TABLE "new_${t}" (\n    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n    "name" TEXT NOT NULL,\n    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP\n);\n` +
          `INSERT INTO "new_${t}" ("createdAt", "id", "name") SELECT "createdAt", "id", "name" FROM "${t}";\nDROP TABLE "${t}";\nALTER TABLE "new_${t}" RENAME TO "${t}";\n` +
          `CREATE INDEX "${t}_name_idx" ON "${t}"("name");\nPRAGMA foreign_keys=ON;\nPRAGMA defer_foreign_keys=OFF;`,
      );
    }
    const folder = join(dir, `2024${String(i).padStart(10, '0')}_step_${i}`);
    mkdirSync(folder);
    writeFileSync(join(folder, 'migration.sql'), sql.join('\n\n') + '\n');
  }
}

const source = process.argv[2] ? resolve(process.argv[2]) : undefined;
const schema = process.argv[3] ? resolve(process.argv[3]) : undefined;
const work = mkdtempSync(join(tmpdir(), 'revise-bench-import-'));
try {
  const migrations = join(work, 'prisma', 'migrations');
  if (source) cpSync(source, migrations, { recursive: true });
  else syntheticHistory(migrations, Number(process.env.BENCH_MIGRATIONS ?? 200));
  const lock = join(migrations, 'migration_lock.toml');
  const provider = existsSync(lock) ? (/provider\s*=\s*"(\w+)"/.exec(readFileSync(lock, 'utf8'))?.[1] ?? 'postgresql') : 'postgresql';
  const url = provider === 'sqlite' ? `file:${join(work, 'app.db')}` : (process.env.REVISE_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
  const count = readdirSync(migrations, { withFileTypes: true }).filter((e) => e.isDirectory()).length;
  console.log(`import-prisma: ${count} migrations (${source ?? 'synthetic'}), ${provider}`);
  for (const verify of ['verify', 'no-verify']) {
    const project = join(work, verify);
    mkdirSync(join(project, 'prisma'), { recursive: true });
    cpSync(migrations, join(project, 'prisma', 'migrations'), { recursive: true });
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'bench', private: true, type: 'module' }));
    if (schema) cpSync(schema, join(project, 'prisma', 'schema.prisma'));
    mkdirSync(join(project, 'node_modules'));
    symlinkSync(repoRoot, join(project, 'node_modules', 'prisma-revise'), 'dir');
    const res = spawnSync(process.execPath, [join(repoRoot, 'bench', 'import-prisma.mjs'), '--job', project, url, verify], { encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`import failed: ${res.stderr}`);
    const r = JSON.parse(res.stdout.trim().split('\n').at(-1));
    console.log(
      `  ${verify === 'verify' ? 'import (each downgrade confirmed)' : 'import --no-verify'}`.padEnd(40) +
        `${(r.ms / 1000).toFixed(2).padStart(7)} s   ${(r.ms / r.migrations).toFixed(0).padStart(4)} ms/migration   peak RSS ${(r.maxRss / 2 ** 20).toFixed(0)} MiB` +
        (r.unverified ? `   (${r.unverified} not confirmed)` : ''),
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
