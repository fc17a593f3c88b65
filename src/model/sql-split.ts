/** Cutting SQL text at its top level; a module of its own so the type maps can use it without the SQL text parser. */

/**
 * SQL text cut at `separator` where it stands outside parentheses, brackets
 * and quotes (`'...'`, `"..."`, `` `...` ``; a doubled quote stays inside).
 * The pieces are as written (not trimmed); the last is always there.
 */
export function splitTopLevel(text: string, separator = ','): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"' || ch === '`') quote = ch;
    else if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    else if (ch === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}
