// revise on MySQL / MariaDB: applying 200 revisions (each DDL statement
// journalled in revise_progress, MySQL DDL being non-transactional), a no-op
// `upgrade head`, downgrade base, and autogenerate / `check` against an
// up-to-date 200-model database.
//   node bench/mysql-cli.mjs     (after `npm run build`; server from
//   REVISE_TEST_MYSQL_URL or mysql://root@127.0.0.1:3306/test; BENCH_RUNS=...)
import { writeFileSync, mkdirSync, rmSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { cli, run, timeRuns, tempProject, generateSchema, repoRoot } from './lib.mjs';

const require = createRequire(join(repoRoot, 'package.json'));
const mysql = require('mysql2/promise');
const admin = new URL(process.env.REVISE_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test');
const runs = Number(process.env.BENCH_RUNS ?? 10);

async function withAdmin(sql) {
  const client = await mysql.createConnection({
    host: admin.hostname,
    port: Number(admin.port || 3306),
    user: decodeURIComponent(admin.username || 'root'),
    password: decodeURIComponent(admin.password),
    connectTimeout: 3000,
  });
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
  await op.createTable({ name: 't${i}', columns: [{ name: 'id', type: 'INTEGER', nullable: false }, { name: 'name', type: 'VARCHAR(191)', nullable: true }], primaryKey: { columns: ['id'] } });
}
export async function downgrade(op: MigrationOps): Promise<void> {
  await op.dropTable('t${i}');
}
`,
  ];
}

try {
  await withAdmin('SELECT 1');
} catch (error) {
  console.error(`MySQL bench skipped: no server at ${admin.host} (${error.message})`);
  process.exit(0);
}
const dbName = `revise_bench_${process.pid}`;
const project = tempProject();
try {
  await withAdmin(`CREATE DATABASE \`${dbName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const url = new URL(admin);
  url.pathname = `/${dbName}`;
  const { dir } = project;
  const env = { DATABASE_URL: url.toString() };
  mkdirSync(join(dir, 'prisma'));
  writeFileSync(join(dir, 'prisma', 'schema.prisma'), generateSchema(200, 'mysql'));
  run([cli, 'init'], { cwd: dir, env });
  for (let i = 0; i < 200; i++) {
    const [name, text] = revisionFile(i);
    writeFileSync(join(dir, 'migrations', 'versions', name), text);
  }
  const server = (await (async () => {
    const c = await mysql.createConnection({ host: admin.hostname, port: Number(admin.port || 3306), user: decodeURIComponent(admin.username || 'root'), password: decodeURIComponent(admin.password) });
    const [rows] = await c.query('SELECT VERSION() AS v');
    await c.end();
    return rows[0].v;
  })());
  console.log(`revise on MySQL ${server} (Node ${process.version})`);
  timeRuns('floor: start Node + open one mysql2 connection', runs, () =>
    run(['-e', `const m=require(${JSON.stringify(require.resolve('mysql2/promise'))});m.createConnection(process.argv[1]).then(async c=>{await c.query('select 1');await c.end()})`, url.toString()], { cwd: dir }).ms,
  );
  const apply = run([cli, 'upgrade', 'head'], { cwd: dir, env });
  console.log(`${'revise upgrade head: apply 200 revisions'.padEnd(58)} ${apply.ms.toFixed(0).padStart(13)} ms   (n=1, ${(apply.ms / 200).toFixed(1)} ms per revision)`);
  timeRuns('revise upgrade head (no-op, 200 revisions applied)', runs, () => run([cli, 'upgrade', 'head'], { cwd: dir, env }).ms);
  const down = run([cli, 'downgrade', 'base'], { cwd: dir, env });
  console.log(`${'revise downgrade base: 200 revisions'.padEnd(58)} ${down.ms.toFixed(0).padStart(13)} ms   (n=1)`);

  for (const f of readdirSync(join(dir, 'migrations', 'versions'))) rmSync(join(dir, 'migrations', 'versions', f));
  run([cli, 'stamp', 'base', '--purge'], { cwd: dir, env });
  const gen = run([cli, 'autogenerate', '-m', 'two hundred models'], { cwd: dir, env });
  console.log(`${'revise autogenerate, 200 models vs empty database'.padEnd(58)} ${gen.ms.toFixed(0).padStart(13)} ms   (n=1)`);
  const up = run([cli, 'upgrade', 'head'], { cwd: dir, env });
  console.log(`${'revise upgrade head: 200 tables, 199 FKs (one revision)'.padEnd(58)} ${up.ms.toFixed(0).padStart(13)} ms   (n=1)`);
  timeRuns('revise check: 200 models vs up-to-date database', Math.min(runs, 5), () => run([cli, 'check'], { cwd: dir, env }).ms);
} finally {
  project.cleanup();
  await withAdmin(`DROP DATABASE IF EXISTS \`${dbName}\``).catch(() => undefined);
}
