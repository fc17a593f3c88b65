/**
 * The oclif-free fast path of the hot commands: which command lines it takes
 * (and hands the rest to oclif), and that the built CLI behaves the same
 * through it (output, one-line errors, exit codes).
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { COMMANDS, GLOBAL, GLOBAL_SHORT, parseFast } from '../src/cli/fast.js';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { BIN, ensureBuilt, problemLines, runCli } from './support/e2e.js';

describe('the fast path and oclif agree', () => {
  it('every fast command has exactly the flags, short names and argument count of its oclif definition', () => {
    ensureBuilt();
    const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'oclif.manifest.json'), 'utf8')) as {
      commands: Record<string, { flags: Record<string, { type: 'boolean' | 'option'; char?: string }>; args: Record<string, { required?: boolean }> }>;
    };
    for (const [name, spec] of Object.entries(COMMANDS)) {
      const oclif = manifest.commands[name];
      expect(oclif, name).toBeDefined();
      const oclifFlags = Object.fromEntries(
        Object.entries(oclif!.flags).map(([flag, def]) => [flag, def.type === 'boolean' ? 'boolean' : 'string']),
      );
      expect({ ...GLOBAL, ...spec.flags }, name).toEqual(oclifFlags);
      const oclifShort = Object.fromEntries(
        Object.entries(oclif!.flags).filter(([, def]) => def.char).map(([flag, def]) => [def.char!, flag]),
      );
      expect({ ...GLOBAL_SHORT, ...spec.short }, name).toEqual(oclifShort);
      const args = Object.values(oclif!.args);
      if (spec.positionals[1] !== Infinity) expect(spec.positionals[1], name).toBe(args.length);
      expect(spec.positionals[0], name).toBe(args.filter((a) => a.required).length);
    }
  });
});

describe('parseFast', () => {
  it('takes plain invocations of the hot commands', () => {
    expect(parseFast(['upgrade'])?.positionals).toEqual([]);
    expect(parseFast(['upgrade', 'head', '--sql', '--tag', 'x'])?.flags).toEqual({ sql: true, tag: 'x' });
    expect(parseFast(['upgrade', '--url=file:./a.db', '+2'])).toMatchObject({ flags: { url: 'file:./a.db' }, positionals: ['+2'] });
    expect(parseFast(['downgrade', '-1'])?.positionals).toEqual(['-1']);
    expect(parseFast(['downgrade', '-n', 'catalog', '-2'])).toMatchObject({ flags: { name: 'catalog' }, positionals: ['-2'] });
    expect(parseFast(['stamp', 'a', 'b', '--purge'])).toMatchObject({ flags: { purge: true }, positionals: ['a', 'b'] });
    expect(parseFast(['history', '-r', '-3:', '-i'])?.flags).toEqual({ 'rev-range': '-3:', 'indicate-current': true });
    expect(parseFast(['current', '-v', '--json'])?.flags).toEqual({ verbose: true, json: true });
    expect(parseFast(['heads', '--resolve-dependencies', '--cwd', '/x'])?.flags).toEqual({ 'resolve-dependencies': true, cwd: '/x' });
    expect(parseFast(['downgrade', '--', '-1'])?.positionals).toEqual(['-1']);
  });

  it('hands everything else to oclif', () => {
    for (const argv of [
      [],
      ['--help'],
      ['upgrade', '--help'],
      ['upgrade', '-h'],
      ['autogenerate', '-m', 'x'],
      ['upgrade', '--bogus'],
      ['upgrade', 'a', 'b'],
      ['downgrade'],
      ['stamp'],
      ['current', 'extra'],
      ['history', '-vi'],
      ['upgrade', '--sql=true'],
      ['upgrade', '--tag'],
      ['upgrade', '--tag', 'a', '--tag', 'b'],
      ['heads', '-r', 'x'],
    ]) {
      expect(parseFast(argv), argv.join(' ')).toBeUndefined();
    }
  });
});

/** A bare project (package.json, migrations/versions) in `dir`; returns its versions folder. */
function projectIn(dir: string): string {
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'fast-path-test', private: true, type: 'module' }));
  const versions = join(dir, 'migrations', 'versions');
  mkdirSync(versions, { recursive: true });
  return versions;
}

/** A revision file whose upgrade / downgrade run one SQL statement each (or nothing). */
function writeRevision(versions: string, file: string, id: string, down: string | null, message: string, upSql?: string, downSql?: string): void {
  const body = (sql: string | undefined) => (sql ? `{ await op.execute('${sql}'); }` : '{}');
  writeFileSync(
    join(versions, file),
    `/**\n * ${message}\n */\nexport const revision = '${id}';\nexport const downRevision = ${down ? `'${down}'` : 'null'};\n` +
      `export async function upgrade(op: any) ${body(upSql)}\nexport async function downgrade(op: any) ${body(downSql)}\n`,
  );
}

