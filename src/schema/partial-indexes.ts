/**
 * The `where:` argument of `@@index`, `@@unique` and `@unique` (Prisma's
 * `partialIndexes` preview feature), which the DMMF leaves out: read from the
 * schema text and written as SQL exactly as Prisma's engine writes it.
 *
 *   where: raw("status = 'active'")   ->  (status = 'active')    PostgreSQL; SQLite without the parentheses
 *   where: { active: true, deletedAt: null, kind: { not: "x" } }
 *                                     ->  ("active" = true AND "deletedAt" IS NULL AND "kind" != 'x')
 */
import { ReviseError } from '../errors.js';
import { argumentsAt, type ScannedBlock } from './scan.js';

export interface PartialIndexSource {
  type: 'normal' | 'unique';
  /** Field names of the index, in order. */
  fields: string[];
  /** Explicit `map:` name, when written. */
  map?: string;
  /** The predicate, still in Prisma terms. */
  where: WhereArgument;
}

export type WhereArgument = { raw: string } | { conditions: Array<{ field: string; not: boolean; value: WhereValue }> };

type WhereValue = string | number | boolean | null;

/** Every index of a model block that has a `where:` argument. */
export function partialIndexSources(block: ScannedBlock): PartialIndexSource[] {
  const out: PartialIndexSource[] = [];
  for (const line of block.attributes) {
    const kind = /^@@(index|unique)\s*\(/.exec(line);
    if (!kind) continue;
    const args = argumentsAt(line, 0);
    if (args === undefined) continue;
    const parsed = parseArguments(args);
    const where = parsed.named.where;
    if (where === undefined) continue;
    const list = parsed.named.fields ?? parsed.positional[0] ?? '';
    out.push(withMap({ type: kind[1] === 'unique' ? 'unique' : 'normal', fields: fieldNames(list), where: parseWhere(where, block) }, parsed.named.map));
  }
  for (const field of block.fields) {
    const at = field.attributes.search(/@unique\s*\(/);
    if (at < 0) continue;
    const args = argumentsAt(field.attributes, at);
    if (args === undefined) continue;
    const parsed = parseArguments(args);
    if (parsed.named.where === undefined) continue;
    out.push(withMap({ type: 'unique', fields: [field.name], where: parseWhere(parsed.named.where, block) }, parsed.named.map));
  }
  return out;
}

function withMap(source: PartialIndexSource, map: string | undefined): PartialIndexSource {
  const name = map === undefined ? undefined : stringLiteral(map);
  return name === undefined ? source : { ...source, map: name };
}

/** The predicate as SQL; `column` gives a field's column name. PostgreSQL's engine wraps it in parentheses. */
export function whereSql(where: WhereArgument, column: (field: string) => string, provider: 'sqlite' | 'postgresql' | 'mysql'): string {
  const body =
    'raw' in where
      ? where.raw
      : where.conditions
          .map(({ field, not, value }) => {
            const col = `"${column(field).replace(/"/g, '""')}"`;
            if (value === null) return `${col} IS ${not ? 'NOT ' : ''}NULL`;
            return `${col} ${not ? '!=' : '='} ${sqlValue(value)}`;
          })
          .join(' AND ');
  return provider === 'postgresql' ? `(${body})` : body;
}

function sqlValue(value: string | number | boolean): string {
  if (typeof value === 'string') return `'${value.replace(/'/g, "''")}'`;
  return String(value);
}

// ---------------------------------------------------------------------------
// Reading attribute arguments (Prisma has validated them already).

/** Top-level comma-separated pieces of `text` (brackets, braces, parentheses and strings respected). */
function splitTopLevel(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 0) {
      items.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = text.slice(start).trim();
  if (last !== '') items.push(last);
  return items;
}

function parseArguments(text: string): { positional: string[]; named: Record<string, string> } {
  const positional: string[] = [];
  const named: Record<string, string> = {};
  for (const item of splitTopLevel(text)) {
    const m = /^([A-Za-z_]\w*)\s*:\s*([\s\S]*)$/.exec(item);
    if (m) named[m[1]!] = m[2]!.trim();
    else positional.push(item);
  }
  return { positional, named };
}

/** `[a, b(sort: Desc)]` -> `['a', 'b']`. */
function fieldNames(list: string): string[] {
  const inner = list.trim().replace(/^\[/, '').replace(/\]$/, '');
  return splitTopLevel(inner).map((item) => /^[A-Za-z_]\w*/.exec(item)?.[0] ?? item);
}

/** A Prisma string literal (`"a \"b\""`) as its value; undefined when `text` is not one. */
function stringLiteral(text: string): string | undefined {
  const t = text.trim();
  if (!/^"(?:[^"\\]|\\.)*"$/.test(t)) return undefined;
  try {
    return JSON.parse(t) as string;
  } catch {
    return t.slice(1, -1);
  }
}

function parseWhere(text: string, block: ScannedBlock): WhereArgument {
  const raw = /^raw\s*\(([\s\S]*)\)$/.exec(text.trim());
  if (raw) {
    const sql = stringLiteral(raw[1]!);
    if (sql === undefined) throw unreadable(text, block);
    return { raw: sql };
  }
  const object = /^\{([\s\S]*)\}$/.exec(text.trim());
  if (!object) throw unreadable(text, block);
  const conditions = splitTopLevel(object[1]!).map((entry) => {
    const m = /^([A-Za-z_]\w*)\s*:\s*([\s\S]*)$/.exec(entry);
    if (!m) throw unreadable(text, block);
    const nested = /^\{\s*not\s*:\s*([\s\S]*?)\s*\}$/.exec(m[2]!.trim());
    return { field: m[1]!, not: nested !== null, value: whereValue(nested ? nested[1]! : m[2]!, text, block) };
  });
  return { conditions };
}

function whereValue(text: string, where: string, block: ScannedBlock): WhereValue {
  const t = text.trim();
  if (t === 'true') return true;
  if (t === 'false') return false;
  if (t === 'null') return null;
  if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(t)) return Number(t);
  const s = stringLiteral(t);
  if (s === undefined) throw unreadable(where, block);
  return s;
}

function unreadable(text: string, block: ScannedBlock): ReviseError {
  return new ReviseError(`cannot read the index predicate \`where: ${text}\` of ${block.kind} '${block.name}' (${block.file})`);
}
