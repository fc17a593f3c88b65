// Applying long revision chains: revise against the raw-SQL floor and Alembic.
//   node bench/apply-chain.mjs        (after `npm run build`)
// Env: BENCH_RUNS (default 3; runs of chains longer than 1,000: BENCH_RUNS_LONG, default 1),
//      BENCH_SIZES (default "1000,5000"), BENCH_DIALECTS (default "sqlite,postgres"),
//      BENCH_VARIANTS (default "columns,tables,rebuild"), BENCH_ALEMBIC (default 1; 0 skips it),
//      BENCH_PG_URL (default postgresql://postgres@127.0.0.1:5432/postgres),
//      ALEMBIC_PYTHON (default /usr/bin/python3, which must have alembic and psycopg2).
//
// Chains (N revisions each, written as revise TypeScript files and as an Alembic project):
//   columns  every revision adds a nullable column to one table (a new table every 1,000
//            revisions, as SQLite and PostgreSQL cap a table's columns);
//   tables   every revision creates a table with an index and a foreign key to the previous one;
//   rebuild  (SQLite) every revision changes two columns of one 100-row table (a type and a
//            nullability) in one batch with its frozen shape, as autogenerate writes it: one rebuild.
// Each tool upgrades a fresh database from empty to head, then downgrades it to base, each in a
// fresh process; medians, peak RSS (/usr/bin/time) of the upgrade.
// The floor runs the very statements `revise upgrade head --sql` / `downgrade head:base --sql`
// print, with the version updates, on one connection in one Node process: SQLite in one
// transaction (revise's default there: a savepoint per revision, one commit), PostgreSQL with one
// commit per revision.
// On SQLite a "checked" floor is timed too: the same statements with what revise must do per revision
// besides them (savepoint, version row with bound parameters, foreign_key_check of the revision's
// tables, a progress line on stderr), to show what the guarantees themselves cost.
// Targets: SQLite within 2x of the floor, PostgreSQL within 1.3x, both faster than Alembic.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { repoRoot, tempProject } from './lib.mjs';

const require = createRequire(import.meta.url);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const longRuns = Number(process.env.BENCH_RUNS_LONG ?? 1);
const sizes = (process.env.BENCH_SIZES ?? '1000,5000').split(',').map(Number);
const dialects = (process.env.BENCH_DIALECTS ?? 'sqlite,postgres').split(',');
const variants = (process.env.BENCH_VARIANTS ?? 'columns,tables,rebuild').split(',');
const python = process.env.ALEMBIC_PYTHON ?? '/usr/bin/python3';
const pgAdminUrl = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

// A snapshot of the built CLI, so a rebuild of dist/ while the bench runs cannot break or skew it.
const snapshot = tempProject('revise-bench-cli-');
for (const entry of ['bin', 'dist', 'package.json', 'oclif.manifest.json']) cpSync(join(repoRoot, entry), join(snapshot.dir, entry), { recursive: true });
rmSync(join(snapshot.dir, 'node_modules'), { recursive: true, force: true });
symlinkSync(join(repoRoot, 'node_modules'), join(snapshot.dir, 'node_modules'), 'dir');
const cli = join(snapshot.dir, 'bin', 'run.js');
process.on('exit', () => snapshot.cleanup());

