import { Console } from 'node:console';
import type { ProjectConfig } from '../config/project.js';
import type { ConnectOptions, Connection, Dialect, Statement } from '../dialect/types.js';
import { ReviseError } from '../errors.js';
import type { TableModel } from '../model/types.js';
import type { RevisionMap, MigrationStep } from '../script/graph.js';
import type { Revision } from '../script/revision.js';
import { revisionCacheDir } from './cache-files.js';
import { loadDialect } from './dialects.js';
import type { ChangeLog } from './executor.js';
import type { RevisionModule } from './loader.js';
import { VERSION_TABLE, VersionTable, VersionTableSql } from './version-table.js';

export interface RunnerOptions {
  /** stdout: the SQL script in offline mode. */
  out: (line: string) => void;
  /** Progress lines (stderr), e.g. "INFO  [revise] Running upgrade a -> b, message". */
  log: (line: string) => void;
  /** Offline mode (`--sql`): print the SQL instead of running it; no connection is opened. */
  sql?: boolean;
  /** Offline: the heads the script starts from (the `a` of an `a:b` range). */
  startingRevision?: string[];
  /** How long to wait for another migrator's lock. Default 60000. */
  lockTimeoutMs?: number;
  /** Default true: one transaction per revision; false: every revision in one transaction. */
  transactionPerRevision?: boolean;
  /** `--tag`: handed to every revision as `op.tag`. */
  tag?: string | undefined;
}

export interface MigrationEnv {
  project: ProjectConfig;
  url: string;
  /** Where `url` came from (`--url`, `prisma/schema.prisma url = env("X") (.env)`, ...), for `current -v`. */
  urlSource?: string;
  dialect: Dialect;
  scripts: RevisionMap;
  /** PostgreSQL multiSchema: schemas to connect/introspect with. */
  schemas?: string[];
  /** multidb: the database this env migrates; revisions run its `upgrade_<database>` / `downgrade_<database>`. */
  database?: string;
}

const DEFAULT_LOCK_TIMEOUT_MS = 60_000;
const PRISMA_TABLE_NOTE = '_prisma_migrations is left as it is';
const LOGGER = 'INFO  [revise]';

/**
 * Everything a migration needs, without reading the Prisma schema (no DMMF,
 * no @prisma imports): the fast path of `upgrade head`.
 */
export async function openMigrationEnv(options: { cwd: string; url?: string; schema?: string }): Promise<MigrationEnv> {
  const [{ loadProjectConfig }, { resolveDatabaseUrl }, { loadScriptDirectory }] = await Promise.all([
    import('../config/project.js'),
    import('../config/database-url.js'),
    import('../script/directory.js'),
  ]);
  const project = await loadProjectConfig({ cwd: options.cwd, ...(options.schema !== undefined ? { schema: options.schema } : {}) });
  const [{ database, dialect }, scripts] = await Promise.all([
    resolveDatabaseUrl(project, options.url !== undefined ? { url: options.url } : {}).then(async (database) => ({
      database,
      dialect: await loadDialect(database.provider),
    })),
    // After a turn of the event loop, so the driver's modules are already being read
    // (asynchronously) while the revision files are stat'ed (synchronously).
    new Promise<void>((resolve) => setImmediate(resolve)).then(() =>
      loadScriptDirectory(project.versionPaths, { cacheDir: revisionCacheDir(project.root) }),
    ),
  ]);
  return { project, url: database.url, urlSource: database.source, dialect, scripts };
}

/** Run `fn` with V8 favouring a small heap (heap-mode.ts), loaded only by runs that go ahead. */
async function withSmallHeap<T>(fn: () => Promise<T>): Promise<T> {
  return (await import('./heap-mode.js')).withSmallHeap(fn);
}


