import { randomUUID } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ReviseError } from '../errors.js';
import { checkRevisionId } from './revision.js';
import { renderTablesInterface, type FrozenTables } from '../data/frozen.js';

/** A new revision id: the last 12 hex digits of a random UUID, like Alembic's `uuid4().hex[-12:]`. */
export function newRevisionId(): string {
  return randomUUID().replace(/-/g, '').slice(-12);
}

/** alembic_version.version_num is VARCHAR(32): a longer id could be written to a file but never recorded. */
const MAX_REVISION_ID_LENGTH = 32;

/**
 * The id of a revision about to be written (`--rev-id`): letters, digits and
 * `_` only, at most 32 characters. Stricter than the ids revise reads from
 * existing files: this one becomes part of a file name, so nothing in it may
 * lead out of the version folder, and it must fit in alembic_version.
 */
export function checkNewRevisionId(id: string): void {
  if (!/^[A-Za-z0-9_]+$/.test(id)) {
    throw new ReviseError(`Invalid revision id '${id}': use only letters, digits and _`);
  }
  if (id.length > MAX_REVISION_ID_LENGTH) {
    throw new ReviseError(`Invalid revision id '${id}': at most ${MAX_REVISION_ID_LENGTH} characters (alembic_version.version_num is VARCHAR(32))`);
  }
  checkRevisionId(id, 'the new revision');
}

/** Alembic's default `truncate_slug_length`. */
const SLUG_LENGTH = 40;

/**
 * The `<slug>` of `<rev>_<slug>.ts`, as Alembic builds it: the message's word
 * runs joined by `_`, lower-cased; past 40 characters cut at the last `_`
 * (with a trailing `_` marking the cut).
 */
export function slugify(message: string): string {
  // Counted in code points, as Python counts them: a cut never splits a surrogate pair.
  let chars = [...(message.match(/[\p{L}\p{N}_]+/gu) ?? []).join('_').toLowerCase()];
  if (chars.length > SLUG_LENGTH) {
    const cut = chars.slice(0, SLUG_LENGTH);
    const last = cut.lastIndexOf('_');
    chars = [...(last >= 0 ? cut.slice(0, last) : cut), '_'];
  }
  return chars.join('');
}

export interface RevisionFileInput {
  id: string;
  message: string;
  downRevision: string | string[] | null;
  branchLabels?: string[] | null;
  dependsOn?: string[] | null;
  createDate: Date;
  /** Extra import lines, written after the `MigrationOps` import. */
  imports?: string[];
  /** `frozen`: the tables the data hook sees, written as `interface UpgradeTables` (empty when absent). */
  upgrade: RevisionSteps;
  downgrade: RevisionSteps;
  /** extra top-level code, e.g. frozen table shapes */
  preamble?: string[];
}

/** `2026-11-24 18:00:00.123000`: Python's `str(datetime.now())`, local time. */
export function formatCreateDate(date: Date): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return (
    `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())} ` +
    `${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}.${p(date.getMilliseconds() * 1000, 6)}`
  );
}

const quote = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function literal(value: string | string[] | null | undefined): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return quote(value);
  if (value.length === 0) return 'null';
  return `[${value.map(quote).join(', ')}]`;
}

/** What every revision template starts with: Alembic's docstring header and the four header exports. */
export interface RevisionHeaderInput {
  id: string;
  message: string;
  downRevision: string | string[] | null;
  branchLabels?: string[] | null;
  dependsOn?: string[] | null;
  createDate: Date;
}

