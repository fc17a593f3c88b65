// revise against Alembic on long revision chains (SQLite).
//   node bench/graph-vs-alembic.mjs        (after `npm run build`)
// Env: BENCH_RUNS (default 5), BENCH_SIZES (default "1000,5000"),
//      ALEMBIC_PYTHON (default /usr/bin/python3, which must have alembic).
//
// For each size N it writes a linear chain of N revisions twice, as revise
// TypeScript files and as an Alembic project (alembic.ini + env.py +
// versions/*.py), then times each tool's `heads`, `current`, `history`, a
// no-op `upgrade head` and (N = 1000) applying every revision from empty,
// each in a fresh process (history and the no-op upgrade also right after an
// edit of one file, which retires revise's caches). Revisions of the 1,000 chain each create a tiny
// table; the 5,000 chain has no-op bodies (its databases are stamped to head).
// The floor is starting Node and opening one SQLite connection.
// Targets: each revise command >= 3x faster than Alembic; the no-op upgrade
// within 2x of the floor.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, tempProject } from './lib.mjs';

// A snapshot of the built CLI, so a rebuild of dist/ while the bench runs cannot break or skew it.
const snapshot = tempProject('revise-bench-cli-');
for (const entry of ['bin', 'dist', 'package.json', 'oclif.manifest.json']) cpSync(join(repoRoot, entry), join(snapshot.dir, entry), { recursive: true });
rmSync(join(snapshot.dir, 'node_modules'), { recursive: true, force: true });
symlinkSync(join(repoRoot, 'node_modules'), join(snapshot.dir, 'node_modules'), 'dir');
const cli = join(snapshot.dir, 'bin', 'run.js');
process.on('exit', () => snapshot.cleanup());

const runs = Number(process.env.BENCH_RUNS ?? 5);
const sizes = (process.env.BENCH_SIZES ?? '1000,5000').split(',').map(Number);
const python = process.env.ALEMBIC_PYTHON ?? '/usr/bin/python3';

