import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Connection, Dialect } from '../dialect/types.js';
import { ReviseError } from '../errors.js';
import type { DatabaseModel } from '../model/types.js';
import type { ProjectConfig } from '../config/project.js';
import type { RevisionMap } from '../script/graph.js';
import { planDowngrade, type PlannedDowngrade, type UnmodelledHistory } from './downgrade.js';
import { nextOrder } from './history.js';
import { readMigrationsFolder, type PrismaMigration } from './migrations.js';
import { recordedMigrations } from './recorded.js';
import { exactDifferences } from './exact.js';
import { folderDate, renderImportedRevision } from './render.js';
import { introspectScratch, replayMigration, type ReplayedMigration } from './replay.js';
import { createScratchDatabase, type ScratchDatabase } from './scratch.js';
import type { MigrationOps } from '../operations/api.js';
import { unmodelledChanges, unmodelledStatement, unquote } from './statements.js';
import { unmodelledCatalog } from './unmodelled-catalog.js';

export interface ImportPrismaInput {
  project: ProjectConfig;
  dialect: Dialect;
  /** The project's database URL: on PostgreSQL the scratch database is made on its server. */
  url: string;
  scripts: RevisionMap;
  /** The Prisma migrations folder. */
  migrationsDir: string;
  /** Run each generated downgrade on the scratch database and compare (default true). */
  verify?: boolean;
  log: (line: string) => void;
}

export interface ImportedRevision {
  revision: string;
  migration: string;
  path: string;
  /** Why the downgrade could not be confirmed, when it could not. */
  unverified?: string;
  irreversible?: string;
  warnings: number;
}

export interface ImportPrismaResult {
  dir: string;
  /** Migrations already imported before this run. */
  alreadyImported: number;
  imported: ImportedRevision[];
}

const LOGGER = 'INFO  [revise.import]';

/** What confirming a downgrade found wrong; `missing`: only these objects outside the table model are not back. */
interface DowngradeCheck {
  problem: string;
  differs: boolean;
  missing?: string[];
}

/** The scratch database at one point of the history: its table model, and the names of what that model does not hold. */
interface ScratchState {
  model: DatabaseModel;
  objects: string[];
}

/** The revision id of a Prisma migration: the same folder name gives the same id on every machine. */
export function importedRevisionId(migrationName: string): string {
  return createHash('sha256').update(`prisma-migrate:${migrationName}`).digest('hex').slice(0, 12);
}

/** Prisma's provider names for revise's dialects. */
const PROVIDERS: Record<string, string[]> = { sqlite: ['sqlite'], postgresql: ['postgresql', 'postgres', 'cockroachdb'], mysql: ['mysql'] };

/**
 * `revise import-prisma`: one revision per Prisma migration not imported yet,
 * on top of the last imported one. The history is replayed on a scratch
 * database; each migration's downgrade is what revise's autogenerate finds
 * from the schema after it back to the schema before it, confirmed by
 * running it there (then rolled back).
 */
