import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportFailure } from '../src/cli/errors.js';
import { parseRenames } from '../src/actions/revision.js';
import { ReviseError } from '../src/errors.js';
import * as api from '../src/index.js';

/**
 * The built CLI (`node bin/run.js`), run in temporary projects against real
 * SQLite files. Builds dist/ first unless it is newer than every source file.
 */

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'run.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function ensureBuilt(): void {
  const manifest = join(ROOT, 'oclif.manifest.json');
  const built = existsSync(manifest) && existsSync(join(ROOT, 'dist', 'commands', 'upgrade.js'));
  if (built && statSync(manifest).mtimeMs >= newestMtime(join(ROOT, 'src'))) return;
  // Type errors elsewhere must not stop the emit (tsc emits anyway); the manifest step must succeed.
  spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'ignore' });
  execFileSync('npx', ['oclif', 'manifest'], { cwd: ROOT, stdio: 'ignore' });
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** stderr without the INFO progress lines. */
  problems: string[];
}

const cleanEnv = (): NodeJS.ProcessEnv => {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  delete env.REVISE_DATABASE_URL;
  delete env.REVISE_DEBUG;
  delete env.EDITOR;
  return env;
};

function revise(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...cleanEnv(), ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const stderr = result.stderr ?? '';
  return {
    code: result.status ?? -1,
    stdout: result.stdout ?? '',
    stderr,
    problems: stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('INFO  [')),
  };
}

/** Every failure: exactly one `Error: ...` line, no stack, non-zero exit. */
function expectOneLineError(run: Run, pattern: RegExp, code = 1): void {
  expect(run.code).toBe(code);
  expect(run.problems).toHaveLength(1);
  expect(run.problems[0]).toMatch(/^Error: /);
  expect(run.problems[0]).toMatch(pattern);
  expect(run.stderr).not.toMatch(/^\s+at /m);
}

const dirs: string[] = [];
function project(name = 'proj'): string {
  const dir = mkdtempSync(join(tmpdir(), `revise-cli-${name}-`));
  dirs.push(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }, null, 2));
  return dir;
}

function sqlite(path: string): Database.Database {
  return new Database(path);
}

function versions(dbPath: string): string[] {
  const db = sqlite(dbPath);
  try {
    const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'").get();
    if (!exists) return [];
    return (db.prepare('SELECT version_num FROM alembic_version').all() as Array<{ version_num: string }>).map((r) => r.version_num).sort();
  } finally {
    db.close();
  }
}