/** The docstring, the `import type` line(s) and the header exports, ending with a blank line. */
export function renderRevisionHeader(input: RevisionHeaderInput, imports: string[]): string[] {
  const downs = input.downRevision === null ? [] : typeof input.downRevision === 'string' ? [input.downRevision] : input.downRevision;
  // `*/` would end the doc comment early.
  const message = (input.message.trim() || 'empty message').replace(/\*\//g, '*\\/');
  const doc = [
    ...message.split(/\r?\n/),
    '',
    `Revision ID: ${input.id}`,
    `Revises: ${downs.join(', ')}`.trimEnd(),
    `Create Date: ${formatCreateDate(input.createDate)}`,
  ];
  const downLiteral = downs.length === 0 ? 'null' : downs.length === 1 ? quote(downs[0]!) : literal(downs);
  return [
    '/**',
    ...doc.map((line) => (line === '' ? ' *' : ` * ${line}`)),
    ' */',
    ...imports,
    '',
    `export const revision = ${quote(input.id)};`,
    `export const downRevision: string | string[] | null = ${downLiteral};`,
    `export const branchLabels: string[] | null = ${literal(input.branchLabels)};`,
    `export const dependsOn: string[] | null = ${literal(input.dependsOn)};`,
    '',
  ];
}

/** Indent every line of a (possibly multi-line) statement by `pad`, leaving blank lines empty. */
export function indent(statement: string, pad = '  '): string {
  return statement
    .split('\n')
    .map((line) => (line.trim() === '' ? '' : pad + line))
    .join('\n');
}

/**
 * The import a revision template writes: the op API and the data hook type,
 * and the column helper of the frozen shapes only when `body` uses it (an
 * unused import fails a user's `noUnusedLocals`).
 */
export function revisionImport(body: readonly string[]): string {
  // Code only: the empty shapes' example comment mentions Generated<...> too.
  const code = body.map((line) => line.replace(/\/\/.*$|\/\*.*?\*\//g, ''));
  const names = [
    ...(code.some((line) => line.includes('DataHook<')) ? ['DataHook'] : []),
    ...(code.some((line) => line.includes('Generated<')) ? ['Generated'] : []),
    'MigrationOps',
  ];
  return `import type { ${names.join(', ')} } from 'prisma-revise';`;
}

/** One direction's steps: source lines, additive before destructive, and the tables its data hook sees. */
export interface RevisionSteps {
  additive: string[];
  destructive: string[];
  frozen?: FrozenTables;
}

/** `upgrade`, its hook `upgradeData` and the hook's `UpgradeTables`; multidb names carry `_<db>`. */
function directionNames(direction: 'upgrade' | 'downgrade', suffix: string) {
  const title = direction === 'upgrade' ? 'Upgrade' : 'Downgrade';
  return { fn: `${direction}${suffix}`, hook: `${direction}Data${suffix}`, tables: `${title}Tables${suffix}` };
}

/** `export async function upgrade(op)`: the additive steps, the data hook's call, the destructive steps. */
function renderStepFunction(names: ReturnType<typeof directionNames>, steps: RevisionSteps): string[] {
  const noChanges = steps.additive.length + steps.destructive.length === 0;
  return [
    `export async function ${names.fn}(op: MigrationOps): Promise<void> {`,
    ...(noChanges ? ['  // no schema changes'] : steps.additive.map((s) => indent(s))),
    `  await ${names.hook}(op, op.data<${names.tables}>());`,
    ...steps.destructive.map((s) => indent(s)),
    '}',
    '',
  ];
}

/**
 * A revision's upgrade/downgrade pair with everything that goes with it: the
 * two functions, their typed data hooks and the frozen table shapes the hooks
 * see (written once when both hooks see the same tables). `suffix` is empty
 * for the generic template, `_<db>` for a multidb one.
 */
export function renderRevisionPair(upgrade: RevisionSteps, downgrade: RevisionSteps, suffix = ''): string[] {
  const up = directionNames('upgrade', suffix);
  const down = directionNames('downgrade', suffix);
  const upTables = renderTablesInterface(up.tables, upgrade.frozen, []);
  const downTables = renderTablesInterface(down.tables, downgrade.frozen, []);
  // Both sides rendered under one name: equal text means equal shapes.
  const same = JSON.stringify(renderTablesInterface(up.tables, downgrade.frozen, [])) === JSON.stringify(upTables);
  const doc = (hooks: string, frozen: FrozenTables | undefined) =>
    (frozen?.tables.length ?? 0) > 0
      ? `/** Tables as ${hooks} frozen when this revision was written. */`
      : `/** Tables for ${hooks.replace(/ sees? them,$/, '')}: none change shape here. To query one: interface { User: { id: Generated<number>; name: string } }. */`;
  const shapes = same
    ? [doc(`${up.hook} and ${down.hook} see them,`, upgrade.frozen), ...upTables, `type ${down.tables} = ${up.tables};`]
    : [doc(`${up.hook} sees them,`, upgrade.frozen), ...upTables, '', doc(`${down.hook} sees them,`, downgrade.frozen), ...downTables];
  return [
    ...renderStepFunction(up, upgrade),
    ...renderStepFunction(down, downgrade),
    '/**',
    " * Data steps, in this revision's transaction after the additive steps and before the destructive ones. `db` is Kysely",
    ' * typed by the shapes below; `op.batched` chunks large tables, `op.execute(sql, params)` runs SQL with bound parameters:',
    " * async (op, db) => { await db.updateTable('User').set({ role: 'USER' }).where('role', 'is', null).execute(); }",
    ' */',
    `const ${up.hook}: DataHook<${up.tables}> = () => Promise.resolve();`,
    `const ${down.hook}: DataHook<${down.tables}> = () => Promise.resolve();`,
    '',
    ...shapes,
    '',
  ];
}

/** The text of a revision file: the header Alembic's template writes, then upgrade/downgrade with their data hooks. */
export function renderRevisionFile(input: RevisionFileInput): string {
  const pair = renderRevisionPair(input.upgrade, input.downgrade);
  const lines = renderRevisionHeader(input, [revisionImport(pair), ...(input.imports ?? [])]);
  if (input.preamble && input.preamble.length > 0) lines.push(...input.preamble, '');
  lines.push(...pair);
  return lines.join('\n');
}

/** `<rev>_<slug>.ts` */
export function revisionFileName(id: string, message: string): string {
  return `${id}_${slugify(message)}.ts`;
}

/**
 * Write a new revision file into `dir` (created if missing) and return its
 * path. Refuses when a file for the same revision id is already there.
 */
export async function writeRevisionFile(dir: string, input: RevisionFileInput): Promise<string> {
  return writeRevisionSource(dir, input.id, input.message, renderRevisionFile(input));
}

/** Write an already rendered revision file (any template) as `<id>_<slug>.ts`, refusing an id already there. */
export async function writeRevisionSource(dir: string, id: string, message: string, source: string): Promise<string> {
  checkNewRevisionId(id);
  const path = join(dir, revisionFileName(id, message));
  // The id and the slug are word characters only; this states the guarantee where the file is written.
  if (dirname(path) !== resolve(dir)) throw new ReviseError(`Revision file ${path} would be written outside ${dir}`);
  await mkdir(dir, { recursive: true });
  const clash = (await readdir(dir)).find((name) => name === `${id}.ts` || name.startsWith(`${id}_`));
  if (clash) throw new ReviseError(`Revision ${id} already exists: ${join(dir, clash)}`);
  try {
    await writeFile(path, source, { encoding: 'utf8', flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new ReviseError(`Revision file already exists: ${path}`);
    throw err;
  }
  return path;
}