describe('built CLI through the fast path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'revise-fast-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('same output, one-line errors and exit codes', () => {
    ensureBuilt();
    writeRevision(projectIn(dir), 'abc123_first.ts', 'abc123', null, 'first', 'CREATE TABLE t (x INTEGER)', 'DROP TABLE t');
    const env = { DATABASE_URL: `file:${join(dir, 'app.db')}` };
    const cli = (args: string[]) => runCli(args, { cwd: dir, env });

    const up = cli(['upgrade', 'head']);
    expect(up.status, up.stderr).toBe(0);
    expect(up.stderr).toContain('Running upgrade  -> abc123, first');
    expect(cli(['current']).stdout).toBe('abc123 (head)\n');
    expect(cli(['heads']).stdout).toBe('abc123 (head)\n');
    expect(cli(['history']).stdout).toBe('<base> -> abc123 (head), first\n');

    const bad = cli(['upgrade', 'nope']);
    expect(bad.status).toBe(1);
    expect(problemLines(bad.stderr)).toEqual(["Error: Can't locate revision identified by 'nope'"]);

    // oclif still owns usage errors and help.
    const missing = cli(['downgrade']);
    expect(missing.status).toBe(2);
    expect(problemLines(missing.stderr)).toEqual(['Error: Missing required argument: TARGET (see --help)']);
    expect(cli(['upgrade', '--help']).stdout).toContain('USAGE');

    expect(cli(['downgrade', '-1']).status).toBe(0);
    expect(cli(['current']).stdout).toBe('');
  }, 120_000);
});

describe('what a no-op upgrade head loads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'revise-fast-modules-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('neither oclif, esbuild, Kysely, pg, Prisma, nor the DDL, introspection, execution or offline modules', () => {
    ensureBuilt();
    writeRevision(projectIn(dir), 'abc123_first.ts', 'abc123', null, 'first', 'CREATE TABLE t (x INTEGER)', 'DROP TABLE t');
    const env = { DATABASE_URL: `file:${join(dir, 'app.db')}` };
    expect(runCli(['upgrade', 'head'], { cwd: dir, env }).status).toBe(0);

    // A loader hook (in Node's hooks thread) reports every ES module the process loads; CommonJS
    // packages (better-sqlite3, pg) are loaded with require, so the CommonJS cache is listed at exit.
    const hook = join(dir, 'trace-modules.mjs');
    writeFileSync(
      hook,
      `import { register } from 'node:module';\nregister('data:text/javascript,' + encodeURIComponent("export async function load(url, context, next) { if (!url.startsWith('node:')) process.stderr.write('LOADED ' + url + '\\\\n'); return next(url, context); }"));\n`,
    );
    const cjsHook = join(dir, 'trace-require.cjs');
    writeFileSync(
      cjsHook,
      "process.on('exit', () => { for (const file of Object.keys(require.cache)) process.stderr.write('LOADED ' + require('node:url').pathToFileURL(file).href + '\\n'); });\n",
    );
    const run = spawnSync(process.execPath, ['--require', cjsHook, '--import', pathToFileURL(hook).href, BIN, 'upgrade', 'head'], {
      cwd: dir,
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    const loaded = run.stderr.split('\n').filter((l) => l.startsWith('LOADED ')).map((l) => l.slice('LOADED '.length));
    // The probe works: the runner and the SQLite driver did load.
    expect(loaded.some((u) => u.endsWith('/dist/runtime/runner.js'))).toBe(true);
    expect(loaded.some((u) => u.includes('/better-sqlite3/'))).toBe(true);
    const heavy = [
      '/@oclif/',
      '/esbuild/',
      '/kysely/',
      '/pg/',
      '/@prisma/',
      '/dist/runtime/executor.js',
      '/dist/runtime/loader.js',
      '/dist/runtime/sql-params.js',
      '/dist/runtime/prisma-migrate.js',
      '/dist/dialect/sqlite/ddl.js',
      '/dist/dialect/sqlite/introspector.js',
      '/dist/dialect/postgres/',
      '/dist/autogenerate/',
      '/dist/schema/',
      '/dist/script/format.js',
    ];
    expect(loaded.filter((u) => heavy.some((h) => u.includes(h)))).toEqual([]);
  }, 120_000);
});

describe('history from the cached listing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'revise-history-cache-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints what history computes, and sees an edited revision at once', () => {
    ensureBuilt();
    const versions = projectIn(dir);
    writeRevision(versions, 'aaa111_first.ts', 'aaa111', null, 'first');
    writeRevision(versions, 'bbb222_second.ts', 'bbb222', 'aaa111', 'second');
    const cli = (args: string[]) => runCli(args, { cwd: dir, env: { DATABASE_URL: `file:${join(dir, 'app.db')}` } });

    const expected = 'aaa111 -> bbb222 (head), second\n<base> -> aaa111, first\n';
    expect(cli(['history']).stdout).toBe(expected);
    expect(readdirSync(join(dir, 'node_modules', '.cache', 'revise')).some((n) => n.startsWith('history-'))).toBe(true);
    expect(cli(['history']).stdout).toBe(expected);
    // -v has its own entry; --json and -r are computed as always.
    const verbose = cli(['history', '-v']).stdout;
    expect(verbose).toContain('Rev: bbb222 (head)\nParent: aaa111\n');
    expect(cli(['history', '-v']).stdout).toBe(verbose);
    expect(JSON.parse(cli(['history', '--json']).stdout).map((r: { id: string }) => r.id)).toEqual(['bbb222', 'aaa111']);
    expect(cli(['history', '-r', 'aaa111:']).stdout).toBe(expected);

    // An edit (new message, another mtime) is seen by the very next run.
    writeRevision(versions, 'bbb222_second.ts', 'bbb222', 'aaa111', 'second, renamed');
    utimesSync(join(versions, 'bbb222_second.ts'), new Date(), new Date(Date.now() + 5000));
    expect(cli(['history']).stdout).toBe('aaa111 -> bbb222 (head), second, renamed\n<base> -> aaa111, first\n');
    // A new revision too.
    writeRevision(versions, 'ccc333_third.ts', 'ccc333', 'bbb222', 'third');
    expect(cli(['history']).stdout.split('\n')[0]).toBe('bbb222 -> ccc333 (head), third');
  }, 120_000);
});
