/**
 * TypeScript literals for revision files: single quotes, 2-space indent,
 * trailing commas, short things on one line, long things broken up.
 */

import { ReviseError } from '../errors.js';

export const LINE_WIDTH = 120;

export type Literal = string | number | bigint | boolean | null | Literal[] | { [key: string]: Literal | undefined };

/** A string literal: single quotes, or double quotes when that avoids escaping (`"'it''s'"`). */
export function quote(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === q) out += `\\${q}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code === 0x2028 || code === 0x2029) out += `\\u${code.toString(16)}`;
    else out += ch;
  }
  return out + q;
}

function key(k: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(k) ? k : quote(k);
}

function entries(obj: { [key: string]: Literal | undefined }): Array<[string, Literal]> {
  return Object.entries(obj).filter((e): e is [string, Literal] => e[1] !== undefined);
}

export function inline(v: Literal): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return quote(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new ReviseError(`Cannot write ${v} in a revision file.`);
    return Object.is(v, -0) ? '-0' : String(v);
  }
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (Array.isArray(v)) return `[${v.map(inline).join(', ')}]`;
  const proto = Object.getPrototypeOf(v);
  if (typeof v !== 'object' || (proto !== Object.prototype && proto !== null)) {
    throw new ReviseError(`Cannot write ${Object.prototype.toString.call(v)} in a revision file; use strings, numbers, booleans, null, arrays and plain objects.`);
  }
  const parts = entries(v).map(([k, x]) => `${key(k)}: ${inline(x)}`);
  return parts.length === 0 ? '{}' : `{ ${parts.join(', ')} }`;
}

function depth(v: Literal): number {
  if (v === null || typeof v !== 'object') return 0;
  const children = Array.isArray(v) ? v : entries(v).map((e) => e[1]);
  return 1 + Math.max(0, ...children.map(depth));
}

/**
 * `v` starting at column `used` of a line indented by `indent`; continuation
 * lines carry their own indentation. `tail` is what follows on the last line.
 */
export function pretty(v: Literal, indent: string, used: number, tail = 1): string {
  const one = inline(v);
  if (v === null || typeof v !== 'object' || used + one.length + tail <= LINE_WIDTH) return one;
  const inner = indent + '  ';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    // Rows of a list (columns, foreign keys) read best one per line.
    const rows = v.map((x) => inner + (depth(x) <= 3 ? inline(x) : pretty(x, inner, inner.length)) + ',');
    return `[\n${rows.join('\n')}\n${indent}]`;
  }
  const rows = entries(v).map(([k, x]) => {
    const head = `${inner}${key(k)}: `;
    return head + pretty(x, inner, head.length) + ',';
  });
  return rows.length === 0 ? '{}' : `{\n${rows.join('\n')}\n${indent}}`;
}

/**
 * One call statement, e.g. `await op.addColumn('Post', { ... });`: on one line
 * when it fits, otherwise with its last argument broken over several lines.
 */
export function call(prefix: string, args: Literal[], indent = ''): string {
  const flat = `${indent}${prefix}(${args.map(inline).join(', ')});`;
  if (flat.length <= LINE_WIDTH || args.length === 0) return flat;
  const head = `${indent}${prefix}(${args.slice(0, -1).map((a) => inline(a) + ', ').join('')}`;
  return `${head}${pretty(args[args.length - 1]!, indent, head.length, 2)});`;
}