export async function runUpgrade(env: MigrationEnv, target: string, options: RunnerOptions): Promise<void> {
  const { start, end } = splitRange(target, options);
  if (options.sql) {
    const current = resolveStart(env, start ?? []);
    return withSmallHeap(() => runOffline(env, 'upgrade', current, env.scripts.planUpgrade(current, end), options));
  }
  if (start) throw new ReviseError('Range revision not allowed');
  // Already there (the common case of `upgrade head` in every replica's postinstall): a
  // committed version row at the target is final, so no lock is needed to see it.
  const alreadyThere = async (versionTable: VersionTable) => {
    const current = await versionTable.read();
    return current.length > 0 && env.scripts.planUpgrade(current, end).length === 0;
  };
  const connect = { access: 'create', onCreate: (note: string) => options.log(`${LOGGER} ${note}`) } as const;
  await withMigrationConnection(env, { ...options, ...connect, unlessAlready: alreadyThere }, (connection, versionTable) => withSmallHeap(async () => {
    const current = await versionTable.read();
    let steps = env.scripts.planUpgrade(current, end);
    if (steps.length > 0 && current.length === 0) {
      // Revisions from base over a database that already has its tables would collide with them.
      const { refuseUnadoptedDatabase } = await import('./adoption.js');
      const adopted = await refuseUnadoptedDatabase(env, connection, await versionTable.exists());
      if (adopted) {
        // A Prisma Migrate database of an imported history: stamp where it stands, upgrade from there.
        options.log(`${LOGGER} Prisma Migrate's last applied migration is revision ${adopted}: stamping it (${PRISMA_TABLE_NOTE})`);
        await inTransaction(connection, async () => {
          await versionTable.ensure();
          await versionTable.apply([], [adopted]);
        });
        steps = env.scripts.planUpgrade([adopted], end);
      }
    }
    if (steps.length === 0) {
      // Like Alembic: the table exists after any upgrade, even one with nothing to run.
      if (!(await versionTable.exists())) await inTransaction(connection, () => versionTable.ensure());
      return;
    }
    await runOnline(env, connection, versionTable, steps, options);
  }));
}

export async function runDowngrade(env: MigrationEnv, target: string, options: RunnerOptions): Promise<void> {
  const { start, end } = splitRange(target, options);
  if (options.sql) {
    if (!start) throw new ReviseError('downgrade with --sql requires <fromrev>:<torev>');
    const current = resolveStart(env, start);
    return withSmallHeap(() => runOffline(env, 'downgrade', current, env.scripts.planDowngrade(current, end), options));
  }
  if (start) throw new ReviseError('Range revision not allowed');
  // Nothing to downgrade in a database that does not exist: a mistyped URL says so instead of creating one.
  await withMigrationConnection(env, { ...options, access: 'existing' }, (connection, versionTable) => withSmallHeap(async () => {
    const current = await versionTable.read();
    // Non-transactional DDL: an upgrade that stopped halfway is undone first, and only what it did.
    if (!env.dialect.transactionalDdl) await (await import('./half-applied.js')).revertHalfAppliedUpgrades(env, connection, current, options.log);
    const steps = env.scripts.planDowngrade(current, end);
    if (steps.length === 0) return;
    await runOnline(env, connection, versionTable, steps, options);
  }));
}

/** Alembic's `stamp`; online, resolves to the heads alembic_version holds afterwards (offline: the script's). */
export async function runStamp(env: MigrationEnv, targets: string[], options: RunnerOptions & { purge?: boolean }): Promise<string[]> {
  if (options.sql) {
    const ranged = targets.length === 1 && targets[0]!.includes(':') ? splitRange(targets[0]!, options) : undefined;
    const current = resolveStart(env, ranged?.start ?? options.startingRevision ?? []);
    const ends = ranged ? [ranged.end] : targets;
    const plan = env.scripts.planStamp(options.purge ? [] : current, ends);
    const table = new VersionTableSql(env.dialect);
    const { renderOffline } = await import('./sql-params.js');
    const write = (statement: Statement) => {
      options.out(renderOffline(statement, env.dialect));
      options.out('');
    };
    options.log(`${LOGGER} Generating static SQL`);
    options.out('BEGIN;');
    options.out('');
    if (current.length === 0) write(table.create());
    if (options.purge && current.length > 0) write(table.deleteAll());
    const remaining = options.purge ? [] : current;
    options.log(`${LOGGER} Running stamp_revision ${plan.delete.join(', ')} -> ${plan.insert.join(', ')}`);
    for (const statement of table.statementsFor(plan.delete.filter((h) => remaining.includes(h)), plan.insert)) write(statement);
    options.out('COMMIT;');
    options.out('');
    return remaining.filter((h) => !plan.delete.includes(h)).concat(plan.insert.filter((h) => !remaining.includes(h)));
  }
  let stamped: string[] = [];
  const connect = { access: 'create', onCreate: (note: string) => options.log(`${LOGGER} ${note}`) } as const;
  await withMigrationConnection(env, { ...options, ...connect }, async (connection, versionTable) => {
    const { adoptionNotes, readPrismaMigrateHistory } = await import('./prisma-migrate.js');
    const prismaHistory = await readPrismaMigrateHistory(connection);
    await inTransaction(connection, async () => {
      await versionTable.ensure();
      if (options.purge) await versionTable.purge();
      const current = options.purge ? [] : await versionTable.read();
      const plan = env.scripts.planStamp(current, targets);
      if (plan.delete.length > 0 || plan.insert.length > 0) {
        options.log(`${LOGGER} Running stamp_revision ${plan.delete.join(', ')} -> ${plan.insert.join(', ')}`);
      }
      await versionTable.apply(plan.delete, plan.insert);
      stamped = await versionTable.read();
    });
    if (prismaHistory) for (const note of adoptionNotes(prismaHistory, stamped)) options.log(`${LOGGER} ${note}`);
  });
  return stamped;
}

