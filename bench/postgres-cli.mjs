// revise on PostgreSQL: applying 200 revisions, a no-op `upgrade head`, and
// autogenerate (`check`) against an up-to-date 200-model database.
//   node bench/postgres-cli.mjs     (after `npm run build`; needs PostgreSQL on 127.0.0.1:5432)
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { cli, run, timeRuns, tempProject, generateSchema, repoRoot } from './lib.mjs';

const require = createRequire(join(repoRoot, 'package.json'));
const pg = require('pg');
const admin = process.env.REVISE_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const runs = Number(process.env.BENCH_RUNS ?? 10);

async function withAdmin(sql) {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function revisionFile(i) {
  const id = `b${String(i).padStart(11, '0')}`;
  const down = i === 0 ? 'null' : `'b${String(i - 1).padStart(11, '0')}'`;
  return [
    `${id}_table_${i}.ts`,
    `import type { MigrationOps } from 'prisma-revise';
export const revision = '${id}';
export const downRevision: string | string[] | null = ${down};
export const branchLabels: string[] | null = null;
export const dependsOn: string[] | null = null;
export async function upgrade(op: MigrationOps): Promise<void> {
  await op.createTable({ name: 't${i}', columns: [{ name: 'id', type: 'INTEGER', nullable: false }, { name: 'name', type: 'TEXT', nullable: true }], primaryKey: { name: 't${i}_pkey', columns: ['id'] } });
}
export async function downgrade(op: MigrationOps): Promise<void> {
  await op.dropTable('t${i}');
}
`,
  ];
}

const dbName = `revise_bench_${process.pid}`;
const project = tempProject();
try {
  await withAdmin(`CREATE DATABASE "${dbName}"`);
  const url = admin.replace(/\/[^/?]*(\?|$)/, `/${dbName}$1`);
  const { dir } = project;
  const env = { DATABASE_URL: url };
  mkdirSync(join(dir, 'prisma'));
  writeFileSync(join(dir, 'prisma', 'schema.prisma'), generateSchema(200, 'postgresql'));
  run([cli, 'init'], { cwd: dir, env });
  for (let i = 0; i < 200; i++) {
    const [name, text] = revisionFile(i);
    writeFileSync(join(dir, 'migrations', 'versions', name), text);
  }
  console.log(`revise on PostgreSQL (Node ${process.version})`);
  timeRuns('floor: start Node + open one pg connection', runs, () =>
    run(['-e', `const pg=require(${JSON.stringify(require.resolve('pg'))});const c=new pg.Client({connectionString:process.argv[1]});c.connect().then(()=>c.query('select 1')).then(()=>c.end())`, url], { cwd: dir }).ms,
  );
  const apply = run([cli, 'upgrade', 'head'], { cwd: dir, env });
  console.log(`${'revise upgrade head: apply 200 revisions'.padEnd(58)} ${apply.ms.toFixed(0).padStart(13)} ms   (n=1, ${(apply.ms / 200).toFixed(1)} ms per revision)`);
  timeRuns('revise upgrade head (no-op, 200 revisions applied)', runs, () => run([cli, 'upgrade', 'head'], { cwd: dir, env }).ms);
  const down = run([cli, 'downgrade', 'base'], { cwd: dir, env });
  console.log(`${'revise downgrade base: 200 revisions'.padEnd(58)} ${down.ms.toFixed(0).padStart(13)} ms   (n=1)`);

  // Autogenerate against an up-to-date 200-model database.
  const { rmSync, readdirSync } = await import('node:fs');
  for (const f of readdirSync(join(dir, 'migrations', 'versions'))) rmSync(join(dir, 'migrations', 'versions', f));
  run([cli, 'stamp', 'base', '--purge'], { cwd: dir, env });
  const gen = run([cli, 'autogenerate', '-m', 'two hundred models'], { cwd: dir, env });
  console.log(`${'revise autogenerate, 200 models vs empty database'.padEnd(58)} ${gen.ms.toFixed(0).padStart(13)} ms   (n=1)`);
  const up = run([cli, 'upgrade', 'head'], { cwd: dir, env });
  console.log(`${'revise upgrade head: 200 tables, 199 FKs (one revision)'.padEnd(58)} ${up.ms.toFixed(0).padStart(13)} ms   (n=1)`);
  timeRuns('revise check: 200 models vs up-to-date database', Math.min(runs, 5), () => run([cli, 'check'], { cwd: dir, env }).ms);
} finally {
  project.cleanup();
  await withAdmin(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => undefined);
}
