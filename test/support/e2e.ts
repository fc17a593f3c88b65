/**
 * End-to-end helpers: the built CLI (`node bin/run.js`) run in throwaway
 * projects against real databases, plus raw access to those databases to
 * check what the CLI did (introspection through revise's own dialects, and
 * plain SQL through better-sqlite3 / pg / mysql2; test SQL quotes identifiers
 * "like this", which become backticks on MySQL).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DatabaseModel } from '../../src/model/types.ts';

/** The databases Prisma's WASM engine can judge. */
export type Provider = 'sqlite' | 'postgresql';
/** Every database the helpers below speak (MySQL has no engine to judge it). */
export type DatabaseKind = Provider | 'mysql';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
export const BIN = join(REPO_ROOT, 'bin', 'run.js');

// ---------------------------------------------------------------------------
// Building the CLI once per test run.

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function isFresh(): boolean {
  const manifest = join(REPO_ROOT, 'oclif.manifest.json');
  if (!existsSync(manifest) || !existsSync(join(REPO_ROOT, 'dist', 'commands', 'upgrade.js'))) return false;
  return statSync(manifest).mtimeMs >= newestMtime(join(REPO_ROOT, 'src'));
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Builds dist/ and the oclif manifest when they are missing or older than
 * src/ (`npm test` builds first, so in CI this is a no-op). Test files run in
 * parallel workers: a lock folder makes sure only one of them builds.
 */
export function ensureBuilt(): void {
  if (isFresh()) return;
  const lock = join(REPO_ROOT, 'node_modules', '.cache', 'revise-e2e-build.lock');
  mkdirSync(join(lock, '..'), { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Someone else is building; a lock older than 3 minutes is left over from a killed run.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 180_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('e2e: timed out waiting for another worker to build the CLI');
      sleepSync(250);
    }
  }
  try {
    if (isFresh()) return;
    // Type errors elsewhere must not stop the emit (tsc emits anyway); the manifest step must succeed.
    spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: REPO_ROOT, stdio: 'ignore' });
    execFileSync('npx', ['oclif', 'manifest'], { cwd: REPO_ROOT, stdio: 'ignore' });
  } finally {
    rmdirSync(lock);
  }
}

// ---------------------------------------------------------------------------
// Running the CLI.

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd: string;
  /** Added to a clean environment (no DATABASE_URL, REVISE_DATABASE_URL, REVISE_DEBUG from the outside). */
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

function cliEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['DATABASE_URL', 'REVISE_DATABASE_URL', 'REVISE_DEBUG', 'EDITOR', 'NODE_OPTIONS']) delete env[name];
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** `revise <args>` run synchronously with the built CLI. */
export function runCli(args: string[], options: CliOptions): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: cliEnv(options.env),
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 120_000,
  });
  return { status: result.status ?? -1, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

/** The same, as a child process that runs alongside others (concurrency tests). */
export function runCliAsync(args: string[], options: CliOptions): Promise<CliResult> {
  return runNodeAsync([BIN, ...args], options);
}

/** `node <args>` (a script and its arguments, Node's own flags first) as a child process, in the CLI's clean environment. */
export function runNodeAsync(args: string[], options: Partial<CliOptions> = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { ...(options.cwd ? { cwd: options.cwd } : {}), env: cliEnv(options.env) });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ status: code ?? -1, stdout, stderr });
    });
  });
}

/** stderr without the INFO/WARN progress lines: what a failure printed. */
export function problemLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.trim() !== '' && !/^(INFO|WARN) {1,2}\[/.test(line));
}

