/**
 * SQL expression text as the model carries it (partial index predicates,
 * index expressions): which columns it names, the same text with a column
 * renamed, and a canonical form for comparing two spellings of one predicate.
 *
 * The canonical form follows what Prisma's schema engine treats as the same
 * predicate (it compares parsed expressions): parentheses, letter case of
 * keywords, whitespace, quotes around identifiers that need none and casts
 * (`'x'::text`, which PostgreSQL adds when it stores a predicate) do not
 * matter; anything else does (`active` and `active = true` differ).
 */

import { splitTopLevel } from './sql-split.js';

type TokenKind = 'str' | 'ident' | 'word' | 'num' | 'op' | 'punct';

interface Token {
  kind: TokenKind;
  /** Unquoted value for `ident` and `str`, the text itself otherwise. */
  value: string;
  start: number;
  end: number;
}

const OPERATOR_CHARS = '+-*/<>=~!@#%^&|`?';

/** Tokens of an SQL expression; undefined when the text does not lex (an unterminated quote). */
function tokenize(text: string): Token[] | undefined {
  const tokens: Token[] = [];
  let i = 0;
  const quoted = (open: string, close: string, kind: 'str' | 'ident', from: number): boolean => {
    let j = from + 1;
    let value = '';
    for (;;) {
      if (j >= text.length) return false;
      if (text[j] === close) {
        if (text[j + 1] === close && close !== ']') {
          value += close;
          j += 2;
          continue;
        }
        break;
      }
      value += text[j];
      j++;
    }
    tokens.push({ kind, value, start: i, end: j + 1 });
    i = j + 1;
    return true;
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "'") {
      if (!quoted("'", "'", 'str', i)) return undefined;
    } else if ((ch === 'E' || ch === 'e') && text[i + 1] === "'") {
      // PostgreSQL escape string: the prefix belongs to the literal.
      const start = i;
      i++;
      if (!quoted("'", "'", 'str', i)) return undefined;
      tokens[tokens.length - 1]!.start = start;
    } else if (ch === '"') {
      if (!quoted('"', '"', 'ident', i)) return undefined;
    } else if (ch === '`') {
      if (!quoted('`', '`', 'ident', i)) return undefined;
    } else if (ch === '[' && startsOperand(tokens[tokens.length - 1]) && /^\[[A-Za-z_][^\]]*\]/.test(text.slice(i))) {
      // SQLite [bracketed] identifier (where an operand starts; after an operand `[` is a subscript).
      if (!quoted('[', ']', 'ident', i)) return undefined;
    } else if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i))!;
      tokens.push({ kind: 'num', value: m[0], start: i, end: i + m[0].length });
      i += m[0].length;
    } else if (/[A-Za-z_\u0080-\uffff]/.test(ch)) {
      const m = /^[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*/.exec(text.slice(i))!;
      tokens.push({ kind: 'word', value: m[0], start: i, end: i + m[0].length });
      i += m[0].length;
    } else if (text.startsWith('::', i)) {
      tokens.push({ kind: 'op', value: '::', start: i, end: i + 2 });
      i += 2;
    } else if (OPERATOR_CHARS.includes(ch)) {
      let j = i;
      while (j < text.length && OPERATOR_CHARS.includes(text[j]!)) j++;
      tokens.push({ kind: 'op', value: text.slice(i, j), start: i, end: j });
      i = j;
    } else if ('()[],.;:'.includes(ch)) {
      tokens.push({ kind: 'punct', value: ch, start: i, end: i + 1 });
      i++;
    } else {
      return undefined;
    }
  }
  return tokens;
}

/** Whether an operand may start after `previous` (so a `[` there opens a bracketed name, not a subscript). */
function startsOperand(previous: Token | undefined): boolean {
  if (!previous) return true;
  if (previous.kind === 'op') return true;
  if (previous.kind === 'punct') return previous.value === '(' || previous.value === ',';
  return previous.kind === 'word' && /^(and|or|not|on|where|when|then|else)$/i.test(previous.value);
}

/** Where a token stands for a column: a name, not a function, a type after `::`, or a qualified part. */
function columnTokens(tokens: Token[]): Token[] {
  return tokens.filter((t, i) => {
    if (t.kind !== 'ident' && t.kind !== 'word') return false;
    const next = tokens[i + 1];
    const prev = tokens[i - 1];
    if (next?.kind === 'punct' && (next.value === '(' || next.value === '.')) return false;
    if (prev?.kind === 'op' && prev.value === '::') return false;
    if (prev?.kind === 'punct' && prev.value === '.') return false;
    return true;
  });
}

function namesColumn(token: Token, column: string): boolean {
  // An unquoted name is case-insensitive (PostgreSQL folds it, SQLite ignores case).
  return token.kind === 'ident' ? token.value === column : token.value.toLowerCase() === column.toLowerCase();
}

/** Whether `expression` refers to the column `column`. Text that does not lex counts as referring to it. */
export function mentionsColumn(expression: string, column: string): boolean {
  const tokens = tokenize(expression);
  if (!tokens) return true;
  return columnTokens(tokens).some((t) => namesColumn(t, column));
}