/**
 * The heads recorded in alembic_version; [] when the table does not exist. No
 * lock: a plain read, which creates nothing (a missing SQLite file reads as an
 * empty database).
 */
export async function readCurrentHeads(env: MigrationEnv): Promise<string[]> {
  const connection = await env.dialect.connect(env.url, { ...(env.schemas ? { schemas: env.schemas } : {}), access: 'read' });
  try {
    return await new VersionTable(connection).read();
  } finally {
    await connection.close();
  }
}

// ---------------------------------------------------------------------------
// Online

/**
 * Connect, prepare, lock, then hand over. The heads are read by `fn`, i.e.
 * after the lock is held: a replica that waited sees what the one before it
 * applied and has nothing left to do. `unlessAlready` may answer "nothing to
 * do" from committed state before the lock is taken; whenever it says no, the
 * lock is taken and `fn` decides again.
 */
async function withMigrationConnection(
  env: MigrationEnv,
  options: RunnerOptions & Pick<ConnectOptions, 'access' | 'onCreate'> & { unlessAlready?: (versionTable: VersionTable) => Promise<boolean> },
  fn: (connection: Connection, versionTable: VersionTable) => Promise<void>,
): Promise<void> {
  const connection = await env.dialect.connect(env.url, {
    ...(env.schemas ? { schemas: env.schemas } : {}),
    ...(options.access ? { access: options.access } : {}),
    ...(options.onCreate ? { onCreate: options.onCreate } : {}),
  });
  let release: (() => Promise<void>) | undefined;
  try {
    const versionTable = new VersionTable(connection);
    if (options.unlessAlready && (await options.unlessAlready(versionTable))) return;
    await env.dialect.prepareForMigration(connection);
    release = await connection.acquireMigrationLock({ timeoutMs: options.lockTimeoutMs ?? env.project.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS });
    await fn(connection, versionTable);
  } finally {
    if (connection.inTransaction) await connection.rollback().catch(() => undefined);
    if (release) await release().catch(() => undefined);
    await connection.close().catch(() => undefined);
  }
}

async function inTransaction(connection: Connection, fn: () => Promise<void>): Promise<void> {
  await connection.begin();
  try {
    await fn();
    await connection.dialect.beforeCommit(connection);
    await connection.commit();
  } catch (error) {
    if (connection.inTransaction) await connection.rollback().catch(() => undefined);
    throw error;
  }
}

