import { LiteralSyntaxError, readLiteral, type LiteralValue } from './literal.js';
import { ReviseError } from '../errors.js';

/**
 * One revision file, as read from its header (Alembic's `Script`). The file is
 * never executed to get this: the exported consts are literals, scanned as
 * text, so `history`, `heads` and planning stay fast on thousands of files.
 */
export interface Revision {
  id: string;
  /** `downRevision` of the file: empty for a base, several for a merge. */
  downRevisions: string[];
  /** Branch labels the file declares (the graph also propagates them along the branch). */
  branchLabels: string[];
  /** `dependsOn` of the file: revision ids, unique prefixes or branch labels. */
  dependsOn: string[];
  /** First paragraph of the docstring (Alembic's `doc`). */
  message: string;
  createDate?: string;
  path: string;
  /** The whole docstring, trimmed (Alembic's `longdoc`), shown by verbose output. */
  longDoc?: string;
}

/** Characters Alembic refuses in a revision id: they mean something in targets (`a@b`, `+2`, `a:b`). */
const ILLEGAL_ID_CHARS = ['@', '-', '+', ':'];

export function checkRevisionId(id: string, where: string): void {
  const bad = ILLEGAL_ID_CHARS.filter((c) => id.includes(c));
  if (bad.length > 0) {
    throw new ReviseError(`Character(s) '${bad.join(', ')}' not allowed in revision identifier '${id}' (${where})`);
  }
  if (id === '' || /\s/.test(id)) throw new ReviseError(`Invalid revision identifier '${id}' in ${where}`);
  if (id === 'head' || id === 'heads' || id === 'base' || id === 'current') {
    throw new ReviseError(`Revision identifier '${id}' is a reserved word (${where})`);
  }
}

type HeaderValue = string | string[] | null;

const HEADER_NAMES = ['revision', 'downRevision', 'branchLabels', 'dependsOn'] as const;
type HeaderName = (typeof HEADER_NAMES)[number];

/** `export const <name>` followed by an optional type annotation and `=`. */
const EXPORT_RE = /export\s+const\s+(revision|downRevision|branchLabels|dependsOn)\b\s*(?::[^=;]*)?=/g;

/**
 * Read a revision file's header without executing it. Accepts `'`/`"`/plain
 * backtick strings, arrays of them, `null`/`undefined`, `as const`, comments
 * and trailing commas. Throws a ReviseError naming the file when `revision` or
 * `downRevision` is missing or is not a literal.
 */
export function parseRevisionHeader(source: string, path: string): Revision {
  const values = new Map<HeaderName, HeaderValue>();
  EXPORT_RE.lastIndex = 0;
  for (let m = EXPORT_RE.exec(source); m; m = EXPORT_RE.exec(source)) {
    const name = m[1] as HeaderName;
    if (values.has(name)) throw new ReviseError(`${path}: \`${name}\` is exported twice`);
    values.set(name, readHeaderValue(source, m.index + m[0].length, path, name));
  }

  const revision = values.get('revision');
  if (typeof revision !== 'string') {
    throw new ReviseError(
      revision === undefined
        ? `${path} is not a revision file: it has no \`export const revision = '<id>'\``
        : `${path}: \`revision\` must be a string literal`,
    );
  }
  checkRevisionId(revision, path);
  if (!values.has('downRevision')) {
    throw new ReviseError(`${path}: revision ${revision} has no \`export const downRevision\` (use null for a first revision)`);
  }

  const doc = readDocComment(source);
  const longDoc = doc ?? '';
  const createDate = /^Create Date:[ \t]*(.+)$/m.exec(longDoc)?.[1]?.trim();
  return makeRevision(
    {
      id: revision,
      downRevisions: toList(values.get('downRevision')),
      branchLabels: toList(values.get('branchLabels')),
      dependsOn: toList(values.get('dependsOn')),
      // Alembic's `doc`: the first paragraph of the docstring.
      message: longDoc.split(/\n[ \t]*\n/)[0]!.trim(),
      ...(createDate ? { createDate } : {}),
      longDoc,
    },
    path,
  );
}