export async function importPrismaHistory(input: ImportPrismaInput): Promise<ImportPrismaResult> {
  const { dialect, scripts, log } = input;
  const folder = readMigrationsFolder(input.migrationsDir);
  if (folder.provider && !(PROVIDERS[dialect.name] ?? []).includes(folder.provider)) {
    throw new ReviseError(
      `${path.join(folder.dir, 'migration_lock.toml')} says provider "${folder.provider}" but the project's database is ${dialect.name}: ` +
        `give the URL of a ${folder.provider} database with --url or DATABASE_URL (on a server, the history is replayed on a temporary database there)`,
    );
  }
  const byName = new Map(folder.migrations.map((m) => [m.name, m]));
  const recorded = recordedMigrations(scripts.all);
  for (const r of recorded) {
    const migration = byName.get(r.name);
    if (!migration) throw new ReviseError(`Revision ${r.revision} was imported from Prisma migration ${r.name}, which is no longer in ${folder.dir}`);
    if (migration.checksum !== r.checksum) {
      throw new ReviseError(
        `Prisma migration ${r.name} changed after it was imported as revision ${r.revision}: its migration.sql checksum is ${migration.checksum}, the revision records ${r.checksum}`,
      );
    }
  }
  const done = new Set(recorded.map((r) => r.name));
  const fresh = folder.migrations.filter((m) => !done.has(m.name));
  if (fresh.length === 0) {
    log(`${LOGGER} Nothing to import: all ${folder.migrations.length} Prisma migration(s) of ${folder.dir} are imported.`);
    return { dir: folder.dir, alreadyImported: recorded.length, imported: [] };
  }
  const parent = importParent(scripts, recorded.map((r) => r.revision));
  for (const m of fresh) {
    const id = importedRevisionId(m.name);
    if (scripts.has(id)) throw new ReviseError(`Revision ${id} (for Prisma migration ${m.name}) already exists`);
  }

  const names = await schemaNames(input.project, dialect);
  const excludeTables = ['alembic_version', '_prisma_migrations', ...input.project.excludeTables];
  const schemas = names?.schemas;
  const scratch = await createScratchDatabase(dialect, input.url);
  const staging = mkdtempSync(path.join(tmpdir(), 'revise-import-files-'));
  const written: Array<{ id: string; name: string; source: string; result: Omit<ImportedRevision, 'path'> }> = [];
  try {
    await dialect.prepareForMigration(scratch.connection);
    const history: UnmodelledHistory = new Map();
    // What is imported already only needs replaying, in the order the revisions run it.
    for (const r of recorded) {
      const replayed = await replayMigration(scratch.connection, byName.get(r.name)!);
      trackUnmodelled(replayed, history, dialect);
    }
    let before = await introspectScratch(scratch.connection, dialect, schemas, excludeTables);
    // What the table model does not hold, by name: the confirmation compares it too (unmodelled-catalog.ts).
    const objects = () => (input.verify === false ? Promise.resolve([]) : unmodelledCatalog(scratch.connection, dialect, schemas));
    let beforeObjects = await objects();
    let down: string | null = parent;
    for (const [i, migration] of fresh.entries()) {
      await viewsAsTheyAre(scratch.connection, migration, history, dialect);
      const replayed = await replayMigration(scratch.connection, migration);
      const after = await introspectScratch(scratch.connection, dialect, schemas, excludeTables);
      const afterObjects = await objects();
      const planned = planDowngrade(replayed, before, after, history, dialect);
      const id = importedRevisionId(migration.name);
      const render = (unverified?: string) =>
        renderImportedRevision({
          id,
          downRevision: down,
          createDate: folderDate(migration.name) ?? new Date(),
          replayed,
          downgrade: planned,
          ...(i === fresh.length - 1 && names ? { extra: names.render(after) } : {}),
          ...(unverified ? { unverified } : {}),
        });
      let source = render();
      const confirm = async () => {
        if (input.verify === false) return undefined;
        const result = await verifyDowngrade(scratch, input.project.root, staging, id, migration.name, source, { model: before, objects: beforeObjects }, dialect, planned, schemas);
        // Where DDL cannot be rolled back, the confirmation undid the migration on the scratch database: redo it.
        if (!dialect.transactionalDdl && !planned.irreversible) {
          await redoMigration(scratch, migration, result, { model: after, objects: afterObjects }, [...recorded.map((r) => byName.get(r.name)!), ...fresh.slice(0, i + 1)], schemas, excludeTables);
        }
        return result;
      };
      let check = await confirm();
      // Objects the migration took away without naming them (PostgreSQL drops a CHECK with a column it
      // names) come back from their definition in the history, after the compared steps.
      const restores = check?.missing ? fromHistory(check.missing, history, dialect) : undefined;
      if (restores) {
        planned.last.push(...restores.map((r) => r.sql));
        source = render();
        check = await confirm();
        if (!check) for (const r of restores) history.delete(r.key);
      }
      const unverified = check?.problem;
      if (check) {
        // A downgrade that runs but leaves another schema would build a wrong database: refuse it until fixed.
        if (check.differs) planned.irreversible ??= `the generated downgrade ${check.problem}; fix downgrade() and delete this export`;
        source = render(check.problem);
        log(`WARN  [revise.import] ${migration.name}: the generated downgrade ${check.problem}${check.differs ? ' (marked irreversible)' : ''}`);
      }
      written.push({
        id,
        name: migration.name,
        source,
        result: {
          revision: id,
          migration: migration.name,
          warnings: planned.warnings.length,
          ...(unverified ? { unverified } : {}),
          ...(planned.irreversible ? { irreversible: planned.irreversible } : {}),
        },
      });
      before = after;
      beforeObjects = afterObjects;
      down = id;
    }
  } finally {
    await scratch.drop();
    rmSync(staging, { recursive: true, force: true });
  }

  const { writeRevisionSource } = await import('../script/write.js');
  const dir = versionDir(input.project, scripts, parent);
  const imported: ImportedRevision[] = [];
  for (const file of written) {
    const where = await writeRevisionSource(dir, file.id, file.name, file.source);
    imported.push({ ...file.result, path: where });
  }
  return { dir: folder.dir, alreadyImported: recorded.length, imported };
}