async function runOnline(
  env: MigrationEnv,
  connection: Connection,
  versionTable: VersionTable,
  steps: MigrationStep[],
  options: RunnerOptions,
): Promise<void> {
  // Only a run with revisions to apply needs these: a no-op `upgrade head` loads none of them.
  const [modules, { createOps }, { KnownTables }, { KnownIndexes }, { ConstraintIndexes }] = await Promise.all([
    loadModules(env, steps),
    import('./executor.js'),
    import('./known-tables.js'),
    import('./known-indexes.js'),
    import('./constraint-indexes.js'),
  ]);
  const perRevision = options.transactionPerRevision ?? env.project.transactionPerRevision ?? true;
  // See Dialect.revisionBoundary: a savepoint per revision inside one transaction still rolls back
  // only the failing revision, but pays for one commit (one fsync) per run instead of per revision.
  const savepoints = perRevision && env.dialect.revisionBoundary === 'savepoint';
  const excludeTables = [VERSION_TABLE, ...(env.project.excludeTables ?? [])];
  // A version table that is already there is not touched inside the first revision's transaction,
  // so a revision may open with a statement that must come first (SET TRANSACTION ISOLATION LEVEL).
  let tableReady = await versionTable.exists();
  // After the first revision's check saw the whole database clean, each check may look only at
  // what its revision changed (Dialect.beforeCommit).
  let checkedClean = false;
  const checkRun: NonNullable<ChangeLog['run']> = { knownTables: new KnownTables(), knownIndexes: new KnownIndexes(), constraintIndexes: new ConstraintIndexes() };
  // MySQL commits around every DDL statement: progress is kept in the database instead (see journal.ts).
  const journaled = !env.dialect.transactionalDdl;
  const { RevisionJournal } = journaled ? await import('./journal.js') : { RevisionJournal: undefined };

  if (!perRevision) await connection.begin();
  let journal: import('./journal.js').RevisionJournal | undefined;
  for (const step of steps) {
    options.log(`${LOGGER} Running ${describeStep(step, true)}`);
    journal = undefined;
    let module: RevisionModule;
    try {
      module = await modules.get(step);
    } catch (error) {
      // A revision that no longer loads (see loader.ts RevisionModules): the ones before it ran and
      // passed their checks, so they stay, as when a revision fails.
      if (savepoints && connection.inTransaction) await connection.commit();
      else if (connection.inTransaction) await connection.rollback().catch(() => undefined);
      throw error;
    }
    try {
      if (savepoints) {
        if (!connection.inTransaction) await connection.begin();
        await connection.execute(`SAVEPOINT ${SAVEPOINT}`);
      } else if (perRevision) await connection.begin();
      if (!tableReady) {
        await versionTable.ensure();
        tableReady = true;
      }
      const changes: ChangeLog = { operations: [], rawSql: false, run: checkRun };
      journal = RevisionJournal ? await RevisionJournal.open(connection, step.revision.id, step.direction) : undefined;
      if (journal?.resumed && (journal.resumed.opsDone > 0 || journal.resumed.statementsDone > 0)) options.log(`${LOGGER} Resuming after ${journal.resumed.opsDone} operation(s) that already ran`);
      const ops = createOps({ dialect: env.dialect, connection, excludeTables, tag: options.tag, changes, ...(journal ? { journal } : {}) });
      await (step.direction === 'up' ? module.upgrade(ops) : module.downgrade(ops));
      // An autocommit block leaves a transaction open; make sure one is, for the version update.
      if (!connection.inTransaction) await connection.begin();
      await journal?.clear();
      await versionTable.apply(step.deleteHeads, step.insertHeads);
      if (perRevision) {
        await env.dialect.beforeCommit(connection, checkedClean ? changes : undefined);
        checkedClean = true;
        // An autocommit block inside the revision committed (and so ended) its savepoint.
        if (savepoints) await connection.execute(`RELEASE SAVEPOINT ${SAVEPOINT}`).catch(() => undefined);
        else await connection.commit();
      }
    } catch (error) {
      if (savepoints) await keepEarlierRevisions(connection);
      if (connection.inTransaction) await connection.rollback().catch(() => undefined);
      if (perRevision) tableReady = false;
      throw await revisionFailure(step, module, error, journal ? halfApplied(journal, step) : '; rolled back');
    }
  }
  if (RevisionJournal) await RevisionJournal.dropIfEmpty(connection);
  if (!perRevision || savepoints) {
    try {
      if (!savepoints) await env.dialect.beforeCommit(connection);
      if (connection.inTransaction) await connection.commit();
    } catch (error) {
      if (connection.inTransaction) await connection.rollback().catch(() => undefined);
      throw new ReviseError(`Migration failed: ${firstLine(error)}; rolled back`);
    }
  }
  await saveCodeCaches();
}

