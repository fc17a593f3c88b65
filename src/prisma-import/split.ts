/**
 * A migration.sql cut into the statements it is made of, each exactly as
 * written (leading comments included), so a revision can run them one by one
 * the way the database would run the whole script. Semicolons inside quoted
 * strings and identifiers, comments, PostgreSQL dollar quotes and `BEGIN ...
 * END` bodies (SQLite triggers, PostgreSQL `BEGIN ATOMIC`, MySQL
 * triggers and routines) do not end a statement. Pieces with nothing but
 * comments and whitespace are dropped. MySQL's quoted strings ('' and "")
 * take backslash escapes, and `#` starts a comment there.
 */
export function splitStatements(script: string, flavor?: 'mysql'): string[] {
  const mysql = flavor === 'mysql';
  const out: string[] = [];
  let start = 0;
  let i = 0;
  /** Open `BEGIN` / `CASE` blocks of the statement being read (only inside a block-bodied statement). */
  let depth = 0;
  let blockBodied: boolean | undefined;
  const n = script.length;
  const flush = (end: number) => {
    const text = script.slice(start, end);
    if (hasCode(text)) out.push(text.trim());
    start = end;
    depth = 0;
    blockBodied = undefined;
  };
  while (i < n) {
    const ch = script[i]!;
    if ((ch === '-' && script[i + 1] === '-') || (mysql && ch === '#')) {
      const nl = script.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
    } else if (ch === '/' && script[i + 1] === '*') {
      i = blockCommentEnd(script, i);
    } else if (ch === "'") {
      // E'...' strings take backslash escapes.
      const escapes = mysql || (/[eE]/.test(script[i - 1] ?? '') && !/[\w$]/.test(script[i - 2] ?? ''));
      i = quotedEnd(script, i, "'", escapes);
    } else if (ch === '"' || ch === '`') {
      i = quotedEnd(script, i, ch, mysql && ch === '"');
    } else if (ch === '$' && !mysql && !/[\w$]/.test(script[i - 1] ?? '')) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(script.slice(i, i + 64));
      if (tag) {
        const close = script.indexOf(tag[0], i + tag[0].length);
        i = close < 0 ? n : close + tag[0].length;
      } else i++;
    } else if (/[A-Za-z_]/.test(ch) && !/[\w$]/.test(script[i - 1] ?? '')) {
      let j = i + 1;
      while (j < n && /[\w$]/.test(script[j]!)) j++;
      const word = script.slice(i, j).toUpperCase();
      blockBodied ??= isBlockBodied(script.slice(i, i + 120));
      if (blockBodied) {
        if (word === 'BEGIN' || word === 'CASE') depth++;
        else if (word === 'END' && depth > 0) {
          // MySQL's `END IF` / `END LOOP` / `END WHILE` / `END REPEAT` close blocks whose openers are not counted;
          // `END CASE` closes a CASE, and its CASE opens nothing.
          const next = /^\s+([A-Za-z]+)/.exec(script.slice(j, j + 24))?.[1]?.toUpperCase();
          if (next === 'CASE') j += /^\s+[A-Za-z]+/.exec(script.slice(j))![0].length;
          if (next !== 'IF' && next !== 'LOOP' && next !== 'WHILE' && next !== 'REPEAT') depth--;
        }
      }
      i = j;
    } else if (ch === ';') {
      i++;
      if (depth === 0) flush(i);
    } else i++;
  }
  flush(n);
  return out;
}

/**
 * Statements whose body may hold semicolons between `BEGIN` and `END`: CREATE
 * TRIGGER (SQLite's `BEGIN ...; END`) and functions with a SQL-standard body
 * (`BEGIN ATOMIC ... END`). A PostgreSQL trigger or a `$$` body has no bare
 * BEGIN, so counting there changes nothing.
 */
function isBlockBodied(head: string): boolean {
  const code = stripComments(head).trim().toUpperCase();
  return /^CREATE\s+(OR\s+REPLACE\s+)?(DEFINER\s*=\s*\S+\s+)?(TEMP\s+|TEMPORARY\s+)?(TRIGGER|FUNCTION|PROCEDURE)\b/.test(code);
}

/** Whether a piece of a script holds anything but comments, whitespace and semicolons. */
export function hasCode(text: string): boolean {
  return stripComments(text).replace(/[\s;]+/g, '') !== '';
}

/**
 * The text without its `--` and `/* *\/` comments (quoted text kept as it
 * is), and MySQL's `#` comments where they start a line (elsewhere `#` is
 * PostgreSQL's XOR; SQLite has no `#`).
 */
export function stripComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if ((ch === '-' && text[i + 1] === '-') || (ch === '#' && /(^|\n)[ \t]*$/.test(text.slice(Math.max(0, i - 80), i)))) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
      out += ' ';
    } else if (ch === '/' && text[i + 1] === '*') {
      i = blockCommentEnd(text, i);
      out += ' ';
    } else if (ch === "'" || ch === '"' || ch === '`') {
      const end = quotedEnd(text, i, ch, false);
      out += text.slice(i, end);
      i = end;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

/** Just past the `*\/` that closes the comment at `start`; PostgreSQL block comments nest. */
function blockCommentEnd(text: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < text.length) {
    if (text[i] === '/' && text[i + 1] === '*') {
      depth++;
      i += 2;
    } else if (text[i] === '*' && text[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return text.length;
}

/** Just past the quote closing the one at `start` (doubled quotes, and with `escapes` backslashes, escape). */
function quotedEnd(text: string, start: number, quote: string, escapes: boolean): number {
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i]!;
    if (escapes && ch === '\\') {
      i += 2;
      continue;
    }
    if (ch === quote) {
      if (text[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return text.length;
}
