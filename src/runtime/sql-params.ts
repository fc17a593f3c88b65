import type { Dialect, Statement } from '../dialect/types.js';

/**
 * A statement with its parameters inlined as literals, for offline scripts
 * only. Markers inside quoted strings, quoted identifiers and comments are
 * left alone. Understands `?`, `?NNN` and `$NNN`.
 */
export function inlineParams(sql: string, params: readonly unknown[] | undefined, dialect: Pick<Dialect, 'renderLiteral'>): string {
  if (!params || params.length === 0) return sql;
  let out = '';
  let next = 0;
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (ch === "'" || ch === '"' || ch === '`') {
      const end = closingQuote(sql, i, ch);
      out += sql.slice(i, end);
      i = end;
    } else if (ch === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop;
    } else if (ch === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end === -1 ? sql.length : end + 2;
      out += sql.slice(i, stop);
      i = stop;
    } else if (ch === '$' && /\d/.test(sql[i + 1] ?? '') && !/[\w$]/.test(sql[i - 1] ?? '')) {
      let j = i + 1;
      while (/\d/.test(sql[j] ?? '')) j++;
      out += literal(params, Number(sql.slice(i + 1, j)) - 1, dialect);
      i = j;
    } else if (ch === '?') {
      let j = i + 1;
      while (/\d/.test(sql[j] ?? '')) j++;
      const index = j > i + 1 ? Number(sql.slice(i + 1, j)) - 1 : next++;
      out += literal(params, index, dialect);
      i = j;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

/** A statement as a line of an offline script. */
export function renderOffline(statement: Statement, dialect: Pick<Dialect, 'renderLiteral'>): string {
  const sql = inlineParams(statement.sql, statement.params, dialect).trim().replace(/;\s*$/, '');
  return `${sql};`;
}

function literal(params: readonly unknown[], index: number, dialect: Pick<Dialect, 'renderLiteral'>): string {
  if (index < 0 || index >= params.length) {
    throw new Error(`SQL refers to parameter ${index + 1} but only ${params.length} were given`);
  }
  return dialect.renderLiteral(params[index]);
}

/** Index just past the quote that closes the one at `start` (doubled quotes are escapes). */
function closingQuote(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return sql.length;
}