/** After a run that succeeded: what it compiled of a chain serves the next run (see chain-script.ts). */
async function saveCodeCaches(): Promise<void> {
  const { saveChainCodeCaches } = await import('./loader.js');
  await saveChainCodeCaches();
}

const SAVEPOINT = 'revise_revision';

/** What a failing revision left when its DDL could not be rolled back, and what the next run does about it. */
function halfApplied(journal: import('./journal.js').RevisionJournal, step: MigrationStep): string {
  const { ran } = journal.state;
  const failed = journal.current ?? (ran.length > 0 ? 'the data hook or the version update' : 'its first operation');
  const command = step.direction === 'up' ? 'upgrade' : 'downgrade';
  return (
    `; DDL cannot be rolled back here: ${ran.length > 0 ? `ran ${ran.join(', ')}` : 'no operation ran'}, failed at ${failed}` +
    `; fix the cause and ${command} again: it resumes at ${failed}`
  );
}

/**
 * A revision failed inside its savepoint: undo it alone and commit the
 * revisions before it. When the savepoint is gone (an autocommit block
 * committed part of the revision), the caller's rollback undoes what follows
 * the block, as with a commit per revision.
 */
async function keepEarlierRevisions(connection: Connection): Promise<void> {
  if (!connection.inTransaction) return;
  try {
    await connection.execute(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
    await connection.execute(`RELEASE SAVEPOINT ${SAVEPOINT}`);
    await connection.commit();
  } catch {
    // No savepoint to go back to: the caller rolls the open transaction back.
  }
}

// ---------------------------------------------------------------------------
// Offline (`--sql`)

async function runOffline(
  env: MigrationEnv,
  direction: 'upgrade' | 'downgrade',
  current: string[],
  steps: MigrationStep[],
  options: RunnerOptions,
): Promise<void> {
  const [modules, { createOps }, { renderOffline }] = await Promise.all([
    loadModules(env, steps),
    import('./executor.js'),
    // Offline only: a migration run online never renders SQL as text.
    import('./sql-params.js'),
  ]);
  const { dialect } = env;
  const table = new VersionTableSql(dialect);
  const write = (statement: Statement) => {
    options.out(renderOffline(statement, dialect));
    options.out('');
  };
  // Shapes known so far in the script: tables created by earlier revisions, batches' frozen shapes.
  const shapes = new Map<string, TableModel>();

  options.log(`${LOGGER} Generating static SQL`);
  for (const line of dialect.offlinePreamble()) write({ sql: line });
  write({ sql: 'BEGIN' });
  if (current.length === 0 && direction === 'upgrade') write(table.create());

  let heads = [...current];
  for (const step of steps) {
    options.log(`${LOGGER} Running ${describeStep(step, true)}`);
    options.out(`-- Running ${describeStep(step, false)}`);
    options.out('');
    const ops = createOps({ dialect, sink: { write }, shapes, tag: options.tag });
    const module = await modules.get(step);
    // stdout is the script: what a data hook prints must not land in the SQL.
    const restoreConsole = consoleToStderr();
    try {
      await (step.direction === 'up' ? module.upgrade(ops) : module.downgrade(ops));
    } catch (error) {
      throw await revisionFailure(step, module, error, '');
    } finally {
      restoreConsole();
    }
    for (const statement of table.statementsFor(step.deleteHeads, step.insertHeads)) write(statement);
    heads = heads.filter((h) => !step.deleteHeads.includes(h)).concat(step.insertHeads.filter((h) => !heads.includes(h)));
  }
  // Alembic drops the table when an offline downgrade reaches base.
  if (direction === 'downgrade' && heads.length === 0) write(table.drop());
  write({ sql: 'COMMIT' });
  await saveCodeCaches();
}

/**
 * Point the console's stdout methods (`console.log`, `info`, `debug`, `dir`,
 * `table`, ...) at stderr until the returned function puts them back.
 */
function consoleToStderr(): () => void {
  const target = console as unknown as Record<string, unknown>;
  const onStderr = new Console({ stdout: process.stderr, stderr: process.stderr }) as unknown as Record<string, unknown>;
  const saved = new Map<string, unknown>();
  for (const name of Object.keys(target)) {
    const replacement = onStderr[name];
    if (typeof target[name] !== 'function' || typeof replacement !== 'function' || name === 'Console') continue;
    saved.set(name, target[name]);
    target[name] = (replacement as (...args: unknown[]) => unknown).bind(onStderr);
  }
  return () => {
    for (const [name, original] of saved) target[name] = original;
  };
}

// ---------------------------------------------------------------------------
// Shared

/** A revision's failure as one line: what it threw and where in the file (`(at <file>:<line>:<column>)`). */
async function revisionFailure(step: MigrationStep, module: RevisionModule, error: unknown, suffix: string): Promise<ReviseError> {
  const { errorLocation } = await import('./loader.js');
  const at = errorLocation(error, module.source);
  const where = at === module.source.path ? `in ${at}` : `at ${at}`;
  return new ReviseError(`Revision ${step.revision.id}${describeMessage(step.revision)} failed: ${firstLine(error)} (${where})${suffix}`);
}

/**
 * The revisions that run (loader.ts: a chain's parts as the run reaches them);
 * an irreversible downgrade is refused before anything runs.
 */
async function loadModules(env: MigrationEnv, steps: MigrationStep[]): Promise<RunModules> {
  const [{ openRevisionModules }, { derivedKeys }] = await Promise.all([import('./loader.js'), import('../script/directory.js')]);
  const ids = [...new Set(steps.map((step) => step.revision.id))];
  // A chain's name from the graph's stat stamps while no revision file changed (see loader.ts KnownKeys).
  const name = env.database === undefined ? 'chain-key' : `chain-key.${env.database}`;
  const pathOf = (id: string) => env.scripts.get(id)!.path;
  const modules = await openRevisionModules(ids.map(pathOf), env.project.root, env.database, {
    knownKeys: derivedKeys(env.scripts, name),
    // An upgrade calls the upgrades, a downgrade the downgrades: what a chain's code cache must hold.
    use: steps[0]?.direction ?? 'up',
  });
  for (const step of steps) {
    const irreversible = step.direction === 'down' ? modules.irreversible(pathOf(step.revision.id)) : undefined;
    if (irreversible) {
      const reason = typeof irreversible === 'string' && irreversible.trim() !== '' ? `: ${irreversible.trim()}` : '';
      throw new ReviseError(
        `Revision ${step.revision.id}${describeMessage(step.revision)} is irreversible${reason}; nothing was downgraded`,
      );
    }
  }
  return { get: (step) => modules.get(pathOf(step.revision.id)) };
}

/** A run's revision modules, by step. */
interface RunModules {
  get(step: MigrationStep): Promise<RevisionModule>;
}

/** `a:b` ranges: the start only means something offline (where the script begins). Start names stay unresolved. */
function splitRange(target: string, options: RunnerOptions): { start?: string[]; end: string } {
  const colon = target.indexOf(':');
  if (colon < 0) return options.startingRevision ? { start: options.startingRevision, end: target } : { end: target };
  const from = target.slice(0, colon).trim();
  const end = target.slice(colon + 1).trim();
  if (end === '') throw new ReviseError(`Invalid revision range "${target}": expected <fromrev>:<torev>`);
  return { start: from === '' ? [] : from.split(',').map((r) => r.trim()), end };
}

/** The heads an offline script starts from, as full revision ids. */
function resolveStart(env: MigrationEnv, names: string[]): string[] {
  return [...new Set(names.flatMap((name) => resolveHeads(env, name)))];
}

/** Revision ids a starting point names (`base` = none; `heads`, prefixes, labels as the graph resolves them). */
function resolveHeads(env: MigrationEnv, target: string): string[] {
  return env.scripts.resolveMany(target).map((r) => r.id);
}

/** Alembic's step description: `upgrade a -> b, message` (full) or without the message (SQL comment). */
function describeStep(step: MigrationStep, withMessage: boolean): string {
  const parents = step.revision.downRevisions.join(', ');
  const id = step.revision.id;
  const text = step.direction === 'up' ? `upgrade ${parents} -> ${id}` : `downgrade ${id} -> ${parents}`;
  return withMessage && step.revision.message ? `${text}, ${step.revision.message}` : text;
}

function describeMessage(revision: Revision): string {
  return revision.message ? ` (${revision.message})` : '';
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n').find((l) => l.trim() !== '')?.trim() ?? message;
}