/** What the new revisions build on: the last imported one, or base in a project without revisions. */
function importParent(scripts: RevisionMap, recorded: string[]): string | null {
  const heads = scripts.headIds;
  if (recorded.length === 0) {
    if (heads.length > 0) {
      throw new ReviseError(
        `This project already has revisions (head ${heads.join(', ')}) and none was imported from Prisma Migrate: import a Prisma history into a project before its first revision`,
      );
    }
    return null;
  }
  const last = recorded.at(-1)!;
  if (heads.length !== 1 || heads[0] !== last) {
    throw new ReviseError(
      `New Prisma migrations can only be imported on top of the last imported one (${last}), but the head is ${heads.join(', ') || 'base'}: ` +
        'once revise writes revisions of its own, make schema changes with `revise autogenerate` only',
    );
  }
  return last;
}

function versionDir(project: ProjectConfig, scripts: RevisionMap, parent: string | null): string {
  if (parent) return path.dirname(scripts.get(parent)!.path);
  return project.versionPaths[0]!;
}

/**
 * A view the migration replaces or drops comes back as the database holds it
 * now, not as its CREATE statement said: `SELECT t.*` was expanded to the
 * columns of that day, and running the statement again today could mean
 * something else (PostgreSQL's pg_get_viewdef).
 */
async function viewsAsTheyAre(connection: Connection, migration: PrismaMigration, history: UnmodelledHistory, dialect: Dialect): Promise<void> {
  if (dialect.name !== 'postgresql') return;
  const { splitStatements } = await import('./split.js');
  for (const piece of splitStatements(migration.sql)) {
    const found = unmodelledStatement(piece, true);
    if (!found || (found.object.kind !== 'VIEW' && found.object.kind !== 'MATERIALIZED VIEW')) continue;
    const known = history.get(found.object.key);
    if (!known) continue;
    const rows = await connection.query<{ def: string | null }>('SELECT pg_get_viewdef(to_regclass($1), true) AS def', [found.object.name]);
    const def = rows[0]?.def;
    if (!def) continue;
    const create = found.object.kind === 'VIEW' ? 'CREATE OR REPLACE VIEW' : 'CREATE MATERIALIZED VIEW';
    history.set(found.object.key, { ...known, sql: `${create} ${found.object.name} AS\n${def.trim().replace(/;$/, '')};` });
  }
}

/** Keep the history of unmodelled objects up to date for migrations that are only replayed. */
function trackUnmodelled(replayed: ReplayedMigration, history: UnmodelledHistory, dialect: Dialect): void {
  for (const statement of replayed.statements) {
    for (const found of unmodelledChanges(statement.sql, dialect.name === 'postgresql')) {
      if (found.action === 'drop') history.delete(found.object.key);
      else history.set(found.object.key, { object: found.object, sql: found.sql, order: history.get(found.object.key)?.order ?? nextOrder(history) });
    }
  }
}