/** Run a command; wall time in ms and (with /usr/bin/time) peak RSS in MB. */
function time(command, args, { cwd, env = {} } = {}) {
  const rssFile = join(snapshot.dir, 'rss.txt');
  const [cmd, argv] = timeBin ? [timeBin, ['-f', '%M', '-o', rssFile, command, ...args]] : [command, args];
  const started = process.hrtime.bigint();
  const res = spawnSync(cmd, argv, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (res.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${res.status}: ${res.stderr.slice(0, 2000)}`);
  const rssMb = timeBin ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024 : NaN;
  return { ms, rssMb, stdout: res.stdout };
}

const id = (i) => createHash('sha1').update(`rev${i}`).digest('hex').slice(0, 12);
const COLUMNS_PER_TABLE = 1000;
const REBUILD_ROWS = 100;

/** The rebuild chain's table after `i` revisions: column a flips INTEGER/TEXT, b flips nullable. */
function rebuildShape(i) {
  const odd = i % 2 === 1;
  return {
    name: 'r',
    columns: [
      { name: 'id', type: 'INTEGER', nullable: false },
      { name: 'a', type: odd ? 'TEXT' : 'INTEGER', nullable: true },
      { name: 'b', type: 'TEXT', nullable: !odd },
      { name: 'pId', type: 'INTEGER', nullable: true },
    ],
    primaryKey: { columns: ['id'] },
    indexes: [{ name: 'r_a_idx', columns: [{ name: 'a' }], unique: false }],
    foreignKeys: [{ name: 'r_pId_fkey', columns: ['pId'], referencedTable: 'p', referencedColumns: ['id'], onDelete: 'SET NULL', onUpdate: 'CASCADE' }],
  };
}

const fill = `WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < ${REBUILD_ROWS}) INSERT INTO "r" ("id", "a", "b") SELECT x, x, 'v' FROM n`;

/** [upgrade body, downgrade body] of revision i, as revise TypeScript. */
function reviseBodies(variant, i) {
  const j = (v) => JSON.stringify(v);
  if (variant === 'columns') {
    const table = `t${Math.floor(i / COLUMNS_PER_TABLE)}`;
    if (i % COLUMNS_PER_TABLE === 0) {
      return [`await op.createTable({ name: '${table}', columns: [{ name: 'id', type: 'INTEGER', nullable: false }], primaryKey: { columns: ['id'] } });`, `await op.dropTable('${table}');`];
    }
    return [`await op.addColumn('${table}', { name: 'c${i}', type: 'TEXT', nullable: true });`, `await op.dropColumn('${table}', 'c${i}');`];
  }
  if (variant === 'tables') {
    const fk = i > 0 ? `, foreignKeys: [{ name: 't${i}_parentId_fkey', columns: ['parentId'], referencedTable: 't${i - 1}', referencedColumns: ['id'], onDelete: 'SET NULL', onUpdate: 'CASCADE' }]` : '';
    return [
      `await op.createTable({ name: 't${i}', columns: [{ name: 'id', type: 'INTEGER', nullable: false }, { name: 'name', type: 'TEXT', nullable: false }, { name: 'parentId', type: 'INTEGER', nullable: true }], primaryKey: { columns: ['id'] }${fk} });\n  await op.createIndex('t${i}', { name: 't${i}_name_idx', columns: ['name'] });`,
      `await op.dropIndex('t${i}', 't${i}_name_idx');\n  await op.dropTable('t${i}');`,
    ];
  }
  // rebuild
  if (i === 0) {
    return [
      `await op.createTable({ name: 'p', columns: [{ name: 'id', type: 'INTEGER', nullable: false }], primaryKey: { columns: ['id'] } });\n  await op.createTable(${j({ ...rebuildShape(0), indexes: undefined })});\n  await op.createIndex('r', { name: 'r_a_idx', columns: ['a'] });\n  await op.execute(${j(fill)});`,
      `await op.dropTable('r');\n  await op.dropTable('p');`,
    ];
  }
  const before = rebuildShape(i - 1);
  const after = rebuildShape(i);
  const a = (from, to) => `batch.alterColumn('a', { type: '${to.columns[1].type}', existing: { type: '${from.columns[1].type}', nullable: true } });`;
  const b = (from, to) => `batch.alterColumn('b', { nullable: ${to.columns[2].nullable}, existing: { type: 'TEXT', nullable: ${from.columns[2].nullable} } });`;
  return [
    `await op.batchAlterTable('r', (batch) => {\n    ${a(before, after)}\n    ${b(before, after)}\n  }, { shape: ${j(before)} });`,
    `await op.batchAlterTable('r', (batch) => {\n    ${a(after, before)}\n    ${b(after, before)}\n  }, { shape: ${j(after)} });`,
  ];
}

/** [upgrade body, downgrade body] of revision i, as Alembic Python. */
function alembicBodies(variant, i) {
  if (variant === 'columns') {
    const table = `t${Math.floor(i / COLUMNS_PER_TABLE)}`;
    if (i % COLUMNS_PER_TABLE === 0) return [`op.create_table("${table}", sa.Column("id", sa.Integer(), autoincrement=False, nullable=False), sa.PrimaryKeyConstraint("id"))`, `op.drop_table("${table}")`];
    return [`op.add_column("${table}", sa.Column("c${i}", sa.Text(), nullable=True))`, `op.drop_column("${table}", "c${i}")`];
  }
  if (variant === 'tables') {
    const fk = i > 0 ? `, sa.ForeignKeyConstraint(["parentId"], ["t${i - 1}.id"], name="t${i}_parentId_fkey", ondelete="SET NULL", onupdate="CASCADE")` : '';
    return [
      `op.create_table("t${i}", sa.Column("id", sa.Integer(), autoincrement=False, nullable=False), sa.Column("name", sa.Text(), nullable=False), sa.Column("parentId", sa.Integer(), nullable=True), sa.PrimaryKeyConstraint("id")${fk})\n    op.create_index("t${i}_name_idx", "t${i}", ["name"])`,
      `op.drop_index("t${i}_name_idx", table_name="t${i}")\n    op.drop_table("t${i}")`,
    ];
  }
  if (i === 0) {
    return [
      `op.create_table("p", sa.Column("id", sa.Integer(), autoincrement=False, nullable=False), sa.PrimaryKeyConstraint("id"))\n    op.create_table("r", sa.Column("id", sa.Integer(), autoincrement=False, nullable=False), sa.Column("a", sa.Integer(), nullable=True), sa.Column("b", sa.Text(), nullable=True), sa.Column("pId", sa.Integer(), nullable=True), sa.PrimaryKeyConstraint("id"), sa.ForeignKeyConstraint(["pId"], ["p.id"], name="r_pId_fkey", ondelete="SET NULL", onupdate="CASCADE"))\n    op.create_index("r_a_idx", "r", ["a"])\n    op.execute(${JSON.stringify(fill)})`,
      `op.drop_table("r")\n    op.drop_table("p")`,
    ];
  }
  const sqlType = (t) => (t === 'TEXT' ? 'sa.Text()' : 'sa.Integer()');
  const step = (from, to) =>
    `with op.batch_alter_table("r") as batch:\n        batch.alter_column("a", type_=${sqlType(to.columns[1].type)}, existing_type=${sqlType(from.columns[1].type)}, existing_nullable=True)\n        batch.alter_column("b", nullable=${to.columns[2].nullable ? 'True' : 'False'}, existing_type=sa.Text())`;
  return [step(rebuildShape(i - 1), rebuildShape(i)), step(rebuildShape(i), rebuildShape(i - 1))];
}

function writeRevise(dir, variant, n) {
  const versions = join(dir, 'migrations', 'versions');
  mkdirSync(versions, { recursive: true });
  for (let i = 0; i < n; i++) {
    const [up, down] = reviseBodies(variant, i);
    writeFileSync(
      join(versions, `${id(i)}_step_${i}.ts`),
      `/**
 * step ${i}
 *
 * Revision ID: ${id(i)}
 * Revises: ${i > 0 ? id(i - 1) : ''}
 * Create Date: 2026-01-01 00:00:00.000000
 */
import type { MigrationOps } from 'prisma-revise';

export const revision = '${id(i)}';
export const downRevision: string | string[] | null = ${i > 0 ? `'${id(i - 1)}'` : 'null'};
export const branchLabels: string[] | null = null;
export const dependsOn: string[] | null = null;

export async function upgrade(op: MigrationOps): Promise<void> {
  ${up}
}

export async function downgrade(op: MigrationOps): Promise<void> {
  ${down}
}
`,
    );
  }
}

function writeAlembic(dir, variant, n, url) {
  const versions = join(dir, 'versions');
  mkdirSync(versions, { recursive: true });
  writeFileSync(
    join(dir, 'alembic.ini'),
    `[alembic]\nscript_location = %(here)s\nsqlalchemy.url = ${url.replace(/%/g, '%%')}\n\n[loggers]\nkeys = root\n\n[handlers]\nkeys = console\n\n[formatters]\nkeys = generic\n\n[logger_root]\nlevel = WARN\nhandlers = console\nqualname =\n\n[handler_console]\nclass = StreamHandler\nargs = (sys.stderr,)\nlevel = NOTSET\nformatter = generic\n\n[formatter_generic]\nformat = %(levelname)-5.5s [%(name)s] %(message)s\n`,
  );
  // Alembic's own env.py template; on PostgreSQL one commit per revision, like revise and the floor
  // (in one transaction, 1,000 created tables exhaust the server's lock table on the way down).
  writeFileSync(
    join(dir, 'env.py'),
    `from logging.config import fileConfig
from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)

connectable = engine_from_config(config.get_section(config.config_ini_section), prefix="sqlalchemy.", poolclass=pool.NullPool)
with connectable.connect() as connection:
    context.configure(connection=connection, target_metadata=None, render_as_batch=True, transaction_per_migration=connection.dialect.name == "postgresql")
    with context.begin_transaction():
        context.run_migrations()
`,
  );
  writeFileSync(join(dir, 'script.py.mako'), '');
  for (let i = 0; i < n; i++) {
    const [up, down] = alembicBodies(variant, i);
    writeFileSync(
      join(versions, `${id(i)}_step_${i}.py`),
      `"""step ${i}

Revision ID: ${id(i)}
Revises: ${i > 0 ? id(i - 1) : ''}
Create Date: 2026-01-01 00:00:00.000000

"""
from alembic import op
import sqlalchemy as sa

revision = '${id(i)}'
down_revision = ${i > 0 ? `'${id(i - 1)}'` : 'None'}
branch_labels = None
depends_on = None


def upgrade():
    ${up}


def downgrade():
    ${down}
`,
    );
  }
}

/**
 * An offline script as revise prints it, cut into the statements of each revision (the version
 * table's creation goes with the first one, its drop at base with the last). BEGIN/COMMIT and
 * SQLite's PRAGMA foreign_keys=OFF preamble are the floor's own business.
 */
function splitScript(script) {
  const revisions = [];
  let current = [];
  for (const chunk of script.split(/;\n\n/)) {
    const lines = chunk.split('\n');
    const text = lines.filter((l) => !l.startsWith('-- Running')).join('\n').trim();
    if (lines.some((l) => l.startsWith('-- Running'))) {
      if (current.length > 0 && revisions.length > 0) revisions[revisions.length - 1].push(...current.splice(0));
      revisions.push(current.splice(0));
    }
    if (text === "" || /^(BEGIN|COMMIT|PRAGMA foreign_keys=OFF|DROP TABLE alembic_version)$/i.test(text)) continue;
    (revisions.length > 0 ? revisions[revisions.length - 1] : current).push(text);
  }
  if (current.length > 0) revisions[revisions.length - 1].push(...current);
  return revisions;
}

// The floor: the statements on one connection, nothing else (Node start-up and driver load included).
// SQLite's "checked" floor also does per revision what revise must: a savepoint, the version row with
// bound parameters, foreign_key_check of the tables the revision creates or alters, and a progress line
// on stderr (a pipe here, as for every tool in this bench).
const floorScript = `
const { readFileSync, writeSync } = require('node:fs');
const [dialect, url, file, mode] = process.argv.slice(2);
const revisions = JSON.parse(readFileSync(file, 'utf8'));
if (dialect === 'sqlite') {
  const D = require(${JSON.stringify(join(repoRoot, 'node_modules', 'better-sqlite3'))});
  const db = new D(url);
  db.pragma('foreign_keys = OFF');
  db.exec('BEGIN IMMEDIATE');
  if (mode !== 'checked') {
    for (const statements of revisions) for (const sql of statements) db.exec(sql);
  } else {
    const check = db.prepare('SELECT * FROM pragma_foreign_key_check(?)');
    let update;
    for (const [i, statements] of revisions.entries()) {
      writeSync(2, 'Running revision ' + i + '\\n');
      db.exec('SAVEPOINT revision');
      const tables = new Set();
      for (const sql of statements) {
        const version = /^UPDATE alembic_version SET version_num='([^']*)' WHERE alembic_version.version_num = '([^']*)'$/.exec(sql);
        if (version) {
          update ??= db.prepare('UPDATE alembic_version SET version_num=? WHERE alembic_version.version_num = ?');
          update.run(version[1], version[2]);
          continue;
        }
        db.exec(sql);
        const named = /^(?:CREATE TABLE|ALTER TABLE) "([^"]+)"(?: RENAME TO "([^"]+)")?/.exec(sql);
        if (named) tables.add(named[2] ?? named[1]);
      }
      for (const t of tables) if (!t.startsWith('new_') && t !== 'alembic_version') check.all(t);
      db.exec('RELEASE revision');
    }
  }
  db.exec('COMMIT');
  db.close();
} else {
  const { Client } = require(${JSON.stringify(join(repoRoot, 'node_modules', 'pg'))});
  (async () => {
    const client = new Client({ connectionString: url });
    await client.connect();
    for (const statements of revisions) {
      await client.query('BEGIN');
      for (const sql of statements) await client.query(sql);
      await client.query('COMMIT');
    }
    await client.end();
  })().catch((e) => { console.error(e.message); process.exit(1); });
}
`;

const pg = dialects.includes('postgres') ? require(join(repoRoot, 'node_modules', 'pg')) : undefined;
async function pgAdmin(sql) {
  const client = new pg.Client({ connectionString: pgAdminUrl });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}
async function pgAvailable() {
  try {
    await pgAdmin('SELECT 1');
    return true;
  } catch {
    return false;
  }
}
const pgUrl = (db) => {
  const u = new URL(pgAdminUrl);
  u.pathname = `/${db}`;
  return u.toString();
};

/** A fresh, empty database for one tool's run; returns its URLs (revise/floor form, SQLAlchemy form). */
async function freshDatabase(dialect, dir, name) {
  if (dialect === 'sqlite') {
    const file = join(dir, `${name}.db`);
    for (const suffix of ['', '-journal', '-wal', '.revise-lock']) rmSync(file + suffix, { force: true });
    return { url: `file:${file}`, path: file, sqlalchemy: `sqlite:///${file}` };
  }
  const db = `revise_bench_${name}`;
  await pgAdmin(`DROP DATABASE IF EXISTS "${db}"`);
  await pgAdmin(`CREATE DATABASE "${db}"`);
  const url = pgUrl(db);
  return { url, path: url, sqlalchemy: url.replace(/^postgres(ql)?:/, 'postgresql+psycopg2:') };
}

