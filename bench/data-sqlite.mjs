// Data-migration figures on SQLite, 1,000,000 rows (after `npm run build`):
//   node bench/data-sqlite.mjs              (BENCH_ROWS=..., BENCH_RUNS=... to change)
//
// 1. Table rebuild: `op.batchAlterTable` with an alterColumn (SQLite's
//    copy-and-move through the dialect's rebuild path: introspect, compile,
//    CREATE new / INSERT ... SELECT / DROP / RENAME) against the plain
//    `INSERT INTO new SELECT ... FROM old` it stands on. Target: within 1.3x.
// 2. Back-fill: `op.batched` (keyset chunks of 5,000 through the typed Kysely
//    handle) against one `UPDATE`. Target: within 2x, with peak RSS / heap
//    flat (a naive "load every id, then update" is shown for contrast).
//
// Every measurement runs in its own child process on its own copy of the
// database, so peak RSS (`maxRSS`) belongs to that one job.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { repoRoot } from './lib.mjs';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const dist = (p) => pathToFileURL(join(repoRoot, 'dist', p)).href;

const COLUMNS = `"id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "name" TEXT NOT NULL, "email" TEXT, "score" REAL NOT NULL DEFAULT 0, "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, "code" TEXT`;
const NAMES = '"id", "name", "email", "score", "createdAt", "code"';

// ---------------------------------------------------------------------------
// Child jobs: one measurement each, printed as JSON.

async function job(kind, file) {
  const Database = (await import('better-sqlite3')).default;
  const { sqliteDialect } = await import(dist('dialect/sqlite/index.js'));
  const { createOps } = await import(dist('runtime/executor.js'));
  let heapPeak = process.memoryUsage().heapUsed;
  const sample = () => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed));
  const started = process.hrtime.bigint();

  if (kind === 'plain-copy' || kind === 'plain-rebuild') {
    const db = new Database(file);
    db.exec('PRAGMA foreign_keys = OFF; BEGIN IMMEDIATE');
    db.exec(`CREATE TABLE "new_t" (${COLUMNS.replace('"email" TEXT', '"email" TEXT NOT NULL')})`);
    const t0 = process.hrtime.bigint();
    db.exec(`INSERT INTO "new_t" (${NAMES}) SELECT ${NAMES} FROM "t"`);
    const copyMs = Number(process.hrtime.bigint() - t0) / 1e6;
    if (kind === 'plain-rebuild') db.exec('DROP TABLE "t"; ALTER TABLE "new_t" RENAME TO "t"');
    db.exec('COMMIT');
    db.close();
    return { ms: kind === 'plain-copy' ? copyMs : Number(process.hrtime.bigint() - started) / 1e6 };
  }

  const connection = await sqliteDialect.connect(`file:${file}`);
  await sqliteDialect.prepareForMigration(connection);
  await connection.begin();
  const op = createOps({ dialect: sqliteDialect, connection, progress: { isTTY: false, write() {} } });

  if (kind === 'batch-rebuild') {
    await op.batchAlterTable('t', (batch) => batch.alterColumn('email', { nullable: false, existing: { type: 'TEXT', nullable: true } }));
  } else if (kind === 'single-update') {
    await op.execute(`UPDATE "t" SET "code" = 'item-' || "id"`);
  } else if (kind === 'batched') {
    const db = op.data();
    const result = await op.batched({ table: 't', key: 'id', size: 5000 }, async (chunk) => {
      await db
        .updateTable('t')
        .set((eb) => ({ code: eb(eb.val('item-'), '||', eb.ref('id')) }))
        .where(chunk.where)
        .execute();
      sample();
    });
    if (result.rows !== ROWS) throw new Error(`batched walked ${result.rows} rows`);
  } else if (kind === 'naive') {
    // For contrast: every key in memory first, then chunked updates.
    const ids = (await op.query('SELECT "id" FROM "t" ORDER BY "id"')).map((r) => r.id);
    sample();
    for (let i = 0; i < ids.length; i += 5000) {
      await op.execute(`UPDATE "t" SET "code" = 'item-' || "id" WHERE "id" BETWEEN ? AND ?`, [ids[i], ids[Math.min(i + 4999, ids.length - 1)]]);
    }
    sample();
  }
  await sqliteDialect.beforeCommit(connection);
  await connection.commit();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (kind !== 'batch-rebuild') {
    const check = await connection.query(`SELECT count(*) AS n FROM "t" WHERE "code" = 'item-' || "id"`);
    if (check[0].n !== ROWS) throw new Error(`${kind}: ${check[0].n} rows back-filled`);
  } else {
    const info = await connection.query(`SELECT "notnull" FROM pragma_table_info('t') WHERE name = 'email'`);
    const count = await connection.query('SELECT count(*) AS n FROM "t"');
    if (info[0].notnull !== 1 || count[0].n !== ROWS) throw new Error('batch rebuild did not produce the table');
  }
  await connection.close();
  sample();
  return { ms, heapPeak };
}