/** Whether an index keys on, or filters by, the column `column` (so it cannot outlive the column). */
export function indexUsesColumn(index: { columns: Array<{ name: string; expression?: boolean }>; where?: string }, column: string): boolean {
  return index.columns.some((c) => (c.expression ? mentionsColumn(c.name, column) : c.name === column)) || (!!index.where && mentionsColumn(index.where, column));
}

/** `expression` with every reference to column `from` replaced by `to` (quoted where it needs quotes). */
export function renameColumnIn(expression: string, from: string, to: string): string {
  const tokens = tokenize(expression);
  if (!tokens) return expression;
  let out = '';
  let at = 0;
  for (const t of columnTokens(tokens)) {
    if (!namesColumn(t, from)) continue;
    // A bare name stays bare where the new one needs no quotes (so renaming back gives the text back).
    const name = t.kind === 'word' && /^[a-z_][a-z0-9_$]*$/.test(to) ? to : `"${to.replace(/"/g, '""')}"`;
    out += `${expression.slice(at, t.start)}${name}`;
    at = t.end;
  }
  return out + expression.slice(at);
}

// ---------------------------------------------------------------------------
// Canonical form

const COMPARISON = new Set(['=', '<>', '!=', '<', '>', '<=', '>=', '~', '~*', '!~', '!~*', '~~', '!~~', '~~*', '!~~*', '@>', '<@', '&&', '?', '?|', '?&', '@@']);
const MULTIPLICATIVE = new Set(['*', '/', '%']);
/** Words that may continue a type name after `::` (`double precision`, `timestamp without time zone`). */
const TYPE_WORDS = new Set(['precision', 'varying', 'without', 'with', 'time', 'zone']);

