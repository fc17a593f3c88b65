// SQLite table rebuilds in a database that holds rows: what the foreign key check before each commit costs.
//   node bench/rebuild-populated.mjs        (after `npm run build`)
// Env: BENCH_TABLES (default 20), BENCH_ROWS (rows per table, default 20000), BENCH_REBUILDS (default 20),
//      BENCH_RUNS (default 5).
//
// A chain of tables t0 <- t1 <- ... (each row's key points at the previous table) filled with rows by the
// first revision, then BENCH_REBUILDS revisions that each rebuild the last table in one batch from its frozen
// shape (a nullability flip, as autogenerate writes it). Upgrade from that first revision to head and
// downgrade back, each in a fresh process, against the floor: the same statements (`--sql`) in one
// transaction with no check at all. The check revise runs before each commit looks at the rebuilt table and
// the tables whose keys reference it, so it costs what those hold, not the whole database.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, repoRoot, run, tempProject } from './lib.mjs';

const tables = Number(process.env.BENCH_TABLES ?? 20);
const rows = Number(process.env.BENCH_ROWS ?? 20000);
const rebuilds = Number(process.env.BENCH_REBUILDS ?? 20);
const runs = Number(process.env.BENCH_RUNS ?? 5);
const leaf = `t${tables - 1}`;

const column = (name, type, nullable) => ({ name, type, nullable });
const leafShape = (noteNullable) => ({
  name: leaf,
  columns: [column('id', 'INTEGER', false), column('pId', 'INTEGER', true), column('note', 'TEXT', noteNullable)],
  primaryKey: { columns: ['id'] },
  indexes: [],
  foreignKeys: tables > 1 ? [{ name: `${leaf}_pId_fkey`, columns: ['pId'], referencedTable: `t${tables - 2}`, referencedColumns: ['id'], onDelete: 'SET NULL', onUpdate: 'CASCADE' }] : [],
});

function writeProject(dir) {
  const versions = join(dir, 'migrations', 'versions');
  mkdirSync(versions, { recursive: true });
  const file = (i, up, down) =>
    writeFileSync(
      join(versions, `r${String(i).padStart(4, '0')}_step.ts`),
      `export const revision = 'r${i}';\nexport const downRevision = ${i === 0 ? 'null' : `'r${i - 1}'`};\n` +
        `export async function upgrade(op: any) {\n${up}\n}\nexport async function downgrade(op: any) {\n${down}\n}\n`,
    );
  let up = '';
  let down = '';
  for (let t = 0; t < tables; t++) {
    const fk = t > 0 ? `, foreignKeys: [{ name: 't${t}_pId_fkey', columns: ['pId'], referencedTable: 't${t - 1}', referencedColumns: ['id'], onDelete: 'SET NULL', onUpdate: 'CASCADE' }]` : '';
    const fill = `WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < ${rows}) INSERT INTO "t${t}" ("id", "pId", "note") SELECT x, ${t > 0 ? 'x' : 'NULL'}, 'n' FROM n`;
    up += `  await op.createTable(${JSON.stringify({ name: `t${t}`, columns: [column('id', 'INTEGER', false), column('pId', 'INTEGER', true), column('note', 'TEXT', true)], primaryKey: { columns: ['id'] } }).slice(0, -1)}${fk} });\n`;
    up += `  await op.execute(${JSON.stringify(fill)});\n`;
    down = `  await op.dropTable('t${t}');\n${down}`;
  }
  file(0, up, down);
  for (let i = 1; i <= rebuilds; i++) {
    // Odd revisions make "note" NOT NULL, even ones nullable again.
    const step = (from, to) =>
      `  await op.batchAlterTable('${leaf}', (batch) => { batch.alterColumn('note', { nullable: ${to}, existing: { type: 'TEXT', nullable: ${from} } }); }, { shape: ${JSON.stringify(leafShape(from))} });`;
    const before = i % 2 === 1;
    file(i, step(before, !before), step(!before, before));
  }
}

const floorScript = `
const { readFileSync } = require('node:fs');
const [file, script] = process.argv.slice(2);
const D = require(${JSON.stringify(join(repoRoot, 'node_modules', 'better-sqlite3'))});
const db = new D(file);
db.pragma('foreign_keys = OFF');
db.exec('BEGIN IMMEDIATE');
for (const chunk of readFileSync(script, 'utf8').split(/;\\n\\n/)) {
  const sql = chunk.split('\\n').filter((l) => !l.startsWith('--')).join('\\n').trim().replace(/;$/, '');
  if (sql === '' || /^(BEGIN|COMMIT|PRAGMA foreign_keys=OFF)$/i.test(sql)) continue;
  db.exec(sql);
}
db.exec('COMMIT');
db.close();
`;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const project = tempProject('revise-bench-rebuild-populated-');
try {
  const { dir } = project;
  writeProject(dir);
  const db = join(dir, 'app.db');
  const url = `file:${db}`;
  const revise = (...args) => run([cli, ...args], { cwd: dir, env: { DATABASE_URL: url } });
  revise('upgrade', 'r0');
  copyFileSync(db, join(dir, 'filled.db'));
  const upScript = revise('upgrade', 'r0:head', '--sql').stdout;
  writeFileSync(join(dir, 'up.sql'), upScript);
  revise('upgrade', 'head');
  copyFileSync(db, join(dir, 'head.db'));
  writeFileSync(join(dir, 'down.sql'), revise('downgrade', 'head:r0', '--sql').stdout);
  writeFileSync(join(dir, 'floor.cjs'), floorScript);

  const times = { revise: { up: [], down: [] }, floor: { up: [], down: [] } };
  for (let r = 0; r < runs; r++) {
    for (const direction of ['up', 'down']) {
      const start = direction === 'up' ? 'filled.db' : 'head.db';
      for (const suffix of ['-journal']) rmSync(db + suffix, { force: true });
      copyFileSync(join(dir, start), db);
      times.revise[direction].push(direction === 'up' ? revise('upgrade', 'head').ms : revise('downgrade', 'r0').ms);
      copyFileSync(join(dir, start), db);
      times.floor[direction].push(run([join(dir, 'floor.cjs'), db, join(dir, `${direction}.sql`)], { cwd: dir }).ms);
    }
  }
  const size = (readFileSync(join(dir, 'filled.db')).length / 1e6).toFixed(0);
  console.log(`SQLite rebuilds in a filled database: ${tables} tables x ${rows} rows (${size} MB), ${rebuilds} rebuilds of ${leaf}; median of ${runs}`);
  for (const direction of ['up', 'down']) {
    const [a, b] = [median(times.revise[direction]), median(times.floor[direction])];
    console.log(`${(direction === 'up' ? 'upgrade' : 'downgrade').padEnd(10)} revise ${a.toFixed(0).padStart(6)} ms   floor (no check) ${b.toFixed(0).padStart(6)} ms   ${(a / b).toFixed(2)}x`);
  }
} finally {
  project.cleanup();
}
