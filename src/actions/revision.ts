import { dirname, resolve } from 'node:path';
import { infoLine } from '../cli/output.js';
import { ReviseError } from '../errors.js';
import type { Operation } from '../operations/types.js';
import type { AutogenerateRun } from '../runtime/autogenerate-run.js';
import type { RevisionMap } from '../script/graph.js';
import { resolveIO, type ActionOptions } from './context.js';
import { describeOperations } from './describe.js';
import type { DatabaseSteps } from './multidb-file.js';
import { openEnv, openEnvs, openScripts, readDatabases } from './scripts.js';
import type { ProjectConfig } from '../config/project.js';
import type { MigrationEnv } from '../runtime/runner.js';

export interface RevisionOptions extends ActionOptions {
  message?: string;
  /** Fill the revision from the differences between schema.prisma and the database. */
  autogenerate?: boolean;
  /** Use this id instead of a generated one. */
  revId?: string;
  /** What the new revision builds on: `head` (default), `base`, a revision, `label@head`. */
  head?: string;
  branchLabels?: string[];
  /** Allow `head` to be a non-head revision (starts a new branch). */
  splice?: boolean;
  dependsOn?: string[];
  /** One of the project's version folders. */
  versionPath?: string;
  /** Autogenerate: write a revision even when nothing changed. */
  allowEmpty?: boolean;
  /**
   * Renames the autogenerate must not guess, in Prisma names: `OldModel=NewModel`,
   * `Model.oldField=newField` (or `Model.oldField=Model.newField`), `Enum.OLD=NEW`;
   * database names (`old_table=new_table`, `table.old=new`) work too.
   */
  renames?: string[];
  /**
   * Asked about each drop + add that looks like a rename. Default: a y/N
   * prompt when stdin and stdout are terminals, otherwise none (never waits
   * for input in CI or a postinstall script). `false` turns prompting off.
   */
  ask?: ((question: string) => Promise<boolean>) | false;
}

export interface RevisionResult {
  /** The file written; undefined when autogenerate found nothing and `allowEmpty` was not set. */
  path?: string;
  revision?: string;
  /** Autogenerate: the upgrade operations found. */
  operations: Operation[];
}

export type Renames = { tables: Record<string, string>; columns: Record<string, Record<string, string>> };

/**
 * `--rename` values, names as written: `Old=New` (model or table),
 * `Owner.old=new` or `Owner.old=Owner.new` (field/column of a model or
 * table, or a value of an enum). Prisma names are mapped to database names
 * through the schema when autogenerating.
 */
export function parseRenames(values: readonly string[] = []): Renames {
  const renames: Renames = { tables: {}, columns: {} };
  for (const value of values) {
    const eq = value.indexOf('=');
    const from = value.slice(0, eq).trim();
    const to = value.slice(eq + 1).trim();
    if (eq < 0 || from === '' || to === '') {
      throw new ReviseError(`Invalid --rename '${value}': expected OldModel=NewModel or Model.oldField=newField`);
    }
    const dot = from.lastIndexOf('.');
    if (dot < 0) {
      if (to.includes('.')) throw new ReviseError(`Invalid --rename '${value}': a model is renamed as OldModel=NewModel`);
      renames.tables[from] = to;
      continue;
    }
    const table = from.slice(0, dot);
    const column = from.slice(dot + 1);
    const toDot = to.lastIndexOf('.');
    const newColumn = toDot < 0 ? to : to.slice(toDot + 1);
    if (toDot >= 0 && to.slice(0, toDot) !== table) {
      throw new ReviseError(`Invalid --rename '${value}': renaming a field keeps its model (a column keeps its table): Model.old=Model.new`);
    }
    if (column === '' || newColumn === '') throw new ReviseError(`Invalid --rename '${value}': empty column name`);
    (renames.columns[table] ??= {})[column] = newColumn;
  }
  return renames;
}