function time(command, args, { cwd, env = {} } = {}) {
  const started = process.hrtime.bigint();
  const res = spawnSync(command, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (res.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${res.status}: ${res.stderr.slice(0, 2000)}`);
  return { ms, stdout: res.stdout };
}

function median(n, fn) {
  const times = [];
  for (let i = 0; i < n; i++) times.push(fn());
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const id = (i) => createHash('sha1').update(`rev${i}`).digest('hex').slice(0, 12);

function writeRevise(dir, n, withTables) {
  const versions = join(dir, 'migrations', 'versions');
  mkdirSync(versions, { recursive: true });
  for (let i = 0; i < n; i++) {
    const up = withTables ? `  await op.createTable({ name: 't${i}', columns: [{ name: 'id', type: 'INTEGER', nullable: false }], primaryKey: { columns: ['id'] } });` : '';
    const down = withTables ? `  await op.dropTable('t${i}');` : '';
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

function writeAlembic(dir, n, withTables) {
  const versions = join(dir, 'versions');
  mkdirSync(versions, { recursive: true });
  writeFileSync(
    join(dir, 'alembic.ini'),
    `[alembic]
script_location = %(here)s
sqlalchemy.url = sqlite:///%(here)s/alembic.db

[loggers]
keys = root,alembic

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARN
handlers = console
qualname =

[logger_alembic]
level = INFO
handlers =
qualname = alembic

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
`,
  );
  writeFileSync(
    join(dir, 'env.py'),
    `from logging.config import fileConfig
from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)
target_metadata = None

if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    connectable = engine_from_config(config.get_section(config.config_ini_section), prefix="sqlalchemy.", poolclass=pool.NullPool)
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
`,
  );
  writeFileSync(join(dir, 'script.py.mako'), '');
  for (let i = 0; i < n; i++) {
    const up = withTables ? `op.create_table("t${i}", sa.Column("id", sa.Integer(), nullable=False), sa.PrimaryKeyConstraint("id"))` : 'pass';
    const down = withTables ? `op.drop_table("t${i}")` : 'pass';
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

const fmt = (ms) => `${ms.toFixed(0)} ms`.padStart(9);
const rows = [];
function row(label, reviseMs, alembicMs, note = '') {
  const ratio = alembicMs / reviseMs;
  rows.push({ label, reviseMs, alembicMs, ratio, note });
  console.log(`${label.padEnd(40)} ${fmt(reviseMs)} ${fmt(alembicMs)} ${`${ratio.toFixed(1)}x`.padStart(8)}  ${ratio >= 3 ? 'ok' : 'MISSED (target 3x)'}${note ? `  ${note}` : ''}`);
}

const alembicVersion = spawnSync(python, ['-c', 'import alembic, sqlalchemy; print(alembic.__version__, sqlalchemy.__version__)'], { encoding: 'utf8' });
if (alembicVersion.status !== 0) {
  console.error(`${python} has no alembic (set ALEMBIC_PYTHON)`);
  process.exit(1);
}
console.log(`revise vs Alembic ${alembicVersion.stdout.trim().replace(' ', ' / SQLAlchemy ')} on SQLite; Node ${process.version}; median of ${runs} runs\n`);

const floorProject = tempProject('revise-bench-floor-');
const sqliteModule = JSON.stringify(join(repoRoot, 'node_modules', 'better-sqlite3'));
const floor = median(runs, () =>
  time(process.execPath, ['-e', `const D=require(${sqliteModule});new D(process.argv[1]).prepare('select 1').get()`, join(floorProject.dir, 'floor.db')]).ms,
);
floorProject.cleanup();
console.log(`floor: start Node + open one SQLite connection  ${fmt(floor)}\n`);

for (const n of sizes) {
  const withTables = n <= 1000;
  const project = tempProject(`revise-bench-chain${n}-`);
  const { dir } = project;
  try {
    writeRevise(dir, n, withTables);
    // So `import type ... from 'prisma-revise'` resolves like in a real project (type-only: erased anyway).
    const alembicDir = join(dir, 'alembic');
    writeAlembic(alembicDir, n, withTables);
    const reviseEnv = { DATABASE_URL: `file:${join(dir, 'revise.db')}` };
    const revise = (...args) => time(process.execPath, [cli, ...args], { cwd: dir, env: reviseEnv });
    const alembic = (...args) => time(python, ['-m', 'alembic', '-c', join(alembicDir, 'alembic.ini'), ...args], { cwd: alembicDir });

    console.log(`== linear chain of ${n} revisions (${withTables ? 'each creates a table' : 'no-op bodies'})`);
    console.log(`${'command'.padEnd(40)} ${'revise'.padStart(9)} ${'alembic'.padStart(9)} ${'speed-up'.padStart(8)}`);

    if (withTables) {
      // Applying every revision from empty: a fresh database each run.
      const fromEmpty = (tool) => {
        const times = [];
        for (let i = 0; i < Math.min(runs, 3); i++) {
          rmSync(tool === 'revise' ? join(dir, 'revise.db') : join(alembicDir, 'alembic.db'), { force: true });
          times.push(tool === 'revise' ? revise('upgrade', 'head').ms : alembic('upgrade', 'head').ms);
        }
        return times;
      };
      // The first revise run also transforms every file (cached afterwards, like Python's __pycache__).
      const reviseTimes = fromEmpty('revise');
      const alembicTimes = fromEmpty('alembic');
      const mid = (t) => [...t].sort((a, b) => a - b)[Math.floor(t.length / 2)];
      row(`upgrade head from empty (${n} tables)`, mid(reviseTimes), mid(alembicTimes), `(revise cold cache: ${reviseTimes[0].toFixed(0)} ms; alembic first run: ${alembicTimes[0].toFixed(0)} ms)`);
    } else {
      revise('stamp', 'head');
      alembic('stamp', 'head');
    }

    const same = (a, b, what) => {
      if (a.trim().split(/\s+/)[0] !== b.trim().split(/\s+/)[0]) throw new Error(`${what}: revise printed ${a.slice(0, 80)} but alembic ${b.slice(0, 80)}`);
    };
    same(revise('heads').stdout, alembic('heads').stdout, 'heads');
    same(revise('current').stdout, alembic('current').stdout, 'current');
    row('heads', median(runs, () => revise('heads').ms), median(runs, () => alembic('heads').ms));
    row('current', median(runs, () => revise('current').ms), median(runs, () => alembic('current').ms));
    // revise caches what depends only on the files (graph summary, history listing) under their
    // mtimes and sizes; the first run after an edit pays for rebuilding it, shown as "after an edit".
    const touchOne = () => {
      const when = new Date(Date.now() + Math.floor(Math.random() * 1e6));
      utimesSync(join(dir, 'migrations', 'versions', `${id(n - 1)}_step_${n - 1}.ts`), when, when);
    };
    const afterEdit = (...args) => median(runs, () => {
      touchOne();
      return revise(...args).ms;
    });
    const historyAfterEdit = afterEdit('history');
    row('history', median(runs, () => revise('history').ms), median(runs, () => alembic('history').ms), `(revise after an edit: ${historyAfterEdit.toFixed(0)} ms)`);
    const noopAfterEdit = afterEdit('upgrade', 'head');
    const noop = median(runs, () => revise('upgrade', 'head').ms);
    row('upgrade head (no-op, at head)', noop, median(runs, () => alembic('upgrade', 'head').ms), `(revise after an edit: ${noopAfterEdit.toFixed(0)} ms)`);
    const vsFloor = noop / floor;
    console.log(`no-op upgrade vs floor: ${vsFloor.toFixed(2)}x ${vsFloor <= 2 ? 'ok' : 'MISSED (target within 2x)'}\n`);
  } finally {
    project.cleanup();
  }
}

const missed = rows.filter((r) => r.ratio < 3);
console.log(missed.length === 0 ? 'All revise commands are at least 3x faster than Alembic.' : `Missed the 3x target: ${missed.map((r) => r.label).join(', ')}`);