function tables(dbPath: string): string[] {
  const db = sqlite(dbPath);
  try {
    return (db.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
  } finally {
    db.close();
  }
}

function generatedPath(run: Run): string {
  const m = /Generating (.+\.ts) \.\.\. {2}done/.exec(run.stdout);
  expect(m, run.stdout + run.stderr).not.toBeNull();
  return m![1]!;
}

/** Replace the empty upgrade/downgrade bodies of a revision file written by `revise revision`. */
function fillRevision(path: string, upgrade: string, downgrade: string): void {
  let text = readFileSync(path, 'utf8');
  text = text.replace(/(export async function upgrade\(op: MigrationOps\): Promise<void> \{\n)/, `$1  ${upgrade}\n`);
  text = text.replace(/(export async function downgrade\(op: MigrationOps\): Promise<void> \{\n)/, `$1  ${downgrade}\n`);
  writeFileSync(path, text);
}

beforeAll(() => {
  ensureBuilt();
}, 180_000);

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('error reporting (unit)', () => {
  it('prints a ReviseError as one line with its exit code', () => {
    const report = reportFailure(new ReviseError('bad thing\n  on two lines', 3), false);
    expect(report).toEqual({ lines: ['Error: bad thing on two lines'], exitCode: 3 });
  });

  it('adds the stack of an unexpected error only under REVISE_DEBUG', () => {
    const plain = reportFailure(new TypeError('oops'), false);
    expect(plain.lines).toEqual(['Error: oops']);
    expect(plain.exitCode).toBe(1);
    const debug = reportFailure(new TypeError('oops'), true);
    expect(debug.lines[0]).toBe('Error: oops');
    expect(debug.lines[1]).toMatch(/TypeError: oops\n\s+at /);
  });

  it('parses --rename values', () => {
    expect(parseRenames(['User=Account', 'Post.title=Post.headline', 'Post.body=content'])).toEqual({
      tables: { User: 'Account' },
      columns: { Post: { title: 'headline', body: 'content' } },
    });
    expect(() => parseRenames(['nonsense'])).toThrow(ReviseError);
    expect(() => parseRenames(['A.b=C.d'])).toThrow(/keeps its table/);
  });
});

describe('programmatic API (src/index.ts)', () => {
  it('runs the commands as functions, output through out/log', async () => {
    const dir = project('api');
    const out: string[] = [];
    const log: string[] = [];
    const io = { cwd: dir, out: (l: string) => out.push(l), log: (l: string) => log.push(l), url: `file:${join(dir, 'api.db')}` };
    await api.init(io);
    const first = await api.revision({ ...io, message: 'first', revId: 'f00000000001' });
    expect(first.path).toBe(join(dir, 'migrations', 'versions', 'f00000000001_first.ts'));
    const second = await api.revision({ ...io, message: 'second', revId: 's00000000002', dependsOn: ['f0000'] });
    expect(readFileSync(second.path!, 'utf8')).toContain("export const dependsOn: string[] | null = ['f00000000001'];");
    await api.upgrade({ ...io, target: 'head' });
    expect(log).toContain('INFO  [revise.runtime.migration] Running upgrade f00000000001 -> s00000000002, second');
    expect((await api.current(io)).map((r) => r.id)).toEqual(['s00000000002']);
    expect((await api.history(io)).map((r) => r.id)).toEqual(['s00000000002', 'f00000000001']);
    expect((await api.heads(io)).map((r) => r.id)).toEqual(['s00000000002']);
    await expect(api.show({ ...io, revision: 'nope' })).rejects.toThrow(ReviseError);
    await api.downgrade({ ...io, target: 'base' });
    expect(await api.current(io)).toEqual([]);
    expect(typeof api.stamp).toBe('function');
    expect(typeof api.check).toBe('function');
    expect(typeof api.merge).toBe('function');
    expect(typeof api.edit).toBe('function');
    expect(typeof api.ensureVersion).toBe('function');
    expect(typeof api.branches).toBe('function');
    expect(typeof api.listTemplates).toBe('function');
    expect(typeof api.autogenerate).toBe('function');
  });
});

describe('revise CLI on SQLite', () => {
  it('--help is fast and lists the commands', () => {
    const dir = project('help');
    const started = Date.now();
    const run = revise(dir, ['--help']);
    const elapsed = Date.now() - started;
    expect(run.code).toBe(0);
    for (const command of ['init', 'revision', 'autogenerate', 'upgrade', 'downgrade', 'stamp', 'current', 'history', 'heads', 'branches', 'show', 'check', 'merge', 'edit', 'ensure-version', 'list-templates']) {
      expect(run.stdout).toContain(`  ${command} `);
    }
    expect(elapsed).toBeLessThan(3000);
  });

  it('init creates migrations/versions and a README, and refuses a non-empty folder', () => {
    const dir = project('init');
    const run = revise(dir, ['init']);
    expect(run.code).toBe(0);
    expect(statSync(join(dir, 'migrations', 'versions')).isDirectory()).toBe(true);
    expect(readFileSync(join(dir, 'migrations', 'README'), 'utf8')).toMatch(/^Generic single-database configuration\./);
    expect(run.stdout).toContain(`Creating directory '${join(dir, 'migrations', 'versions')}' ...  done`);
    // Default paths: package.json stays as it was.
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).revise).toBeUndefined();
    expectOneLineError(revise(dir, ['init']), /already exists and is not empty$/);
  });

  it("init where Prisma Migrate's history holds the folder name says to give revise another", () => {
    const dir = project('init-prisma');
    mkdirSync(join(dir, 'migrations', '20240101000000_init'), { recursive: true });
    writeFileSync(join(dir, 'migrations', 'migration_lock.toml'), 'provider = "sqlite"\n');
    expectOneLineError(revise(dir, ['init']), /is Prisma Migrate's history; give revise a folder of its own \(revise init revisions\), then revise import-prisma$/);
    expect(revise(dir, ['init', 'revisions']).code).toBe(0);
  });

  it('init with a custom folder records it in package.json and revision writes there', () => {
    const dir = project('initdir');
    expect(revise(dir, ['init', 'db/migrations']).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).revise).toEqual({ migrations: 'db/migrations' });
    const run = revise(dir, ['revision', '-m', 'first']);
    expect(run.code).toBe(0);
    expect(generatedPath(run).startsWith(join(dir, 'db', 'migrations', 'versions'))).toBe(true);
  });

  it('init --template multidb: one revision stream, a function pair per database (deep coverage: test/multidb-cli.test.ts)', () => {
    const dir = project('multidb');
    mkdirSync(join(dir, 'prisma'));
    writeFileSync(join(dir, 'prisma', 'engine1.prisma'), 'datasource db {\n  provider = "sqlite"\n}\n\nmodel A {\n  id Int @id\n}\n');
    writeFileSync(join(dir, 'prisma', 'engine2.prisma'), 'datasource db {\n  provider = "sqlite"\n}\n\nmodel B {\n  id Int @id\n}\n');
    expect(revise(dir, ['init', '--template', 'multidb']).code).toBe(0);
    expect(statSync(join(dir, 'migrations', 'versions')).isDirectory()).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).revise.databases.engine1).toEqual({
      url: 'ENGINE1_DATABASE_URL',
      schema: 'prisma/engine1.prisma',
    });
    expect(revise(dir, ['history']).code).toBe(0);
    expectOneLineError(revise(dir, ['upgrade', '-n', 'engine2']), /ENGINE2_DATABASE_URL is not set/);
    const env = { ENGINE1_DATABASE_URL: `file:${join(dir, 'one.db')}`, ENGINE2_DATABASE_URL: `file:${join(dir, 'two.db')}` };
    const gen = revise(dir, ['autogenerate', '-m', 'init'], env);
    expect(gen.code, gen.stderr).toBe(0);
    expect(gen.stderr).toContain("Detected added table 'A' in database engine1");
    expect(gen.stderr).toContain("Detected added table 'B' in database engine2");
    expect(readFileSync(generatedPath(gen), 'utf8')).toMatch(/upgrade_engine1[\s\S]*downgrade_engine1[\s\S]*upgrade_engine2[\s\S]*downgrade_engine2/);
    expect(revise(dir, ['upgrade', 'head'], env).code).toBe(0);
    expect(tables(join(dir, 'one.db'))).toEqual(['A', 'alembic_version']);
    expect(tables(join(dir, 'two.db'))).toEqual(['B', 'alembic_version']);
    expect(revise(dir, ['history']).stdout).toMatch(/^<base> -> [0-9a-f]{12} \(head\), init\n$/);
  });

  it('list-templates names generic and multidb', () => {
    const run = revise(project('tpl'), ['list-templates']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('generic - Generic single-database configuration.');
    expect(run.stdout).toContain('multidb - Rudimentary multi-database configuration.');
  });

  it('revision, upgrade, current, history, heads, show, downgrade, stamp', () => {
    const dir = project('flow');
    const db = join(dir, 'app.db');
    const env = { DATABASE_URL: `file:${db}` };
    expect(revise(dir, ['init']).code).toBe(0);

    const first = revise(dir, ['revision', '-m', 'create widgets', '--rev-id', 'aaaa00000001']);
    expect(first.code).toBe(0);
    const firstPath = generatedPath(first);
    expect(firstPath).toBe(join(dir, 'migrations', 'versions', 'aaaa00000001_create_widgets.ts'));
    fillRevision(
      firstPath,
      "await op.createTable({ name: 'widget', columns: [{ name: 'id', type: 'INTEGER', nullable: false }], primaryKey: { columns: ['id'] } });",
      "await op.dropTable('widget');",
    );
    const second = revise(dir, ['revision', '-m', 'add gadgets', '--rev-id', 'bbbb00000002']);
    expect(second.code).toBe(0);
    fillRevision(
      generatedPath(second),
      "await op.createTable({ name: 'gadget', columns: [{ name: 'id', type: 'INTEGER', nullable: false }] });",
      "await op.dropTable('gadget');",
    );
    expect(readFileSync(generatedPath(second), 'utf8')).toContain("export const downRevision: string | string[] | null = 'aaaa00000001';");

    // Offline script: clean SQL on stdout, progress on stderr, database untouched.
    const sql = revise(dir, ['upgrade', 'head', '--sql'], env);
    expect(sql.code).toBe(0);
    expect(sql.stdout).toContain('BEGIN;');
    expect(sql.stdout).toMatch(/CREATE TABLE alembic_version/);
    expect(sql.stdout).toMatch(/CREATE TABLE "widget"/);
    expect(sql.stdout).toContain("INSERT INTO alembic_version (version_num) VALUES ('aaaa00000001');");
    expect(sql.stdout).toContain('COMMIT;');
    expect(sql.stdout).not.toContain('INFO');
    expect(sql.stderr).toContain('INFO  [revise.runtime.migration] Running upgrade  -> aaaa00000001, create widgets');
    expect(existsSync(db) ? tables(db) : []).toEqual([]);

    const up = revise(dir, ['upgrade', 'head'], env);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toContain('INFO  [revise.runtime.migration] Context impl SQLiteImpl.');
    expect(up.stderr).toContain('INFO  [revise.runtime.migration] Will assume transactional DDL.');
    expect(up.stderr).toContain('INFO  [revise.runtime.migration] Running upgrade  -> aaaa00000001, create widgets');
    expect(up.stderr).toContain('INFO  [revise.runtime.migration] Running upgrade aaaa00000001 -> bbbb00000002, add gadgets');
    expect(versions(db)).toEqual(['bbbb00000002']);
    expect(tables(db)).toEqual(['alembic_version', 'gadget', 'widget']);

    // A second upgrade has nothing to do.
    const again = revise(dir, ['upgrade'], env);
    expect(again.code).toBe(0);
    expect(again.stderr).not.toContain('Running upgrade');

    expect(revise(dir, ['current'], env).stdout).toBe('bbbb00000002 (head)\n');
    const currentJson = JSON.parse(revise(dir, ['current', '--json'], env).stdout);
    expect(currentJson.current.map((r: { id: string }) => r.id)).toEqual(['bbbb00000002']);
    expect(revise(dir, ['current', '-v'], env).stdout).toMatch(/^Current revision\(s\) for file:.*app\.db:\nRev: bbbb00000002 \(head\)\nParent: aaaa00000001\n/);

    expect(revise(dir, ['history']).stdout).toBe('aaaa00000001 -> bbbb00000002 (head), add gadgets\n<base> -> aaaa00000001, create widgets\n');
    expect(revise(dir, ['history', '-i'], env).stdout).toContain('aaaa00000001 -> bbbb00000002 (head) (current), add gadgets');
    expect(revise(dir, ['history', '-r', 'aaaa00000001:aaaa00000001']).stdout).toBe('<base> -> aaaa00000001, create widgets\n');
    const historyJson = JSON.parse(revise(dir, ['history', '--json']).stdout);
    expect(historyJson.map((r: { id: string }) => r.id)).toEqual(['bbbb00000002', 'aaaa00000001']);

    expect(revise(dir, ['heads']).stdout).toBe('bbbb00000002 (head)\n');
    expect(JSON.parse(revise(dir, ['heads', '--json']).stdout)[0].id).toBe('bbbb00000002');

    const show = revise(dir, ['show', 'aaaa']);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('Rev: aaaa00000001\n');
    expect(show.stdout).toContain('Parent: <base>\n');
    expect(show.stdout).toContain(`Path: ${firstPath}\n`);
    expect(show.stdout).toContain('    create widgets');
    expect(JSON.parse(revise(dir, ['show', 'bbbb', '--json']).stdout)).toMatchObject({ id: 'bbbb00000002', downRevisions: ['aaaa00000001'] });

    const downOne = revise(dir, ['downgrade', '-1'], env);
    expect(downOne.code, downOne.stderr).toBe(0);
    expect(downOne.stderr).toContain('Running downgrade bbbb00000002 -> aaaa00000001, add gadgets');
    expect(versions(db)).toEqual(['aaaa00000001']);

    const offlineDown = revise(dir, ['downgrade', 'aaaa00000001:base', '--sql'], env);
    expect(offlineDown.code, offlineDown.stderr).toBe(0);
    expect(offlineDown.stdout).toMatch(/DROP TABLE "widget"/);
    expect(versions(db)).toEqual(['aaaa00000001']);

    const base = revise(dir, ['downgrade', 'base'], env);
    expect(base.code, base.stderr).toBe(0);
    expect(versions(db)).toEqual([]);
    expect(tables(db)).toEqual(['alembic_version']);
    expect(revise(dir, ['current'], env).stdout).toBe('');

    // stamp moves the version without running anything.
    const stamp = revise(dir, ['stamp', 'head'], env);
    expect(stamp.code, stamp.stderr).toBe(0);
    expect(stamp.stderr).toContain('Running stamp_revision  -> bbbb00000002');
    expect(versions(db)).toEqual(['bbbb00000002']);
    expect(tables(db)).toEqual(['alembic_version']);

    const stampSql = revise(dir, ['stamp', 'base', '--sql'], env);
    expect(stampSql.code, stampSql.stderr).toBe(0);
    expect(stampSql.stdout).toContain('BEGIN;');
    expect(versions(db)).toEqual(['bbbb00000002']);
    expect(revise(dir, ['stamp', 'base', '--purge'], env).code).toBe(0);
    expect(versions(db)).toEqual([]);
  });

  it('ensure-version creates the table, or prints it with --sql', () => {
    const dir = project('ensure');
    const db = join(dir, 'e.db');
    expect(revise(dir, ['init']).code).toBe(0);
    const sql = revise(dir, ['ensure-version', '--sql', '--url', `file:${db}`]);
    expect(sql.code).toBe(0);
    expect(sql.stdout).toMatch(/^CREATE TABLE alembic_version \(/);
    expect(existsSync(db) ? tables(db) : []).toEqual([]);
    expect(revise(dir, ['ensure-version', '--url', `file:${db}`]).code).toBe(0);
    expect(tables(db)).toEqual(['alembic_version']);
  });

  it('branches, merge and heads', () => {
    const dir = project('merge');
    expect(revise(dir, ['init']).code).toBe(0);
    expect(revise(dir, ['revision', '-m', 'root', '--rev-id', 'r00000000000']).code).toBe(0);
    expect(revise(dir, ['revision', '-m', 'left', '--rev-id', 'l00000000000']).code).toBe(0);
    // A second child of root needs --splice (root is no longer a head).
    expectOneLineError(revise(dir, ['revision', '-m', 'right', '--head', 'r00000000000']), /not a head revision; please specify --splice/);
    const right = revise(dir, ['revision', '-m', 'right', '--head', 'r00000000000', '--splice', '--rev-id', 'q00000000000', '--branch-label', 'feature']);
    expect(right.code, right.stderr).toBe(0);
    expect(readFileSync(generatedPath(right), 'utf8')).toContain("export const branchLabels: string[] | null = ['feature'];");

    expect(revise(dir, ['heads']).stdout.trim().split('\n').sort()).toEqual(['l00000000000 (head)', 'q00000000000 (feature) (head)']);
    expectOneLineError(revise(dir, ['revision', '-m', 'x']), /Multiple heads are present/);

    const branches = revise(dir, ['branches']);
    expect(branches.code).toBe(0);
    expect(branches.stdout).toContain('r00000000000 (branchpoint)');
    expect(branches.stdout).toContain('             -> l00000000000 (head)');
    expect(branches.stdout).toContain('             -> q00000000000 (feature) (head)');

    const merged = revise(dir, ['merge', 'heads', '-m', 'merge branches', '--rev-id', 'm00000000000']);
    expect(merged.code, merged.stderr).toBe(0);
    expect(readFileSync(generatedPath(merged), 'utf8')).toMatch(/export const downRevision: string \| string\[\] \| null = \['(l|q)00000000000', '(l|q)00000000000'\];/);
    // The merge inherits the branch label of the branch it closes (Alembic propagates labels to descendants).
    expect(revise(dir, ['heads']).stdout).toMatch(/^m00000000000 (\(feature\) )?\(head\)\n$/);
    expectOneLineError(revise(dir, ['merge', 'heads']), /merge needs at least two revisions/);

    const db = join(dir, 'm.db');
    const up = revise(dir, ['upgrade', 'heads', '--url', `file:${db}`]);
    expect(up.code, up.stderr).toBe(0);
    expect(versions(db)).toEqual(['m00000000000']);
  });

  it('edit needs $EDITOR and runs it on the file', () => {
    const dir = project('edit');
    expect(revise(dir, ['init']).code).toBe(0);
    const path = generatedPath(revise(dir, ['revision', '-m', 'e']));
    expectOneLineError(revise(dir, ['edit', 'head']), /\$EDITOR is not set/);
    const marker = join(dir, 'edited.txt');
    const run = revise(dir, ['edit', 'head'], { EDITOR: `sh -c 'echo "$0" > ${marker}'` });
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(marker, 'utf8').trim()).toBe(path);
  });

  describe('failures print one line, exit non-zero, no stack', () => {
    it('unknown flag and missing argument exit 2', () => {
      const dir = project('usage');
      expectOneLineError(revise(dir, ['upgrade', '--bogus']), /Nonexistent flag: --bogus/, 2);
      expectOneLineError(revise(dir, ['downgrade']), /Missing required argument: TARGET/, 2);
    });

    it('no migrations folder', () => {
      expectOneLineError(revise(project('noinit'), ['history']), /revise init/);
    });

    it('unknown revision and ambiguous prefix', () => {
      const dir = project('resolve');
      const env = { DATABASE_URL: `file:${join(dir, 'r.db')}` };
      expect(revise(dir, ['init']).code).toBe(0);
      expect(revise(dir, ['revision', '-m', 'one', '--rev-id', 'abc111111111']).code).toBe(0);
      expect(revise(dir, ['revision', '-m', 'two', '--rev-id', 'abc222222222']).code).toBe(0);
      expectOneLineError(revise(dir, ['upgrade', 'fff'], env), /Can't locate revision identified by 'fff'/);
      expectOneLineError(revise(dir, ['show', 'zzz']), /Can't locate revision identified by 'zzz'/);
      expectOneLineError(revise(dir, ['show', 'abc']), /abc.*(multiple|ambiguous)|(multiple|ambiguous).*abc/i);
      expectOneLineError(revise(dir, ['upgrade', 'abc'], env), /(multiple|ambiguous)/i);
      expectOneLineError(revise(dir, ['revision', '-m', 'dup', '--rev-id', 'abc111111111']), /already/);
      expectOneLineError(revise(dir, ['downgrade', '-1', '--sql'], env), /requires <fromrev>:<torev>/);
    });

    it('the database is at a revision whose file is missing', () => {
      const dir = project('missing');
      const db = join(dir, 'x.db');
      const env = { DATABASE_URL: `file:${db}` };
      expect(revise(dir, ['init']).code).toBe(0);
      const path = generatedPath(revise(dir, ['revision', '-m', 'one', '--rev-id', 'ddd111111111']));
      expect(revise(dir, ['upgrade', 'head'], env).code).toBe(0);
      unlinkSync(path);
      expect(revise(dir, ['revision', '-m', 'other', '--rev-id', 'eee111111111']).code).toBe(0);
      expectOneLineError(revise(dir, ['current'], env), /ddd111111111/);
      expectOneLineError(revise(dir, ['upgrade', 'head'], env), /ddd111111111/);
      expect(versions(db)).toEqual(['ddd111111111']);
    });

    it('a revision whose upgrade throws leaves the database unchanged', () => {
      const dir = project('throws');
      const db = join(dir, 't.db');
      const env = { DATABASE_URL: `file:${db}` };
      expect(revise(dir, ['init']).code).toBe(0);
      const ok = generatedPath(revise(dir, ['revision', '-m', 'good', '--rev-id', 'good00000001']));
      fillRevision(ok, "await op.execute('CREATE TABLE \"kept\" (\"id\" INTEGER)');", "await op.execute('DROP TABLE \"kept\"');");
      const bad = generatedPath(revise(dir, ['revision', '-m', 'bad one', '--rev-id', 'bad000000002']));
      fillRevision(bad, "await op.execute('CREATE TABLE \"lost\" (\"id\" INTEGER)'); throw new Error('boom\\nsecond line');", '');
      const run = revise(dir, ['upgrade', 'head'], env);
      expectOneLineError(run, /Revision bad000000002 \(bad one\) failed: boom.*rolled back/);
      expect(versions(db)).toEqual(['good00000001']);
      expect(tables(db)).toEqual(['alembic_version', 'kept']);
    });

    it('autogenerate with a schema syntax error reports Prisma\'s message with the line', () => {
      const dir = project('badschema');
      mkdirSync(join(dir, 'prisma'));
      writeFileSync(
        join(dir, 'prisma', 'schema.prisma'),
        'datasource db {\n  provider = "sqlite"\n}\n\nmodel User {\n  id Int @id\n  name Strin\n}\n',
      );
      expect(revise(dir, ['init']).code).toBe(0);
      const run = revise(dir, ['autogenerate', '-m', 'x']);
      expectOneLineError(run, /Strin/);
      expect(run.problems[0]).toMatch(/schema\.prisma:7|line 7/);
      expect(readdirSync(join(dir, 'migrations', 'versions'))).toEqual([]);
    });
  });

  it('autogenerate end to end: write, upgrade, check', () => {
    const dir = project('autogen');
    mkdirSync(join(dir, 'prisma'));
    const schema = join(dir, 'prisma', 'schema.prisma');
    writeFileSync(
      schema,
      `datasource db {
  provider = "sqlite"
}

model User {
  id    Int     @id @default(autoincrement())
  email String  @unique
  posts Post[]
}

model Post {
  id       Int    @id @default(autoincrement())
  title    String
  author   User   @relation(fields: [authorId], references: [id])
  authorId Int
}
`,
    );
    expect(revise(dir, ['init']).code).toBe(0);

    // Nothing applied yet: check sees the whole schema as new (exit 1, Alembic's words).
    const before = revise(dir, ['check']);
    expectOneLineError(before, /^Error: New upgrade operations detected: \[added table 'User', added table 'Post'/);

    const gen = revise(dir, ['autogenerate', '-m', 'init']);
    expect(gen.code, gen.stderr).toBe(0);
    expect(gen.stderr).toContain("INFO  [revise.autogenerate.compare] Detected added table 'User'");
    expect(gen.stderr).toContain("INFO  [revise.autogenerate.compare] Detected added table 'Post'");
    const file = readFileSync(generatedPath(gen), 'utf8');
    expect(generatedPath(gen)).toMatch(/[0-9a-f]{12}_init\.ts$/);
    expect(file).toContain('export const downRevision: string | string[] | null = null;');
    expect(file).toMatch(/await op\.createTable\(\{\s*name: 'User'/);
    expect(file).toMatch(/await op\.createTable\(\{\s*name: 'Post'/);
    expect(file).toContain("await op.dropTable('Post');");

    const up = revise(dir, ['upgrade', 'head']);
    expect(up.code, up.stderr).toBe(0);
    const db = join(dir, 'local.db');
    expect(tables(db)).toEqual(['Post', 'User', 'alembic_version']);

    const check = revise(dir, ['check']);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toBe('No new upgrade operations detected.\n');

    // No changes: nothing is written unless --allow-empty.
    const none = revise(dir, ['autogenerate', '-m', 'nothing']);
    expect(none.code).toBe(0);
    expect(none.stderr).toContain('No changes in schema detected.');
    expect(readdirSync(join(dir, 'migrations', 'versions')).filter((f) => f.endsWith('.ts'))).toHaveLength(1);
    const empty = revise(dir, ['revision', '--autogenerate', '-m', 'empty', '--allow-empty']);
    expect(empty.code, empty.stderr).toBe(0);
    expect(readdirSync(join(dir, 'migrations', 'versions')).filter((f) => f.endsWith('.ts'))).toHaveLength(2);
    expect(revise(dir, ['upgrade', 'head']).code).toBe(0);

    // A new column: check fails and lists it; autogenerate picks it up.
    writeFileSync(schema, readFileSync(schema, 'utf8').replace('  title    String\n', '  title    String\n  views    Int    @default(0)\n'));
    expectOneLineError(revise(dir, ['check']), /added column 'Post\.views'/);
    const second = revise(dir, ['autogenerate', '-m', 'add views']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain("Detected added column 'Post.views'");
    // Not applied yet: autogenerate refuses, like Alembic.
    expectOneLineError(revise(dir, ['autogenerate', '-m', 'again']), /Target database is not up to date/);
    expect(revise(dir, ['upgrade', 'head']).code).toBe(0);
    expect(revise(dir, ['check']).code).toBe(0);
    expect(revise(dir, ['downgrade', 'base']).code).toBe(0);
    expect(tables(db)).toEqual(['alembic_version']);
  });
});
