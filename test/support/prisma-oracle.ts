/**
 * Prisma's own migration engine, run in-process, as the judge of what Prisma
 * expects a database to look like. Tests only: revise never uses it at run time.
 *
 * The engine is `@prisma/schema-engine-wasm` (the same build Prisma 7's CLI
 * uses), talking to the database through a driver adapter:
 * `@prisma/adapter-better-sqlite3` for SQLite files, `@prisma/adapter-pg` for
 * PostgreSQL. The WebAssembly module is instantiated once per process; an
 * engine object is made per database (the adapter is fixed at construction)
 * and freed after each call.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export type OracleProvider = 'sqlite' | 'postgresql';

export interface DriftOptions {
  /** The Prisma schema the database should match (no `url` in the datasource, Prisma 7 style). */
  schemaText: string;
  /** `file:/path/to.db` (or a bare path) for SQLite, `postgresql://...` for PostgreSQL. */
  url: string;
  /** Tables Prisma must ignore (Prisma 7 `tables.external`); `alembic_version` is always added. */
  externalTables?: string[];
  /** Enums Prisma must ignore (Prisma 7 `enums.external`). */
  externalEnums?: string[];
}

// ---------------------------------------------------------------------------
// Wasm module: loaded once per process.

/** Same contract as `WasmPanicRegistry` in @prisma/internals: the wasm panic hook calls `set_message`. */
class PanicRegistry {
  message = '';
  get(): string {
    return this.message;
  }
  set_message(value: string): void {
    this.message = `RuntimeError: ${value}`;
  }
}

interface EngineInstance {
  diff(params: unknown): Promise<{ exitCode: number; stdout: string | null }>;
  applyMigrations(params: unknown): Promise<{ appliedMigrationNames: string[] }>;
  dbExecute(params: unknown): Promise<void>;
  free(): void;
}
interface EngineClass {
  new: (options: { datamodels: [string, string][] | undefined }, debug: (log: string) => void, adapter: object) => Promise<EngineInstance>;
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, unknown>) => { exports: Record<string, unknown> };
}

let engineClass: Promise<EngineClass> | undefined;

/**
 * Node cannot `import` a .wasm file without a flag, so do what
 * @prisma/internals' `wasmSchemaEngineLoader` does: import the JS glue, build
 * the WebAssembly instance by hand, hand its exports to the glue and start it.
 */
function loadEngineClass(): Promise<EngineClass> {
  engineClass ??= (async () => {
    const g = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: PanicRegistry };
    g.PRISMA_WASM_PANIC_REGISTRY ??= new PanicRegistry();
    const runtime = (await import('@prisma/schema-engine-wasm/schema_engine_bg')) as unknown as {
      __wbg_set_wasm(exports: Record<string, unknown>): void;
      SchemaEngine: EngineClass;
    };
    const require = createRequire(import.meta.url);
    const wasmPath = require.resolve('@prisma/schema-engine-wasm').replace(/schema_engine\.js$/, 'schema_engine_bg.wasm');
    // The project's lib has no DOM/WebAssembly typings; describe the two calls used.
    const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    const module = new wasmApi.Module(await readFile(wasmPath));
    const instance = new wasmApi.Instance(module, { './schema_engine_bg.js': runtime });
    runtime.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return runtime.SchemaEngine;
  })();
  return engineClass;
}

// ---------------------------------------------------------------------------
// Driver adapters.

interface Disposable {
  dispose(): Promise<void>;
}
interface AdapterFactory {
  readonly provider: string;
  readonly adapterName: string;
  connect(): Promise<unknown>;
  connectToShadowDb(): Promise<unknown>;
}

const PG_CHAR_OID = 18; // PostgreSQL's internal one-byte `"char"` (pg_class.relkind, pg_constraint.contype, ...)
const PG_TEXT_OID = 25;
const COLUMN_TYPE_CHARACTER = 6; // ColumnTypeEnum.Character in @prisma/driver-adapter-utils

/**
 * adapter-pg 7.10 throws `UnsupportedNativeDataType` for `"char"` (OID 18),
 * which Prisma's own introspection queries select. Feed its column mapper a
 * text OID instead and report the column to the engine as Character.
 */
function patchPgQueryable<T extends object>(queryable: T): T {
  const q = queryable as T & { queryRaw(query: unknown): Promise<{ columnTypes: number[] }>; performIO(query: unknown): Promise<{ fields: { dataTypeID: number }[] }> };
  const originalQueryRaw = q.queryRaw;
  q.queryRaw = async function (query: unknown) {
    const charColumns: number[] = [];
    // A per-call view of the queryable whose performIO rewrites the OID, so concurrent calls cannot mix up columns.
    const view = Object.create(q, {
      performIO: {
        value: async (inner: unknown) => {
          const result = await q.performIO(inner);
          result.fields = result.fields.map((field, index) => {
            if (field.dataTypeID !== PG_CHAR_OID) return field;
            charColumns.push(index);
            return { ...field, dataTypeID: PG_TEXT_OID };
          });
          return result;
        },
      },
    });
    const resultSet = await originalQueryRaw.call(view, query);
    for (const index of charColumns) resultSet.columnTypes[index] = COLUMN_TYPE_CHARACTER;
    return resultSet;
  };
  const withTx = q as T & { startTransaction?: (...args: unknown[]) => Promise<object> };
  const originalStart = withTx.startTransaction;
  if (originalStart) {
    withTx.startTransaction = async function (...args: unknown[]) {
      return patchPgQueryable(await originalStart.apply(q, args));
    };
  }
  return queryable;
}