class ParseError extends Error {}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): string {
    const out = this.or();
    if (this.i < this.tokens.length) throw new ParseError('trailing tokens');
    return out;
  }

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.i + offset];
  }

  private isWord(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t?.kind === 'word' && t.value.toLowerCase() === word;
  }

  private isPunct(p: string): boolean {
    const t = this.peek();
    return t?.kind === 'punct' && t.value === p;
  }

  private isOp(ops: Set<string>): boolean {
    const t = this.peek();
    return t?.kind === 'op' && ops.has(t.value);
  }

  private take(): Token {
    const t = this.tokens[this.i++];
    if (!t) throw new ParseError('unexpected end');
    return t;
  }

  private expect(p: string): void {
    if (!this.isPunct(p)) throw new ParseError(`expected ${p}`);
    this.i++;
  }

  /** AND / OR chains are flattened: `a AND b AND c` is one node however it is grouped. */
  private chain(op: 'and' | 'or', next: () => string): string {
    const parts = [next()];
    while (this.isWord(op)) {
      this.i++;
      parts.push(next());
    }
    if (parts.length === 1) return parts[0]!;
    const flat = parts.flatMap((p) => (p.startsWith(`(${op} `) ? splitChain(p, op) : [p]));
    return `(${op} ${flat.join(' ')})`;
  }

  private or(): string {
    return this.chain('or', () => this.and());
  }

  private and(): string {
    return this.chain('and', () => this.not());
  }

  private not(): string {
    if (this.isWord('not')) {
      this.i++;
      return `(not ${this.not()})`;
    }
    return this.comparison();
  }

  private comparison(): string {
    let left = this.additive();
    for (;;) {
      if (this.isOp(COMPARISON)) {
        const op = this.take().value;
        left = `(${op === '!=' ? '<>' : op} ${left} ${this.additive()})`;
      } else if (this.isWord('is')) {
        this.i++;
        let negated = false;
        if (this.isWord('not')) {
          this.i++;
          negated = true;
        }
        if (this.isWord('distinct')) {
          this.i++;
          if (!this.isWord('from')) throw new ParseError('expected FROM');
          this.i++;
          left = `(${negated ? 'is-not-distinct' : 'is-distinct'} ${left} ${this.additive()})`;
        } else {
          const what = this.take();
          if (what.kind !== 'word') throw new ParseError('expected NULL, TRUE, FALSE or UNKNOWN');
          left = `(${negated ? 'is-not' : 'is'} ${left} ${what.value.toLowerCase()})`;
        }
      } else if (this.isWord('isnull') || this.isWord('notnull')) {
        left = `(${this.take().value.toLowerCase() === 'isnull' ? 'is' : 'is-not'} ${left} null)`;
      } else if (this.isWord('like') || this.isWord('ilike') || this.isWord('in') || this.isWord('between') || (this.isWord('not') && /^(like|ilike|in|between)$/i.test(this.peek(1)?.value ?? ''))) {
        let negated = false;
        if (this.isWord('not')) {
          this.i++;
          negated = true;
        }
        const op = this.take().value.toLowerCase();
        let node: string;
        if (op === 'in') {
          this.expect('(');
          node = `(in ${left} ${this.list(')').join(' ')})`;
        } else if (op === 'between') {
          const low = this.additive();
          if (!this.isWord('and')) throw new ParseError('expected AND');
          this.i++;
          node = `(between ${left} ${low} ${this.additive()})`;
        } else {
          node = `(${op} ${left} ${this.additive()})`;
          if (this.isWord('escape')) {
            this.i++;
            node = `(escape ${node} ${this.additive()})`;
          }
        }
        left = negated ? `(not ${node})` : node;
      } else {
        return left;
      }
    }
  }

  private additive(): string {
    let left = this.multiplicative();
    while (this.peek()?.kind === 'op' && !COMPARISON.has(this.peek()!.value) && !MULTIPLICATIVE.has(this.peek()!.value) && this.peek()!.value !== '::') {
      const op = this.take().value;
      left = `(${op} ${left} ${this.multiplicative()})`;
    }
    return left;
  }

  private multiplicative(): string {
    let left = this.unary();
    while (this.isOp(MULTIPLICATIVE)) {
      const op = this.take().value;
      left = `(${op} ${left} ${this.unary()})`;
    }
    return left;
  }

  private unary(): string {
    const t = this.peek();
    if (t?.kind === 'op' && (t.value === '-' || t.value === '+')) {
      this.i++;
      const operand = this.unary();
      return t.value === '-' ? (/^[0-9.]/.test(operand) ? `-${operand}` : `(neg ${operand})`) : operand;
    }
    return this.postfix();
  }

  private postfix(): string {
    let node = this.primary();
    for (;;) {
      if (this.isOp(new Set(['::']))) {
        // Casts do not count: PostgreSQL adds them to literals when it stores a predicate.
        this.i++;
        this.typeName();
      } else if (this.isPunct('[')) {
        this.i++;
        const index = this.or();
        this.expect(']');
        node = `(subscript ${node} ${index})`;
      } else if (this.isWord('collate')) {
        this.i++;
        node = `(collate ${node} ${this.name()})`;
      } else {
        return node;
      }
    }
  }

  private typeName(): void {
    this.name();
    while (this.isPunct('.')) {
      this.i++;
      this.name();
    }
    while (this.peek()?.kind === 'word' && TYPE_WORDS.has(this.peek()!.value.toLowerCase())) this.i++;
    if (this.isPunct('(')) {
      this.i++;
      this.list(')');
    }
    while (this.isPunct('[') && this.peek(1)?.kind === 'punct' && this.peek(1)!.value === ']') this.i += 2;
  }

  private name(): string {
    const t = this.take();
    if (t.kind === 'ident') return canonicalIdentifier(t.value);
    if (t.kind === 'word') return t.value.toLowerCase();
    throw new ParseError('expected a name');
  }

  /** Comma-separated expressions up to `close` (consumed). */
  private list(close: string): string[] {
    const items: string[] = [];
    if (this.isPunct(close)) {
      this.i++;
      return items;
    }
    for (;;) {
      items.push(this.or());
      if (this.isPunct(',')) {
        this.i++;
        continue;
      }
      this.expect(close);
      return items;
    }
  }

  private primary(): string {
    const t = this.take();
    switch (t.kind) {
      case 'num':
        return t.value;
      case 'str':
        return `'${t.value.replace(/'/g, "''")}'`;
      case 'ident':
      case 'word': {
        if (t.kind === 'word' && t.value.toLowerCase() === 'array' && this.isPunct('[')) {
          this.i++;
          return `(array ${this.list(']').join(' ')})`;
        }
        let name = t.kind === 'ident' ? canonicalIdentifier(t.value) : t.value.toLowerCase();
        while (this.isPunct('.')) {
          this.i++;
          name += `.${this.name()}`;
        }
        if (this.isPunct('(')) {
          this.i++;
          return `${name}(${this.list(')').join(' ')})`;
        }
        // A typed literal such as `timestamp '2020-01-01'` is its literal.
        if (t.kind === 'word' && this.peek()?.kind === 'str') return this.primary();
        return name;
      }
      case 'punct':
        if (t.value === '(') {
          const items = this.list(')');
          if (items.length === 0) throw new ParseError('empty parentheses');
          return items.length === 1 ? items[0]! : `(row ${items.join(' ')})`;
        }
        throw new ParseError(`unexpected ${t.value}`);
      case 'op':
        throw new ParseError(`unexpected ${t.value}`);
    }
  }
}

/** The operands of a flattened `(op a b c)` node. */
function splitChain(node: string, op: string): string[] {
  return splitTopLevel(node.slice(op.length + 2, -1), ' ');
}

/** A quoted identifier that needs no quotes is written bare (as an unquoted, folded name would be). */
function canonicalIdentifier(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/**
 * One spelling for every way of writing the same predicate (see the module
 * comment). Text that cannot be parsed is compared as written, whitespace
 * collapsed.
 */
export function canonicalPredicate(predicate: string): string {
  const tokens = tokenize(predicate.trim().replace(/;\s*$/, ''));
  if (tokens && tokens.length > 0) {
    try {
      return new Parser(tokens).parse();
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
    }
  }
  return predicate.replace(/\s+/g, ' ').trim();
}