async function dropDatabase(dialect, name) {
  if (dialect === 'postgres') await pgAdmin(`DROP DATABASE IF EXISTS "revise_bench_${name}"`);
}

/** What a database holds after upgrade head, to check that every tool built the same thing. */
async function schemaSummary(dialect, path) {
  if (dialect === 'sqlite') {
    const D = require(join(repoRoot, 'node_modules', 'better-sqlite3'));
    const db = new D(path, { readonly: true });
    const rows = db.prepare("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all();
    const cols = db.prepare("SELECT count(*) AS n FROM sqlite_master m, pragma_table_info(m.name) WHERE m.type = 'table'").get();
    db.close();
    return `${rows.length} objects, ${cols.n} columns`;
  }
  const client = new pg.Client({ connectionString: path });
  await client.connect();
  try {
    const t = await client.query("SELECT count(*)::int AS n FROM information_schema.columns WHERE table_schema = 'public'");
    const c = await client.query("SELECT count(*)::int AS n FROM pg_class WHERE relnamespace = 'public'::regnamespace");
    return `${c.rows[0].n} objects, ${t.rows[0].n} columns`;
  } finally {
    await client.end();
  }
}

const mid = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmtMs = (ms) => `${(ms / 1000).toFixed(2)} s`.padStart(9);
const fmtMb = (mb) => (Number.isFinite(mb) ? `${mb.toFixed(0)} MB`.padStart(7) : '      -');

const alembicOk =
  process.env.BENCH_ALEMBIC !== '0' &&
  spawnSync(python, ['-c', 'import alembic, sqlalchemy, psycopg2'], { encoding: 'utf8' }).status === 0;
if (!alembicOk) console.warn(`(no Alembic: ${python} lacks alembic/psycopg2, or BENCH_ALEMBIC=0)`);
const alembicVersion = alembicOk ? spawnSync(python, ['-c', 'import alembic, sqlalchemy; print(alembic.__version__, sqlalchemy.__version__)'], { encoding: 'utf8' }).stdout.trim() : '';

console.log(`Applying revision chains: revise vs raw-SQL floor${alembicOk ? ` vs Alembic ${alembicVersion.replace(' ', ' / SQLAlchemy ')}` : ''}; Node ${process.version}`);
console.log('upgrade = base -> head on an empty database; downgrade = head -> base; each in a fresh process; median of runs\n');

const results = [];
for (const dialect of dialects) {
  if (dialect === 'postgres' && !(await pgAvailable())) {
    console.warn(`PostgreSQL: no server answers at ${pgAdminUrl}; skipped`);
    continue;
  }
  for (const variant of variants) {
    if (variant === 'rebuild' && dialect !== 'sqlite') continue;
    for (const n of sizes) {
      const project = tempProject(`revise-bench-apply-${dialect}-${variant}-${n}-`);
      const { dir } = project;
      const count = n > 1000 ? longRuns : runs;
      try {
        writeRevise(dir, variant, n);
        const revise = (url, ...args) => time(process.execPath, [cli, ...args], { cwd: dir, env: { DATABASE_URL: url } });

        // The floor's statements: exactly what revise would run, as its offline script prints them.
        const offlineUrl = dialect === 'sqlite' ? `file:${join(dir, 'offline.db')}` : pgUrl('revise_bench_offline');
        const upScript = splitScript(revise(offlineUrl, 'upgrade', 'head', '--sql').stdout);
        const downScript = splitScript(revise(offlineUrl, 'downgrade', 'head:base', '--sql').stdout);
        if (upScript.length !== n || downScript.length !== n) throw new Error(`offline scripts: ${upScript.length}/${downScript.length} revisions, expected ${n}`);
        writeFileSync(join(dir, 'up.json'), JSON.stringify(upScript));
        writeFileSync(join(dir, 'down.json'), JSON.stringify(downScript));
        writeFileSync(join(dir, 'floor.cjs'), floorScript);
        const floor = (db, file, mode = 'plain') => time(process.execPath, [join(dir, 'floor.cjs'), dialect, dialect === 'sqlite' ? db.path : db.url, join(dir, file), mode], { cwd: dir });

        let alembic;
        if (alembicOk) {
          const alembicDir = join(dir, 'alembic');
          alembic = (db, ...args) => {
            writeAlembic(alembicDir, variant, 0, db.sqlalchemy); // rewrites alembic.ini with this run's URL
            return time(python, ['-m', 'alembic', '-c', join(alembicDir, 'alembic.ini'), ...args], { cwd: alembicDir });
          };
          writeAlembic(alembicDir, variant, n, 'sqlite://');
        }

        const tools = {
          revise: { up: [], down: [], rss: [] },
          floor: { up: [], down: [], rss: [] },
          ...(dialect === 'sqlite' ? { checked: { up: [], down: [], rss: [] } } : {}),
          ...(alembic ? { alembic: { up: [], down: [], rss: [] } } : {}),
        };
        const summaries = {};
        for (let r = 0; r < count; r++) {
          for (const tool of Object.keys(tools)) {
            const db = await freshDatabase(dialect, dir, tool);
            const up = tool === 'revise' ? revise(db.url, 'upgrade', 'head') : tool === 'floor' ? floor(db, 'up.json') : tool === 'checked' ? floor(db, 'up.json', 'checked') : alembic(db, 'upgrade', 'head');
            summaries[tool] ??= await schemaSummary(dialect, db.path);
            const down = tool === 'revise' ? revise(db.url, 'downgrade', 'base') : tool === 'floor' ? floor(db, 'down.json') : tool === 'checked' ? floor(db, 'down.json', 'checked') : alembic(db, 'downgrade', 'base');
            tools[tool].up.push(up.ms);
            tools[tool].down.push(down.ms);
            tools[tool].rss.push(up.rssMb);
            await dropDatabase(dialect, tool);
          }
        }
        for (const other of ['floor', 'checked']) {
          if (summaries[other] !== undefined && summaries.revise !== summaries[other]) throw new Error(`revise built ${summaries.revise} but the ${other} floor ${summaries[other]}`);
        }

        const target = dialect === 'sqlite' ? 2 : 1.3;
        const t = (tool, dir) => mid(tools[tool][dir]);
        console.log(`== ${dialect}, ${variant}, ${n} revisions (${summaries.revise} at head${alembic && summaries.alembic !== summaries.revise ? `; alembic: ${summaries.alembic}` : ''}; n=${count})`);
        const checked = tools.checked !== undefined;
        console.log(`${''.padEnd(10)} ${'revise'.padStart(9)} ${'floor'.padStart(9)} ${alembic ? 'alembic'.padStart(9) : ''}   revise/floor   alembic/revise   revise peak RSS${checked ? '   checked floor  revise/checked' : ''}`);
        for (const direction of ['up', 'down']) {
          const vsFloor = t('revise', direction) / t('floor', direction);
          const vsAlembic = alembic ? t('alembic', direction) / t('revise', direction) : NaN;
          results.push({ dialect, variant, n, direction, revise: t('revise', direction), floor: t('floor', direction), alembic: alembic ? t('alembic', direction) : undefined, rss: mid(tools.revise.rss) });
          console.log(
            `${(direction === 'up' ? 'upgrade' : 'downgrade').padEnd(10)} ${fmtMs(t('revise', direction))} ${fmtMs(t('floor', direction))} ${alembic ? fmtMs(t('alembic', direction)) : ''}   ${`${vsFloor.toFixed(2)}x`.padStart(6)} ${vsFloor <= target ? 'ok    ' : `MISSED`}  ${alembic ? `${`${vsAlembic.toFixed(2)}x`.padStart(6)} ${vsAlembic > 1 ? 'ok    ' : 'MISSED'}` : '               '}  ${direction === 'up' ? fmtMb(mid(tools.revise.rss)) : '       '}` +
              (checked ? `   ${fmtMs(t('checked', direction))}     ${`${(t('revise', direction) / t('checked', direction)).toFixed(2)}x`.padStart(6)}` : ''),
          );
        }
        console.log('');
      } finally {
        project.cleanup();
      }
    }
  }
}

// Growth: the longest chain against the shortest, time and memory.
if (sizes.length > 1) {
  const [small, large] = [Math.min(...sizes), Math.max(...sizes)];
  console.log(`== growth, ${large} vs ${small} revisions (target: time ~${large / small}x, revise peak RSS within 1.5x)`);
  for (const r of results.filter((x) => x.n === large)) {
    const base = results.find((x) => x.n === small && x.dialect === r.dialect && x.variant === r.variant && x.direction === r.direction);
    if (!base) continue;
    const rss = r.direction === 'up' ? `   peak RSS ${(r.rss / base.rss).toFixed(2)}x (${base.rss.toFixed(0)} -> ${r.rss.toFixed(0)} MB)` : '';
    console.log(`${`${r.dialect} ${r.variant} ${r.direction === 'up' ? 'upgrade' : 'downgrade'}`.padEnd(32)} revise ${(r.revise / base.revise).toFixed(2)}x   floor ${(r.floor / base.floor).toFixed(2)}x${rss}`);
  }
}