/** Wraps a factory so every adapter it hands out is patched (PG) and remembered for disposal. */
function trackingFactory(inner: AdapterFactory, patch: <T extends object>(a: T) => T, opened: Disposable[]): AdapterFactory {
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    async connect() {
      const adapter = patch((await inner.connect()) as object);
      opened.push(adapter as unknown as Disposable);
      return adapter;
    },
    async connectToShadowDb() {
      const adapter = patch((await inner.connectToShadowDb()) as object);
      opened.push(adapter as unknown as Disposable);
      return adapter;
    },
  };
}

function sqlitePath(url: string): string {
  return url.replace(/^file:/, '').replace(/\?.*$/, '');
}

async function makeFactory(provider: OracleProvider, url: string, opened: Disposable[]): Promise<AdapterFactory> {
  if (provider === 'sqlite') {
    const { PrismaBetterSqlite3 } = await import('@prisma/adapter-better-sqlite3');
    return trackingFactory(new PrismaBetterSqlite3({ url: sqlitePath(url) }), (a) => a, opened);
  }
  const { PrismaPg } = await import('@prisma/adapter-pg');
  // Prisma's `?schema=` is not a libpq parameter: hand it to the adapter, which reports it to the engine.
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? undefined;
  parsed.searchParams.delete('schema');
  return trackingFactory(new PrismaPg({ connectionString: parsed.toString(), max: 2 }, { schema }), patchPgQueryable, opened);
}

/** Runs `work` with a fresh engine bound to the given database, then frees engine and connections. */
async function withEngine<T>(provider: OracleProvider, url: string, work: (engine: EngineInstance) => Promise<T>): Promise<T> {
  const SchemaEngine = await loadEngineClass();
  const { bindMigrationAwareSqlAdapterFactory } = await import('@prisma/driver-adapter-utils');
  const opened: Disposable[] = [];
  const factory = bindMigrationAwareSqlAdapterFactory((await makeFactory(provider, url, opened)) as never);
  const debug = process.env.REVISE_ORACLE_DEBUG ? (log: string) => process.stderr.write(`[schema-engine] ${log}\n`) : () => {};
  let engine: EngineInstance | undefined;
  try {
    engine = await SchemaEngine.new({ datamodels: undefined }, debug, factory);
    return await work(engine);
  } catch (error) {
    throw lookupError(factory, error);
  } finally {
    engine?.free();
    for (const adapter of opened) await adapter.dispose().catch(() => {});
  }
}

/** Adapter errors cross the wasm boundary as ids; turn them back into readable errors. */
function lookupError(factory: { errorRegistry: { consumeError(id: number): { error: unknown } | undefined } }, error: unknown): unknown {
  const e = error as { id?: unknown; name?: string; message?: string };
  if (typeof e?.id === 'number') {
    const record = factory.errorRegistry.consumeError(e.id);
    if (record) return new Error(`driver adapter error: ${JSON.stringify(record.error)}`);
  }
  if (e?.name === 'RuntimeError') {
    const registry = (globalThis as { PRISMA_WASM_PANIC_REGISTRY?: PanicRegistry }).PRISMA_WASM_PANIC_REGISTRY;
    return new Error(`schema engine panic: ${registry?.get() ?? e.message}`);
  }
  return error;
}

// ---------------------------------------------------------------------------
// Public helpers.

/** Reads `provider = "..."` from the schema's datasource block. */
export function providerOf(schemaText: string): OracleProvider {
  const match = /datasource\s+\w+\s*\{[^}]*provider\s*=\s*"(\w+)"/.exec(schemaText);
  const provider = match?.[1];
  if (provider === 'sqlite') return 'sqlite';
  if (provider === 'postgresql' || provider === 'postgres') return 'postgresql';
  throw new Error(`prisma-oracle: unsupported or missing datasource provider: ${provider ?? '(none)'}`);
}

function files(schemaText: string) {
  return [{ path: 'schema.prisma', content: schemaText }];
}

/**
 * The engine's `SchemaFilter` (Prisma 7 `tables.external` / `enums.external`).
 * On PostgreSQL it insists on `schema.name`; bare names get the URL's
 * `?schema=` or `public`.
 */