if (process.argv[2] === '--job') {
  const result = await job(process.argv[3], process.argv[4]);
  console.log(JSON.stringify({ ...result, maxRss: process.resourceUsage().maxRSS * 1024 }));
  process.exit(0);
}

// ---------------------------------------------------------------------------
// Driver.

if (!existsSync(join(repoRoot, 'dist', 'data', 'batched.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'revise-bench-data-'));
const master = join(dir, 'master.db');
try {
  const Database = (await import('better-sqlite3')).default;
  const db = new Database(master);
  db.pragma('journal_mode = DELETE');
  db.exec(`CREATE TABLE "t" (${COLUMNS})`);
  db.exec(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS}) ` +
      `INSERT INTO "t" ("name", "email", "score") SELECT 'user ' || i, 'user' || i || '@example.com', i * 0.5 FROM n`,
  );
  db.close();

  const self = fileURLToPath(import.meta.url);
  // Rounds interleave the jobs (A B C, A B C, ...) so machine noise hits them alike; medians are compared.
  const measureAll = (kinds) => {
    const results = Object.fromEntries(kinds.map((k) => [k, []]));
    for (let r = 0; r < RUNS; r++) {
      for (const kind of kinds) {
        const file = join(dir, `${kind}-${r}.db`);
        copyFileSync(master, file);
        const run = spawnSync(process.execPath, [self, '--job', kind, file], { encoding: 'utf8' });
        rmSync(file, { force: true });
        if (run.status !== 0) throw new Error(`${kind} failed: ${run.stderr}`);
        results[kind].push(JSON.parse(run.stdout.trim().split('\n').at(-1)));
      }
    }
    return Object.fromEntries(
      kinds.map((k) => {
        const list = results[k].sort((a, b) => a.ms - b.ms);
        return [k, { ...list[Math.floor(list.length / 2)], min: list[0].ms, maxRss: Math.max(...list.map((x) => x.maxRss)) }];
      }),
    );
  };
  const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
  const line = (label, r, extra = '') =>
    console.log(
      `${label.padEnd(60)} ${r.ms.toFixed(0).padStart(6)} ms (min ${r.min.toFixed(0).padStart(5)})   peak RSS ${mb(r.maxRss).padStart(7)}${r.heapPeak ? `   peak heap ${mb(r.heapPeak).padStart(6)}` : ''}${extra}`,
    );

  console.log(`SQLite data migrations, ${ROWS.toLocaleString('en-US')} rows (Node ${process.version}, median of ${RUNS} interleaved runs, each in a fresh process)`);
  console.log('\n1. Table rebuild (alter column -> NOT NULL)');
  const rebuild = measureAll(['plain-copy', 'plain-rebuild', 'batch-rebuild']);
  const copy = rebuild['plain-copy'];
  const plain = rebuild['plain-rebuild'];
  const batch = rebuild['batch-rebuild'];
  line('plain INSERT INTO new SELECT ... FROM old (the copy alone)', copy);
  line('plain rebuild: CREATE new, INSERT ... SELECT, DROP, RENAME', plain);
  line('op.batchAlterTable(alterColumn) through the SQLite dialect', batch);
  console.log(`   batch mode = ${(batch.ms / copy.ms).toFixed(2)}x the copy alone, ${(batch.ms / plain.ms).toFixed(2)}x the plain rebuild (target <= 1.3x)`);

  console.log('\n2. Back-fill of a column on every row');
  const fill = measureAll(['single-update', 'batched', 'naive']);
  line('one UPDATE t SET code = ... (op.execute)', fill['single-update']);
  line('op.batched, 5,000-row keyset chunks, typed Kysely UPDATE', fill.batched);
  line(`contrast: load all ${ROWS.toLocaleString('en-US')} ids into JS, then chunked UPDATEs`, fill.naive);
  console.log(`   batched = ${(fill.batched.ms / fill['single-update'].ms).toFixed(2)}x one UPDATE (target <= 2x)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