/** Which version folder a new revision goes to (Alembic's rules). */
function chooseVersionPath(cwd: string, versionPaths: string[], scripts: RevisionMap, parents: string[], requested?: string): string {
  if (requested !== undefined) {
    const wanted = resolve(cwd, requested);
    if (!versionPaths.includes(wanted)) {
      throw new ReviseError(`Path ${wanted} is not represented in current version locations (${versionPaths.join(', ')})`);
    }
    return wanted;
  }
  if (versionPaths.length === 1) return versionPaths[0]!;
  for (const parent of parents) {
    const dir = dirname(scripts.get(parent)!.path);
    if (versionPaths.includes(dir)) return dir;
  }
  throw new ReviseError('Multiple version locations present, please specify --version-path');
}

function checkBranchLabels(scripts: RevisionMap, labels: readonly string[]): void {
  for (const label of labels) {
    const owner = scripts.all.find((r) => r.branchLabels.includes(label));
    if (owner) throw new ReviseError(`Branch name '${label}' is already used by revision ${owner.id}`);
    if (scripts.has(label)) throw new ReviseError(`Branch name '${label}' is the id of a revision`);
  }
}

/** A bad `--rev-id` fails first, before the schema is read or the database opened. */
async function checkRevIdOption(revId: string | undefined): Promise<void> {
  if (revId === undefined) return;
  const { checkNewRevisionId } = await import('../script/write.js');
  checkNewRevisionId(revId);
}

function checkNewId(scripts: RevisionMap, id: string): void {
  if (scripts.has(id)) throw new ReviseError(`Revision ${id} is already present`);
}

/**
 * Alembic's `revision`: write a new revision file on top of `head`. With
 * `autogenerate`, compare schema.prisma with the database first and fill the
 * file with the operations found (nothing is written when there are none,
 * unless `allowEmpty`).
 */
export async function revision(options: RevisionOptions = {}): Promise<RevisionResult> {
  const { cwd } = resolveIO(options);
  await checkRevIdOption(options.revId);
  const databases = readDatabases(cwd);
  if (databases) return multidbRevision(options, Object.keys(databases));
  const { out, log } = resolveIO(options);
  const message = options.message ?? '';
  let project;
  let scripts: RevisionMap;
  let generated: Pick<AutogenerateRun, 'upgrade' | 'downgrade' | 'preamble'> | undefined;
  let operations: Operation[] = [];

  if (options.autogenerate) {
    const env = await openEnv(options);
    project = env.project;
    scripts = env.scripts;
    // Checks that need no database come first, so a bad --head fails before any connection.
    scripts.parentsForNewRevision(options.head ?? 'head', options.splice ?? false);
    const result = await compareDatabase(env, options, log);
    operations = result.operations;
    if (operations.length === 0) {
      log(infoLine('autogenerate.compare', 'No changes in schema detected.'));
      if (!options.allowEmpty) return { operations };
    }
    generated = { upgrade: result.upgrade, downgrade: result.downgrade, preamble: result.preamble };
  } else {
    ({ project, scripts } = await openScripts(options));
  }

  const { parents, branchLabels, dependsOn, dir } = placeNewRevision(cwd, project, scripts, options);
  if (!generated) {
    // A hand-written revision's hooks are typed by the database as they will find it.
    const frozen = await handWrittenShapes(options, parents, log);
    if (frozen) generated = { upgrade: { additive: [], destructive: [], frozen }, downgrade: { additive: [], destructive: [], frozen }, preamble: [] };
  }
  const { newRevisionId, writeRevisionFile } = await import('../script/write.js');
  const id = options.revId ?? newRevisionId();
  checkNewId(scripts, id);
  const empty = { additive: [], destructive: [] };
  const path = await writeRevisionFile(dir, {
    id,
    message,
    downRevision: parents.length === 0 ? null : parents.length === 1 ? parents[0]! : parents,
    branchLabels: branchLabels.length > 0 ? branchLabels : null,
    dependsOn: dependsOn.length > 0 ? dependsOn : null,
    createDate: new Date(),
    upgrade: generated?.upgrade ?? empty,
    downgrade: generated?.downgrade ?? empty,
    ...(generated && generated.preamble.length > 0 ? { preamble: generated.preamble } : {}),
  });
  out(`  Generating ${path} ...  done`);
  await postWrite(project, path, log);
  return { path, revision: id, operations };
}