function filters(provider: OracleProvider, url: string, options: { externalTables?: string[]; externalEnums?: string[] }) {
  const defaultSchema = provider === 'postgresql' ? (new URL(url).searchParams.get('schema') ?? 'public') : undefined;
  const qualify = (name: string) => (defaultSchema && !name.includes('.') ? `${defaultSchema}.${name}` : name);
  const externalTables = [...new Set(['alembic_version', ...(options.externalTables ?? [])].map(qualify))];
  return { externalTables, externalEnums: (options.externalEnums ?? []).map(qualify) };
}

/** Where the reference SQL is computed for PostgreSQL: the engine connects (it reads the server version) but changes nothing. */
export const DEFAULT_PG_ADMIN_URL = process.env.REVISE_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/**
 * The SQL `prisma migrate dev` would write for this schema on an empty
 * database (engine `diff` from empty to the datamodel, as a script).
 * PostgreSQL needs a reachable server at `DEFAULT_PG_ADMIN_URL`.
 */
export async function prismaReferenceSql(schemaText: string, provider: OracleProvider): Promise<string> {
  const url = provider === 'sqlite' ? ':memory:' : DEFAULT_PG_ADMIN_URL;
  return withEngine(provider, url, async (engine) => {
    const result = await engine.diff({
      from: { tag: 'empty' },
      to: { tag: 'schemaDatamodel', files: files(schemaText) },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    return result.stdout ?? '';
  });
}

/**
 * The SQL Prisma would run to bring the live database at `url` to the schema
 * (engine `diff` from the datasource to the datamodel). `''` or only comments
 * means no drift. `alembic_version` is always treated as external.
 */
export async function prismaDrift(options: DriftOptions): Promise<string> {
  const provider = providerOf(options.schemaText);
  return withEngine(provider, options.url, async (engine) => {
    const result = await engine.diff({
      from: { tag: 'schemaDatasource', files: files(options.schemaText), configDir: process.cwd() },
      to: { tag: 'schemaDatamodel', files: files(options.schemaText) },
      script: true,
      exitCode: null,
      filters: filters(provider, options.url, options),
    });
    return result.stdout ?? '';
  });
}

/** Drift SQL with comment lines and blank lines removed: `''` means Prisma sees no difference. */
export function meaningfulSql(sql: string): string {
  return sql
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trim().startsWith('--'))
    .join('\n');
}

/** Throws, showing Prisma's own fix-up SQL, when the live database differs from the schema. */
export async function expectNoDrift(options: DriftOptions): Promise<void> {
  const drift = meaningfulSql(await prismaDrift(options));
  if (drift !== '') {
    throw new Error(`Prisma sees drift between the database and the schema; it would run:\n${drift}`);
  }
}

/** Runs a SQL script through Prisma's engine (its own statement splitting), e.g. to apply reference SQL. */
export async function prismaExecute(url: string, provider: OracleProvider, script: string): Promise<void> {
  await withEngine(provider, url, (engine) => engine.dbExecute({ datasourceType: { tag: 'url', url }, script }));
}

/**
 * The migration.sql `prisma migrate dev` writes to go from one schema to the
 * next (engine `diff` between two datamodels; `from` undefined: from empty).
 */
export async function prismaMigrationSql(from: string | undefined, to: string, provider: OracleProvider): Promise<string> {
  const url = provider === 'sqlite' ? ':memory:' : DEFAULT_PG_ADMIN_URL;
  return withEngine(provider, url, async (engine) => {
    const result = await engine.diff({
      from: from === undefined ? { tag: 'empty' } : { tag: 'schemaDatamodel', files: files(from) },
      to: { tag: 'schemaDatamodel', files: files(to) },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    return result.stdout ?? '';
  });
}

/**
 * `prisma migrate deploy` of the given migration folders (default: all of
 * `baseDir`), by Prisma's own engine: the database gets the tables and the
 * `_prisma_migrations` rows Prisma writes. Resolves to the names applied.
 */
export async function prismaDeploy(url: string, provider: OracleProvider, baseDir: string, names?: string[]): Promise<string[]> {
  const { readdirSync, readFileSync: read, existsSync } = await import('node:fs');
  const { join } = await import('node:path');
  const folders = (names ?? readdirSync(baseDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort());
  const lock = join(baseDir, 'migration_lock.toml');
  return withEngine(provider, url, async (engine) => {
    const result = await engine.applyMigrations({
      migrationsList: {
        baseDir,
        lockfile: { path: 'migration_lock.toml', content: existsSync(lock) ? read(lock, 'utf8') : null },
        shadowDbInitScript: '',
        migrationDirectories: folders.map((name) => ({
          path: name,
          migrationFile: { path: 'migration.sql', content: { tag: 'ok', value: read(join(baseDir, name, 'migration.sql'), 'utf8') } },
        })),
      },
      filters: filters(provider, url, {}),
    });
    return result.appliedMigrationNames;
  });
}

/** Prisma's checksum of a migration.sql file: SHA-256 of its bytes, hex (independent of revise's own). */
export function prismaChecksumOf(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Absolute path of a file under test/fixtures. */
export function fixturePath(...parts: string[]): string {
  return fileURLToPath(new URL(['..', 'fixtures', ...parts].join('/'), import.meta.url));
}