/**
 * A Revision from its header fields and path, its properties always set in
 * one order, so that every revision shares V8's hidden class. Made by spread
 * (`{ ...header, path }`), each got a class of its own once V8's spread cache
 * gave up: thousands of maps (descriptor arrays), 4 MB of a 5,000-revision run.
 */
export function makeRevision(header: Omit<Revision, 'path'>, path: string): Revision {
  const revision: Revision = {
    id: header.id,
    downRevisions: header.downRevisions,
    branchLabels: header.branchLabels,
    dependsOn: header.dependsOn,
    message: header.message,
    path,
  };
  if (header.createDate !== undefined) revision.createDate = header.createDate;
  if (header.longDoc !== undefined) revision.longDoc = header.longDoc;
  return revision;
}

function toList(value: HeaderValue | undefined): string[] {
  if (value === undefined || value === null) return [];
  const list = typeof value === 'string' ? [value] : value;
  // `downRevision = ''` or `[]` both mean "no parent", as in Alembic.
  return [...new Set(list.filter((v) => v !== ''))];
}

/** The leading `/** ... *\/` (or `/* ... *\/`) block, with its ` * ` gutters removed and trimmed. */
function readDocComment(source: string): string | undefined {
  let i = 0;
  if (source.startsWith('#!')) i = source.indexOf('\n') + 1 || source.length;
  for (;;) {
    while (i < source.length && /\s/.test(source[i]!)) i++;
    if (source.startsWith('//', i)) {
      i = source.indexOf('\n', i);
      if (i < 0) return undefined;
      continue;
    }
    break;
  }
  if (!source.startsWith('/*', i)) return undefined;
  const end = source.indexOf('*/', i + 2);
  if (end < 0) return undefined;
  const body = source.slice(source.startsWith('/**', i) ? i + 3 : i + 2, end);
  const lines = body.split(/\r?\n/).map((line) => line.replace(/^\s*\* ?/, '').replace(/\s+$/, ''));
  return lines.join('\n').trim();
}

/** The header value at `pos`: a string, an array of strings, or null; anything else names the file. */
function readHeaderValue(source: string, pos: number, path: string, name: string): HeaderValue {
  let value: LiteralValue;
  try {
    value = readLiteral(source, pos).value;
  } catch (err) {
    if (!(err instanceof LiteralSyntaxError)) throw err;
    if (err.kind === 'string') throw new ReviseError(`${path}: \`${name}\` has an unterminated or non-literal string`);
    if (err.kind === 'array') throw new ReviseError(`${path}: \`${name}\` must be an array of string literals`);
    throw notALiteral(path, name, err.found);
  }
  if (value === null || typeof value === 'string') return value;
  if (Array.isArray(value)) {
    if (value.includes(null)) throw new ReviseError(`${path}: \`${name}\` may not contain null`);
    if (value.every((v): v is string => typeof v === 'string')) return value;
    throw new ReviseError(`${path}: \`${name}\` must be an array of string literals`);
  }
  throw notALiteral(path, name, JSON.stringify(value).slice(0, 30));
}

function notALiteral(path: string, name: string, found: string): ReviseError {
  return new ReviseError(
    `${path}: \`${name}\` must be a string literal, an array of string literals or null ` +
      `(revision headers are read without running the file), found '${found}'`,
  );
}

/**
 * True when `source` (possibly only the first bytes of a file) declares all
 * four header exports, so a partial read that also parses can be trusted.
 * Files revise writes always declare all four, near the top.
 */
export function hasAllHeaderExports(source: string): boolean {
  const seen = new Set<string>();
  EXPORT_RE.lastIndex = 0;
  for (let m = EXPORT_RE.exec(source); m; m = EXPORT_RE.exec(source)) seen.add(m[1]!);
  return seen.size === HEADER_NAMES.length;
}