/**
 * The frozen shapes for a revision written without autogenerate: the
 * database's tables, when it can be opened (read only) and is at `parents`;
 * nothing otherwise (a note says why), never an error.
 */
async function handWrittenShapes(options: RevisionOptions, parents: string[], log: (line: string) => void, env?: MigrationEnv) {
  const { currentShapes } = await import('./current-shapes.js');
  try {
    return await currentShapes(env ?? (await openEnv(options)), parents, log);
  } catch (err) {
    if (!(err instanceof ReviseError)) throw err;
    log(`INFO  [revise.revision] Table shapes not frozen (UpgradeTables is left empty): ${err.message.replace(/\.$/, '')}.`);
    return undefined;
  }
}

/** The project's formatter and linter on the new file (Alembic's post-write hooks). */
async function postWrite(project: ProjectConfig, path: string, log: (line: string) => void): Promise<void> {
  const { runPostWriteHooks } = await import('../script/post-write.js');
  runPostWriteHooks(project, path, log);
}

/** Where a new revision goes and what it builds on (checks labels and dependencies first). */
function placeNewRevision(cwd: string, project: ProjectConfig, scripts: RevisionMap, options: RevisionOptions) {
  const parents = scripts.parentsForNewRevision(options.head ?? 'head', options.splice ?? false);
  const branchLabels = options.branchLabels ?? [];
  checkBranchLabels(scripts, branchLabels);
  const dependsOn = options.dependsOn && options.dependsOn.length > 0 ? scripts.resolveDependsOn(options.dependsOn) : [];
  const dir = chooseVersionPath(cwd, project.versionPaths, scripts, parents, options.versionPath);
  return { parents, branchLabels, dependsOn, dir };
}

/** Autogenerate's compare for one database, logging what it found like Alembic. */
async function compareDatabase(env: MigrationEnv, options: RevisionOptions, log: (line: string) => void) {
  if (env.database !== undefined && !env.project.schemaPath) {
    throw new ReviseError(`Database '${env.database}' has no Prisma schema (set "schema" in package.json revise.databases)`);
  }
  const { computeAutogenerate } = await import('../runtime/autogenerate-run.js');
  // A y/N question per rename candidate only when a person is at a terminal; never in CI or postinstall.
  const prompter = options.ask === undefined ? (await import('../cli/prompt.js')).terminalPrompter() : undefined;
  const ask = options.ask === false ? undefined : (options.ask ?? (prompter ? (q: string) => prompter.ask(q) : undefined));
  let result;
  try {
    result = await computeAutogenerate(env, {
      ...(options.schema !== undefined ? { schema: options.schema } : {}),
      renameRequests: parseRenames(options.renames),
      ...(ask ? { ask } : {}),
      firstRevisionFromEmpty: true,
    });
  } finally {
    prompter?.close();
  }
  const where = env.database !== undefined ? ` in database ${env.database}` : '';
  if (result.notCompared) {
    const n = result.notCompared.length;
    log(
      infoLine(
        'autogenerate.compare',
        `No revisions yet: the first revision builds the whole schema from empty; the database's ${n} existing table(s)${where} ` +
          'were not compared. Once it is written, adopt this database with `revise stamp head` (it says what differs).',
      ),
    );
  }
  for (const phrase of describeOperations(result.operations)) log(infoLine('autogenerate.compare', `Detected ${phrase}${where}`));
  for (const warning of result.warnings) log(`WARN  [revise.autogenerate.compare] ${warning}`);
  return result;
}

/**
 * multidb (Alembic's multidb template): one revision file for all databases,
 * with an `upgrade_<db>` / `downgrade_<db>` pair for each. With autogenerate,
 * each database (or only `--name`'s) is compared with its own Prisma schema.
 */