/** Text of a CLI run for assertion messages. */
export function describeRun(run: CliResult): string {
  return `exit ${run.status}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
}

/** The file a `revision`/`autogenerate` run wrote, from its "Generating ... done" line. */
export function generatedFile(run: CliResult): string | undefined {
  return /Generating (\S+\.ts) \.\.\. {2}done/.exec(run.stdout)?.[1];
}

// ---------------------------------------------------------------------------
// Throwaway projects.

export interface ProjectOptions {
  provider: DatabaseKind;
  /** Database URL; default for SQLite: `file:<project>/app.db`. */
  url?: string;
  /** Extra generator/datasource lines, e.g. `schemas = ["a", "b"]` for multiSchema. */
  datasourceExtra?: string;
  /** Skip `revise init` (the migrations folder is then missing). */
  noInit?: boolean;
}

export interface E2EProject {
  dir: string;
  provider: DatabaseKind;
  url: string;
  schemaPath: string;
  versionsDir: string;
  /** Writes prisma/schema.prisma: the datasource block followed by `models`; returns the full text. */
  writeSchema(models: string): string;
  /** The schema text as last written. */
  schemaText(): string;
  /** `revise <args>` in the project, with DATABASE_URL set to the project's URL (override with env). */
  cli(args: string[], env?: Record<string, string | undefined>): CliResult;
  cliAsync(args: string[], env?: Record<string, string | undefined>): Promise<CliResult>;
  /** Revision files, sorted by name. */
  revisionFiles(): string[];
  cleanup(): void;
}

/**
 * A temporary project folder: package.json (`"type": "module"`),
 * prisma/schema.prisma, `node_modules/prisma-revise` linked to this repository
 * (so `import type { MigrationOps } from 'prisma-revise'` resolves), and
 * `revise init` already run.
 */
export function makeProject(options: ProjectOptions): E2EProject {
  ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), `revise-e2e-${options.provider}-`));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'e2e-app', private: true, type: 'module' }, null, 2));
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(REPO_ROOT, join(dir, 'node_modules', 'prisma-revise'), 'dir');
  mkdirSync(join(dir, 'prisma'));
  const schemaPath = join(dir, 'prisma', 'schema.prisma');
  const url = options.url ?? (options.provider === 'sqlite' ? `file:${join(dir, 'app.db')}` : undefined);
  if (!url) throw new Error(`makeProject: a ${options.provider} project needs a url`);
  const header = `datasource db {\n  provider = "${options.provider}"\n${options.datasourceExtra ? `  ${options.datasourceExtra}\n` : ''}}\n`;
  let text = '';
  const project: E2EProject = {
    dir,
    provider: options.provider,
    url,
    schemaPath,
    versionsDir: join(dir, 'migrations', 'versions'),
    writeSchema(models) {
      text = `${header}\n${models.trim()}\n`;
      writeFileSync(schemaPath, text);
      return text;
    },
    schemaText: () => text,
    cli: (args, env) => runCli(args, { cwd: dir, env: { DATABASE_URL: url, ...env } }),
    cliAsync: (args, env) => runCliAsync(args, { cwd: dir, env: { DATABASE_URL: url, ...env } }),
    revisionFiles: () =>
      existsSync(project.versionsDir)
        ? readdirSync(project.versionsDir)
            .filter((f) => f.endsWith('.ts'))
            .sort()
            .map((f) => join(project.versionsDir, f))
        : [],
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
  project.writeSchema('');
  if (!options.noInit) {
    const init = project.cli(['init']);
    if (init.status !== 0) throw new Error(`revise init failed: ${describeRun(init)}`);
  }
  return project;
}

/** Writes a revision file by hand (what `revise revision` writes, with a body); returns its path. */
export function writeRevision(p: E2EProject, id: string, downRevision: string | null, upgrade: string, downgrade = ''): string {
  const path = join(p.versionsDir, `${id}_hand.ts`);
  writeFileSync(
    path,
    `import type { MigrationOps } from 'prisma-revise';

export const revision = '${id}';
export const downRevision: string | string[] | null = ${downRevision === null ? 'null' : `'${downRevision}'`};
export const branchLabels: string[] | null = null;
export const dependsOn: string[] | null = null;

export async function upgrade(op: MigrationOps): Promise<void> {
  ${upgrade}
}

export async function downgrade(op: MigrationOps): Promise<void> {
  ${downgrade}
}
`,
  );
  return path;
}

// ---------------------------------------------------------------------------
// Looking at the database.

export interface Db {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Several statements, no parameters. */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

export function sqliteFile(url: string): string {
  return url.replace(/^file:/, '').replace(/\?.*$/, '');
}

/** A plain driver connection (better-sqlite3 or pg), independent of revise. */
export async function openDb(provider: DatabaseKind, url: string): Promise<Db> {
  if (provider === 'sqlite') {
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(sqliteFile(url));
    return {
      async query<T>(sql: string, params: unknown[] = []) {
        const statement = db.prepare(sql);
        if (statement.reader) return statement.all(...params) as T[];
        statement.run(...params);
        return [];
      },
      async exec(sql) {
        db.exec(sql);
      },
      async close() {
        db.close();
      },
    };
  }
  if (provider === 'mysql') {
    const { backticks } = await import('./mysql.ts');
    const mysql = (await import('mysql2/promise')).default;
    const u = new URL(url);
    const client = await mysql.createConnection({
      host: u.hostname,
      port: Number(u.port || 3306),
      user: decodeURIComponent(u.username || 'root'),
      password: decodeURIComponent(u.password),
      database: decodeURIComponent(u.pathname.slice(1)),
      multipleStatements: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
      timezone: 'Z',
    });
    return {
      async query<T>(sql: string, params: unknown[] = []) {
        const [rows] = await client.query(backticks(sql), params);
        return (Array.isArray(rows) ? rows : []) as T[];
      },
      async exec(sql) {
        await client.query(backticks(sql));
      },
      close: () => client.end(),
    };
  }
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  return {
    async query<T>(sql: string, params: unknown[] = []) {
      // `?` placeholders, written once for both dialects, become $1, $2... here.
      let n = 0;
      const text = sql.replace(/\?/g, () => `$${++n}`);
      return (await client.query(text, params)).rows as T[];
    },
    async exec(sql) {
      await client.query(sql);
    },
    close: () => client.end(),
  };
}

export async function withDb<T>(provider: DatabaseKind, url: string, work: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDb(provider, url);
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

/** The database as revise's own introspector reads it (alembic_version and _prisma_migrations excluded). */
export async function introspect(provider: DatabaseKind, url: string, schemas?: string[]): Promise<DatabaseModel> {
  const dialect =
    provider === 'sqlite'
      ? (await import('../../src/dialect/sqlite/index.ts')).sqliteDialect
      : provider === 'mysql'
        ? (await import('../../src/dialect/mysql/index.ts')).mysqlDialect
        : (await import('../../src/dialect/postgres/index.ts')).postgresDialect;
  const connection = await dialect.connect(url, schemas ? { schemas } : undefined);
  try {
    return await dialect.introspect(connection, schemas ? { schemas } : {});
  } finally {
    await connection.close();
  }
}

/** Every table name, straight from the catalog (alembic_version included), sorted; `schema.name` when schemas are given. */
export async function rawTables(provider: DatabaseKind, url: string, schemas?: string[]): Promise<string[]> {
  return withDb(provider, url, async (db) => {
    if (provider === 'sqlite') {
      const rows = await db.query<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
      return rows.map((r) => r.name);
    }
    if (provider === 'mysql') {
      const rows = await db.query<{ name: string }>('SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY 1');
      return rows.map((r) => r.name);
    }
    const rows = await db.query<{ schema: string; name: string }>(
      'SELECT table_schema AS schema, table_name AS name FROM information_schema.tables WHERE table_schema = ANY(?::text[]) ORDER BY 1, 2',
      [schemas ?? ['public']],
    );
    return rows.map((r) => (schemas ? `${r.schema}.${r.name}` : r.name));
  });
}

/** Every enum type (PostgreSQL; [] on SQLite). */
export async function rawEnums(provider: DatabaseKind, url: string): Promise<string[]> {
  // SQLite stores enums as TEXT; MySQL spells them in each column's type.
  if (provider === 'sqlite' || provider === 'mysql') return [];
  return withDb(provider, url, async (db) => {
    const rows = await db.query<{ name: string }>(
      "SELECT n.nspname || '.' || t.typname AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typtype = 'e' ORDER BY 1",
    );
    return rows.map((r) => r.name);
  });
}

/** alembic_version rows, sorted; null when the table does not exist. */
export async function versionRows(provider: DatabaseKind, url: string, schema?: string): Promise<string[] | null> {
  return withDb(provider, url, async (db) => {
    const exists =
      provider === 'sqlite'
        ? (await db.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'")).length > 0
        : provider === 'mysql'
          ? (await db.query("SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'alembic_version'")).length > 0
          : (await db.query('SELECT to_regclass(?) AS t', [`${schema ? `"${schema}".` : ''}alembic_version`]))[0]?.t != null;
    if (!exists) return null;
    const table = schema ? `"${schema}".alembic_version` : 'alembic_version';
    const rows = await db.query<{ version_num: string }>(`SELECT version_num FROM ${table} ORDER BY version_num`);
    return rows.map((r) => r.version_num);
  });
}

/** Everything an error must leave untouched: the introspected model, the raw table list and alembic_version. */
export async function snapshot(provider: DatabaseKind, url: string): Promise<{ model: DatabaseModel; tables: string[]; versions: string[] | null }> {
  return { model: await introspect(provider, url), tables: await rawTables(provider, url), versions: await versionRows(provider, url) };
}

/** A value as comparable text: survives Int -> BigInt -> String type changes and driver differences. */
export function comparable(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString('hex');
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** All rows of every table (by introspection), each row's values as comparable text, ordered by all columns. */
export async function tableRows(provider: DatabaseKind, url: string, model?: DatabaseModel): Promise<Map<string, Array<Record<string, string | null>>>> {
  const schema = model ?? (await introspect(provider, url));
  const result = new Map<string, Array<Record<string, string | null>>>();
  await withDb(provider, url, async (db) => {
    for (const table of schema.tables) {
      const name = table.schema ? `"${table.schema}"."${table.name}"` : `"${table.name}"`;
      const rows = await db.query<Record<string, unknown>>(`SELECT * FROM ${name}`);
      const converted = rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, comparable(v)])));
      converted.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      result.set(table.schema ? `${table.schema}.${table.name}` : table.name, converted);
    }
  });
  return result;
}