/**
 * After a downgrade was confirmed on a database whose DDL commits (MySQL):
 * bring the scratch database back to `after`. A downgrade that restored the
 * schema before the migration gets the migration run again; one that failed
 * or left another schema, or a migration that does not run twice, gets the
 * database emptied and the history up to here replayed.
 */
async function redoMigration(
  scratch: ScratchDatabase,
  migration: PrismaMigration,
  check: { problem: string } | undefined,
  after: ScratchState,
  history: PrismaMigration[],
  schemas: string[] | undefined,
  excludeTables: string[],
): Promise<void> {
  const dialect = scratch.connection.dialect;
  const isAfter = async () =>
    exactDifferences(await introspectScratch(scratch.connection, dialect, schemas, excludeTables), after.model).length === 0 &&
    (await unmodelledCatalog(scratch.connection, dialect, schemas)).join('\n') === after.objects.join('\n');
  if (!check) {
    const again = await replayMigration(scratch.connection, migration).then(
      () => true,
      () => false,
    );
    if (again && (await isAfter())) return;
  }
  await scratch.reset!();
  for (const m of history) await replayMigration(scratch.connection, m);
  if (!(await isAfter())) throw new ReviseError(`Prisma migration ${migration.name} does not build the same schema when the history is replayed again`);
}

/**
 * Run the rendered downgrade on the scratch database (just after the
 * migration), compare with the schema before the migration, roll back
 * (MySQL cannot: redoMigration puts the migration back).
 * Undefined when it restores that schema; otherwise what went wrong, and
 * whether it ran but left another schema (`differs`).
 */
async function verifyDowngrade(
  scratch: ScratchDatabase,
  root: string,
  staging: string,
  id: string,
  name: string,
  source: string,
  before: ScratchState,
  dialect: Dialect,
  planned: PlannedDowngrade,
  schemas: string[] | undefined,
): Promise<DowngradeCheck | undefined> {
  if (planned.irreversible) return undefined;
  // Named as the revision file will be, so its cached transform serves the first real run too.
  const { revisionFileName } = await import('../script/write.js');
  const file = path.join(staging, revisionFileName(id, name));
  writeFileSync(file, source);
  const { loadRevisionModule } = await import('../runtime/loader.js');
  const module = await loadRevisionModule(file, root);
  const connection = scratch.connection;
  if (!dialect.transactionalDdl) return runAndCompare(module.downgrade, connection, dialect, schemas, before);
  // Steps meant for autocommit (ALTER TYPE ... ADD VALUE) run inside the transaction first, so all of it
  // rolls back; if that is what fails, they run again as they will for real, on a copy of the database.
  let autocommit = false;
  const guarded: Connection = Object.create(connection, {
    commit: { value: async () => void (autocommit = true) },
    begin: { value: async () => undefined },
  }) as Connection;
  await connection.begin();
  let problem: DowngradeCheck | undefined;
  try {
    problem = await runAndCompare(module.downgrade, guarded, dialect, schemas, before);
  } finally {
    await connection.rollback();
  }
  if (problem && autocommit && !problem.differs && scratch.withCopy) {
    problem = await scratch.withCopy((copy) => runAndCompare(module.downgrade, copy, dialect, schemas, before));
  }
  return problem;
}

/**
 * The history's definitions of the objects a downgrade left missing
 * (unmodelled-catalog names), by kind, name and table; undefined unless every
 * one of them is found.
 */