async function multidbRevision(options: RevisionOptions, names: string[]): Promise<RevisionResult> {
  const { cwd, out, log } = resolveIO(options);
  const steps = new Map<string, DatabaseSteps>();
  let operations: Operation[] = [];
  let project: ProjectConfig;
  let scripts: RevisionMap;
  if (options.autogenerate) {
    const envs = await openEnvs(options);
    ({ project, scripts } = envs[0]!);
    scripts.parentsForNewRevision(options.head ?? 'head', options.splice ?? false);
    for (const env of envs) {
      const result = await compareDatabase(env, options, log);
      operations = operations.concat(result.operations);
      steps.set(env.database!, { name: env.database!, upgrade: result.upgrade, downgrade: result.downgrade, preamble: result.preamble });
    }
    if (operations.length === 0) {
      log(infoLine('autogenerate.compare', 'No changes in schema detected.'));
      if (!options.allowEmpty) return { operations };
    }
  } else {
    ({ project, scripts } = await openScripts(options));
  }
  const { parents, branchLabels, dependsOn, dir } = placeNewRevision(cwd, project, scripts, options);
  if (!options.autogenerate) {
    let envs: MigrationEnv[] = [];
    try {
      envs = await openEnvs(options);
    } catch (err) {
      if (!(err instanceof ReviseError)) throw err;
      log(`INFO  [revise.revision] Table shapes not frozen (UpgradeTables is left empty): ${err.message.replace(/\.$/, '')}.`);
    }
    for (const env of envs) {
      const frozen = await handWrittenShapes(options, parents, log, env);
      if (frozen) steps.set(env.database!, { name: env.database!, upgrade: { additive: [], destructive: [], frozen }, downgrade: { additive: [], destructive: [], frozen } });
    }
  }
  const path = await writeMultidb(dir, scripts, names, steps, {
    ...(options.revId !== undefined ? { revId: options.revId } : {}),
    message: options.message ?? '',
    parents,
    branchLabels,
    dependsOn,
  });
  out(`  Generating ${path.path} ...  done`);
  await postWrite(project, path.path, log);
  return { path: path.path, revision: path.id, operations };
}

async function writeMultidb(
  dir: string,
  scripts: RevisionMap,
  names: string[],
  steps: Map<string, DatabaseSteps>,
  header: { revId?: string; message: string; parents: string[]; branchLabels: string[]; dependsOn: string[] },
): Promise<{ path: string; id: string }> {
  const [{ newRevisionId }, { writeMultidbRevisionFile }] = await Promise.all([
    import('../script/write.js'),
    import('./multidb-file.js'),
  ]);
  const id = header.revId ?? newRevisionId();
  checkNewId(scripts, id);
  const empty = { additive: [], destructive: [] };
  const path = await writeMultidbRevisionFile(dir, {
    id,
    message: header.message,
    downRevision: header.parents.length === 0 ? null : header.parents.length === 1 ? header.parents[0]! : header.parents,
    branchLabels: header.branchLabels.length > 0 ? header.branchLabels : null,
    dependsOn: header.dependsOn.length > 0 ? header.dependsOn : null,
    createDate: new Date(),
    databases: names.map((name) => steps.get(name) ?? { name, upgrade: empty, downgrade: empty }),
  });
  return { path, id };
}

/** `revision --autogenerate`. */
export async function autogenerate(options: Omit<RevisionOptions, 'autogenerate'> = {}): Promise<RevisionResult> {
  return revision({ ...options, autogenerate: true });
}

export interface CheckResult {
  operations: Operation[];
  /** One phrase per change ("added table 'Post'"). */
  changes: string[];
  /** false when a database was compared that alembic_version records no revision for (not adopted yet). */
  stamped: boolean;
}

/**
 * Alembic's `check`: would autogenerate write anything? Prints "No new upgrade
 * operations detected." or throws a ReviseError (exit 1) listing the changes.
 * Unlike Alembic it also answers for a database that is not stamped yet
 * (adopting one starts with this question), comparing it as it is and saying
 * that it is not stamped; a stamped database behind the heads is still "not
 * up to date".
 */
