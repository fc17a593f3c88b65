import { createRequire } from 'node:module';
import { maskUrl, ReviseError } from '../errors.js';
import type { RevisionMap } from '../script/graph.js';
import type { Revision } from '../script/revision.js';
import { infoLine } from '../cli/output.js';
import { contextLines, resolveIO, type ActionOptions } from './context.js';
import { databaseHeads, openEnv, openEnvs, openScripts } from './scripts.js';
import type { MigrationEnv } from '../runtime/runner.js';

/** A revision as `--json` prints it and the programmatic API returns it. */
export interface RevisionInfo extends Omit<Revision, 'longDoc'> {
  isHead: boolean;
  isBranchPoint: boolean;
  isMergePoint: boolean;
  isCurrent?: boolean;
  /** multidb `current`: the database this entry is the state of. */
  database?: string;
}

function info(map: RevisionMap, rev: Revision, current?: string[]): RevisionInfo {
  const out: RevisionInfo = {
    id: rev.id,
    downRevisions: rev.downRevisions,
    branchLabels: map.branchLabelsOf(rev.id),
    dependsOn: rev.dependsOn,
    message: rev.message,
    ...(rev.createDate ? { createDate: rev.createDate } : {}),
    path: rev.path,
    isHead: map.isHead(rev.id),
    isBranchPoint: map.isBranchPoint(rev.id),
    isMergePoint: map.isMergePoint(rev.id),
  };
  if (current) out.isCurrent = current.includes(rev.id);
  return out;
}

/** Verbose entries end with a newline; the console adds one per line already. */
function print(out: (line: string) => void, text: string): void {
  out(text.endsWith('\n') ? text.slice(0, -1) : text);
}

function printJson(out: (line: string) => void, value: unknown): void {
  out(JSON.stringify(value, null, 2));
}

/**
 * Alembic's `current`: the database's revision(s), e.g. `3f2a9c1b7d4e (head)`.
 * A multidb project shows each database's, as `<database>: <revision line>`
 * (`<database>: <base>` when it has none).
 */
export async function current(options: ActionOptions & { verbose?: boolean; json?: boolean } = {}): Promise<RevisionInfo[]> {
  const { out, log } = resolveIO(options);
  const envs = await openEnvs(options);
  const { describeRevision } = await import('../script/format.js');
  const all: RevisionInfo[] = [];
  const json: Array<{ database?: string; url: string; urlSource?: string; current: RevisionInfo[] }> = [];
  for (const env of envs) {
    if (!options.json) contextLines(env.dialect, log);
    if (options.verbose && !options.json && env.urlSource) {
      log(infoLine('config', `Database URL ${maskUrl(env.url)} from ${env.urlSource}`));
    }
    const heads = await databaseHeads(env);
    const revisions = env.scripts.allCurrent(heads);
    const database = env.database;
    const infos = revisions.map((r) => ({ ...info(env.scripts, r, heads), ...(database !== undefined ? { database } : {}) }));
    all.push(...infos);
    json.push({
      ...(database !== undefined ? { database } : {}),
      url: maskUrl(env.url),
      ...(env.urlSource ? { urlSource: env.urlSource } : {}),
      current: infos,
    });
    if (options.json) continue;
    const prefix = database !== undefined ? `${database}: ` : '';
    if (options.verbose) out(`Current revision(s) for ${prefix}${maskUrl(env.url)}:`);
    if (database !== undefined && revisions.length === 0) out(`${prefix}<base>`);
    for (const rev of revisions) {
      const line = describeRevision(env.scripts, rev, {
        verbose: options.verbose,
        includeParents: false,
        includeDoc: false,
        includeBranches: false,
      });
      print(out, `${prefix}${line}`);
    }
    await prismaMapping(env, revisions, heads, log);
  }
  if (options.json) {
    // A single database keeps the single-database shape; multidb lists every database.
    printJson(out, envs[0]!.database === undefined ? json[0] : { databases: json });
  }
  return all;
}

/**
 * `current` on a project with an imported Prisma history: which Prisma
 * migration the current revision is, or, on a Prisma Migrate database not
 * stamped yet, where `upgrade head` will adopt it (or why it will not).
 */
async function prismaMapping(env: MigrationEnv, revisions: Revision[], heads: string[], log: (line: string) => void): Promise<void> {
  const { readFileSync } = await import('node:fs');
  const { readRecordedMigration } = await import('../prisma-import/recorded.js');
  for (const rev of revisions) {
    let text = '';
    try {
      text = readFileSync(rev.path, 'utf8');
    } catch {
      continue;
    }
    const recorded = readRecordedMigration(text);
    if (recorded) log(infoLine('import', `${rev.id} is Prisma migration ${recorded.name}`));
  }
  if (heads.length > 0) return;
  const connection = await env.dialect.connect(env.url, { ...(env.schemas ? { schemas: env.schemas } : {}), access: 'read' });
  try {
    const { findPrismaPosition } = await import('../runtime/prisma-adoption.js');
    const position = await findPrismaPosition(env.scripts, connection);
    if (position) {
      log(
        infoLine(
          'import',
          `Not stamped yet: Prisma Migrate's last applied migration ${position.migration} is revision ${position.revision}; ` +
            '`revise upgrade head` stamps it and upgrades from there',
        ),
      );
    }
  } catch (error) {
    if (!(error instanceof ReviseError)) throw error;
    log(`WARN  [revise.import] ${error.message.replace(/; nothing was run$/, '')}`);
  } finally {
    await connection.close();
  }
}

export type HistoryOptions = ActionOptions & { range?: string; verbose?: boolean; indicateCurrent?: boolean; json?: boolean };