function fromHistory(missing: string[], history: UnmodelledHistory, dialect: Dialect): Array<{ key: string; sql: string }> | undefined {
  const foldCase = dialect.name === 'postgresql';
  const found: Array<{ key: string; sql: string }> = [];
  for (const entry of missing) {
    // `function public.f(a integer)`: the arguments may hold spaces.
    const bare = entry.replace(/\(.*\)$/, '');
    const space = bare.lastIndexOf(' ');
    const kind = bare.slice(0, space).toUpperCase();
    const path = bare.slice(space + 1).split('.');
    const name = path.at(-1)!;
    const table = path.length >= 2 ? path.at(-2) : undefined;
    const match = [...history.entries()].find(
      ([, { object }]) =>
        object.kind === kind &&
        unquote(object.name.split('.').pop()!, foldCase) === name &&
        (object.on === undefined || table === undefined || unquote(object.on.split('.').pop()!, foldCase) === table),
    );
    if (!match) return undefined;
    found.push({ key: match[0], sql: match[1].sql });
  }
  return found.length > 0 ? found : undefined;
}

/** Run a downgrade on `connection` and compare the schema it leaves with `before`. */
async function runAndCompare(
  downgrade: (op: MigrationOps) => Promise<void>,
  connection: Connection,
  dialect: Dialect,
  schemas: string[] | undefined,
  before: ScratchState,
): Promise<DowngradeCheck | undefined> {
  const [{ createOps }, { compareModels }, { describeOperations }] = await Promise.all([
    import('../runtime/executor.js'),
    import('../autogenerate/compare.js'),
    import('../actions/describe.js'),
  ]);
  try {
    await downgrade(createOps({ dialect, connection, excludeTables: ['alembic_version'] }));
    const got = await introspectScratch(connection, dialect, schemas, ['alembic_version', '_prisma_migrations']);
    const diff = compareModels(got, before.model, { preferBatch: false, exact: true });
    if (diff.length > 0) return { problem: `leaves the schema different from before the migration (${describeOperations(diff).join('; ')})`, differs: true };
    // Field for field too: compare calls some differences clean (a twin index, an index it cannot describe).
    const exact = exactDifferences(got, before.model);
    if (exact.length > 0) return { problem: `leaves ${exact.slice(0, 5).join(', ')}${exact.length > 5 ? ` and ${exact.length - 5} more` : ''} different from before the migration`, differs: true };
    const objects = await unmodelledCatalog(connection, dialect, schemas);
    const extra = objects.filter((o) => !before.objects.includes(o));
    const missing = before.objects.filter((o) => !objects.includes(o));
    if (extra.length > 0 || missing.length > 0) {
      const said = [...extra.map((o) => `${o} still there`), ...missing.map((o) => `${o} missing`)];
      return {
        problem: `leaves ${said.slice(0, 5).join(', ')}${said.length > 5 ? ` and ${said.length - 5} more` : ''} (as before the migration it was not)`,
        differs: true,
        ...(extra.length === 0 ? { missing } : {}),
      };
    }
    return undefined;
  } catch (error) {
    return {
      problem: `fails on a replay of the history (${(error as Error).message.split('\n')[0]}); it rolls back when it fails, and may need downgradeData to fill what it restores`,
      differs: false,
    };
  }
}

/** The Prisma schema's names (for the head revision's `prismaNames`) and its schemas, when the project has a schema for this provider. */
async function schemaNames(project: ProjectConfig, dialect: Dialect) {
  if (!project.schemaPath) return undefined;
  const [{ loadSchema }, { nameMapFromSchema, renderNameMap }] = await Promise.all([import('../schema/load.js'), import('../autogenerate/name-map.js')]);
  const loaded = await loadSchema(project.schemaPath);
  if (loaded.provider !== dialect.name) return undefined;
  const { names } = nameMapFromSchema(loaded);
  return {
    ...(loaded.schemas ? { schemas: loaded.schemas } : {}),
    /** The names of what exists once the history has run: a model whose table is not there is left out. */
    render(model: DatabaseModel): string[] {
      const present = Object.fromEntries(
        Object.entries(names).filter(([, entry]) => ('table' in entry ? model.tables.some((t) => t.name === entry.table) : true)),
      );
      return renderNameMap(present);
    },
  };
}