export async function check(options: ActionOptions & { json?: boolean; renames?: string[] } = {}): Promise<CheckResult> {
  const { out, log } = resolveIO(options);
  const envs = await openEnvs(options);
  const { computeAutogenerate } = await import('../runtime/autogenerate-run.js');
  let operations: Operation[] = [];
  let changes: string[] = [];
  let stamped = true;
  for (const env of envs) {
    const result = await computeAutogenerate(env, {
      ...(options.schema !== undefined ? { schema: options.schema } : {}),
      renameRequests: parseRenames(options.renames),
      allowUnstamped: true,
    });
    operations = operations.concat(result.operations);
    const where = env.database !== undefined ? ` in database ${env.database}` : '';
    changes = changes.concat(describeOperations(result.operations).map((c) => `${c}${where}`));
    // With no revisions at all there is nothing to stamp: the first autogenerate is the next step.
    if (!result.stamped && env.scripts.headIds.length > 0) {
      stamped = false;
      log(`WARN  [revise.autogenerate.compare] ${unstampedNote(result, where)}`);
    }
  }
  if (options.json) out(JSON.stringify({ changes, operations, stamped }, null, 2));
  if (operations.length > 0) {
    throw new ReviseError(`New upgrade operations detected: [${changes.join(', ')}]`);
  }
  if (!options.json) out('No new upgrade operations detected.');
  return { operations, changes, stamped };
}

/** What `check` adds about a database that is not stamped: it was compared as it is, and what to do next. */
function unstampedNote(result: AutogenerateRun, where: string): string {
  const next =
    result.operations.length === 0
      ? 'it matches the schema, so `revise stamp head` adopts it as it is'
      : result.current.tables.length === 0
        ? '`revise upgrade head` builds it from the revisions'
        : '`revise stamp head` adopts it once it matches the schema (or `revise stamp <rev>` for the revision it matches)';
  return `The database${where} is not stamped (alembic_version records no revision) and was compared as it is: ${next}.`;
}

export interface MergeOptions extends ActionOptions {
  /** Revisions to merge: `heads`, or two or more revisions / prefixes / labels. */
  revisions: string[];
  message?: string;
  revId?: string;
  branchLabel?: string;
}

/** Alembic's `merge`: a revision whose downRevision lists the merged revisions; its upgrade and downgrade are empty. */
export async function merge(options: MergeOptions): Promise<RevisionResult> {
  const { cwd, out } = resolveIO(options);
  await checkRevIdOption(options.revId);
  const { project, scripts } = await openScripts(options);
  const ids: string[] = [];
  for (const symbol of options.revisions) {
    for (const rev of scripts.resolveMany(symbol)) if (!ids.includes(rev.id)) ids.push(rev.id);
  }
  if (ids.length < 2) {
    throw new ReviseError(`merge needs at least two revisions; '${options.revisions.join(' ')}' names ${ids.length === 0 ? 'none' : `only ${ids[0]}`}`);
  }
  const labels = options.branchLabel ? [options.branchLabel] : [];
  checkBranchLabels(scripts, labels);
  const dir = chooseVersionPath(cwd, project.versionPaths, scripts, ids);
  const databases = readDatabases(cwd);
  if (databases) {
    const written = await writeMultidb(dir, scripts, Object.keys(databases), new Map(), {
      ...(options.revId !== undefined ? { revId: options.revId } : {}),
      message: options.message ?? '',
      parents: ids,
      branchLabels: labels,
      dependsOn: [],
    });
    out(`  Generating ${written.path} ...  done`);
    await postWrite(project, written.path, resolveIO(options).log);
    return { path: written.path, revision: written.id, operations: [] };
  }
  const { newRevisionId, writeRevisionFile } = await import('../script/write.js');
  const id = options.revId ?? newRevisionId();
  checkNewId(scripts, id);
  const empty = { additive: [], destructive: [] };
  const path = await writeRevisionFile(dir, {
    id,
    message: options.message ?? '',
    downRevision: ids,
    branchLabels: labels.length > 0 ? labels : null,
    dependsOn: null,
    createDate: new Date(),
    upgrade: empty,
    downgrade: empty,
  });
  out(`  Generating ${path} ...  done`);
  await postWrite(project, path, resolveIO(options).log);
  return { path, revision: id, operations: [] };
}