/** Alembic's `history`: revisions newest first, `-r start:end`, `-i` marks the database's revision(s). */
export async function history(options: HistoryOptions = {}): Promise<RevisionInfo[]> {
  return listHistory(options);
}

/**
 * `history` for the CLI, which only prints: the whole listing (`history`,
 * `history -v`) depends on nothing but the revision files, so it is cached
 * beside the graph summary and printed from there while the files stay the
 * same. With `-r`, `-i` or `--json` it is `history` itself.
 */
export async function printHistory(options: HistoryOptions = {}): Promise<void> {
  if (options.range !== undefined || options.indicateCurrent || options.json) {
    await listHistory(options);
    return;
  }
  const { out } = resolveIO(options);
  const [{ scripts }, { readDerivedText, writeDerivedText }] = await Promise.all([openScripts(options), import('../script/directory.js')]);
  const name = options.verbose ? 'history-verbose' : 'history';
  const variant = `prisma-revise@${reviseVersion()}`;
  const cached = readDerivedText(scripts, name, variant);
  if (cached !== undefined) {
    if (cached !== '') out(cached);
    return;
  }
  const lines: string[] = [];
  await listHistory({ ...options, out: (line) => lines.push(line) }, scripts);
  const text = lines.join('\n');
  writeDerivedText(scripts, name, variant, text);
  if (text !== '') out(text);
}

/** This package's version: a cached listing written by another version of the code is not reused. */
function reviseVersion(): string {
  try {
    return (createRequire(import.meta.url)('../../package.json') as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** What `history` prints (through `out`) and returns; `opened`: the graph, when the caller already has it. */
async function listHistory(options: HistoryOptions, opened?: RevisionMap): Promise<RevisionInfo[]> {
  const { out, log } = resolveIO(options);
  const needsDatabase = Boolean(options.indicateCurrent) || /(^|:)current($|:)/.test(options.range ?? '');
  let scripts: RevisionMap;
  let heads: string[] | undefined;
  if (needsDatabase) {
    const env = await openEnv(options);
    if (!options.json) contextLines(env.dialect, log);
    scripts = env.scripts;
    heads = await databaseHeads(env);
  } else {
    scripts = opened ?? (await openScripts(options)).scripts;
  }
  const revisions = scripts.history(options.range, heads);
  const marked = options.indicateCurrent ? heads : undefined;
  const infos = revisions.map((r) => info(scripts, r, marked));
  if (options.json) {
    printJson(out, infos);
    return infos;
  }
  const { describeRevision } = await import('../script/format.js');
  for (const rev of revisions) {
    print(out, describeRevision(scripts, rev, { verbose: options.verbose, ...(marked ? { current: marked } : {}) }));
  }
  return infos;
}

/** Alembic's `heads`: the tips of the graph, e.g. `3f2a9c1b7d4e (head)`. */
export async function heads(
  options: ActionOptions & { verbose?: boolean; resolveDependencies?: boolean; json?: boolean } = {},
): Promise<RevisionInfo[]> {
  const { out } = resolveIO(options);
  const { scripts } = await openScripts(options);
  const revisions = options.resolveDependencies ? scripts.realHeadIds.map((id) => scripts.get(id)!) : scripts.heads;
  const infos = revisions.map((r) => info(scripts, r));
  if (options.json) {
    printJson(out, infos);
    return infos;
  }
  const { describeRevision } = await import('../script/format.js');
  for (const rev of revisions) {
    print(
      out,
      describeRevision(scripts, rev, { verbose: options.verbose, includeParents: false, includeDoc: false, treeIndicators: false }),
    );
  }
  return infos;
}

/** Alembic's `branches`: each branch point and the revisions that branch off it. */
export async function branches(options: ActionOptions & { verbose?: boolean } = {}): Promise<RevisionInfo[]> {
  const { out } = resolveIO(options);
  const { scripts } = await openScripts(options);
  const { describeRevision } = await import('../script/format.js');
  const points = scripts.history().filter((r) => scripts.isBranchPoint(r.id));
  for (const rev of points) {
    print(out, describeRevision(scripts, rev, { verbose: options.verbose, includeParents: false, includeDoc: false }));
    const pad = ' '.repeat(rev.id.length);
    for (const child of scripts.children(rev.id)) {
      const line = describeRevision(scripts, scripts.get(child)!, {
        includeParents: false,
        includeDoc: Boolean(options.verbose),
      });
      out(`${pad} -> ${line}`);
    }
    out('');
  }
  return points.map((r) => info(scripts, r));
}

/** Alembic's `show`: the full entry of each revision a symbol names (`head`, `heads`, a prefix, `current`). */
export async function show(options: ActionOptions & { revision: string; json?: boolean }): Promise<RevisionInfo[]> {
  const { out, log } = resolveIO(options);
  let scripts: RevisionMap;
  let revisions: Revision[];
  if (options.revision === 'current') {
    const env = await openEnv(options);
    if (!options.json) contextLines(env.dialect, log);
    scripts = env.scripts;
    revisions = scripts.allCurrent(await databaseHeads(env));
  } else {
    scripts = (await openScripts(options)).scripts;
    revisions = scripts.resolveMany(options.revision);
  }
  if (revisions.length === 0 && options.revision !== 'current') {
    throw new ReviseError(`No revision files indicated by symbol '${options.revision}'`);
  }
  const infos = revisions.map((r) => info(scripts, r));
  if (options.json) {
    printJson(out, options.revision === 'heads' || revisions.length !== 1 ? infos : infos[0]);
    return infos;
  }
  const { describeRevision } = await import('../script/format.js');
  for (const rev of revisions) print(out, describeRevision(scripts, rev, { verbose: true }));
  return infos;
}
