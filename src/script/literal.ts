/**
 * Reads one TypeScript literal out of a revision file's text without running
 * it: what `export const x = ...` holds in the header (`revision`,
 * `downRevision`, ...) and in the `prismaNames` map. Objects, arrays,
 * strings (`'`, `"`, plain backticks), numbers, `true`/`false`/`null`
 * (`undefined` reads as null), comments, trailing commas, and a type-only
 * tail (`as const`, `satisfies T`).
 */

export type LiteralValue = string | number | boolean | null | LiteralValue[] | { [key: string]: LiteralValue };

/** The text is not a literal this reader understands; `kind` says where it stopped. */
export class LiteralSyntaxError extends Error {
  constructor(
    message: string,
    readonly kind: 'string' | 'array' | 'object' | 'value',
    /** Up to 30 characters of the source where reading stopped. */
    readonly found: string,
  ) {
    super(message);
  }
}

export function readLiteral(src: string, pos: number): { value: LiteralValue; end: number } {
  const reader = new LiteralReader(src, pos);
  const value = reader.value();
  return { value, end: reader.afterTypeTail() };
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '0': '\0' };

class LiteralReader {
  constructor(
    private readonly src: string,
    private pos: number,
  ) {}

  value(): LiteralValue {
    this.skipTrivia();
    const ch = this.src[this.pos];
    if (ch === '{') return this.object();
    if (ch === '[') return this.array();
    if (ch === "'" || ch === '"' || ch === '`') return this.string(ch);
    const word = /^(?:true|false|null|undefined|-?\d+(?:\.\d+)?)(?![\w$])/.exec(this.src.slice(this.pos, this.pos + 40));
    if (!word) throw this.error('not a literal', 'value');
    this.pos += word[0].length;
    switch (word[0]) {
      case 'true':
        return true;
      case 'false':
        return false;
      case 'null':
      case 'undefined':
        return null;
      default:
        return Number(word[0]);
    }
  }

  /** Skips `as const` / `as string[]` / `satisfies ...` after the value; returns where the statement goes on. */
  afterTypeTail(): number {
    this.skipTrivia();
    const tail = /^(?:as|satisfies)\s+[\w\s[\]|<>.,]*?(?=;|\n|$)/.exec(this.src.slice(this.pos, this.pos + 200));
    if (tail) this.pos += tail[0].length;
    return this.pos;
  }

  private object(): LiteralValue {
    this.pos++; // {
    const out: { [key: string]: LiteralValue } = {};
    for (;;) {
      this.skipTrivia();
      const ch = this.src[this.pos];
      if (ch === '}') {
        this.pos++;
        return out;
      }
      let key: string;
      if (ch === "'" || ch === '"') key = this.string(ch);
      else {
        const id = /^[A-Za-z_$][\w$]*/.exec(this.src.slice(this.pos, this.pos + 200));
        if (!id) throw this.error('expected a key', 'object');
        key = id[0];
        this.pos += key.length;
      }
      this.skipTrivia();
      if (this.src[this.pos] !== ':') throw this.error('expected :', 'object');
      this.pos++;
      out[key] = this.value();
      this.separator('}', 'object');
    }
  }

  private array(): LiteralValue[] {
    this.pos++; // [
    const out: LiteralValue[] = [];
    for (;;) {
      this.skipTrivia();
      if (this.src[this.pos] === ']') {
        this.pos++;
        return out;
      }
      if (this.pos >= this.src.length) throw this.error('unterminated array', 'array');
      out.push(this.value());
      this.separator(']', 'array');
    }
  }

  private separator(close: string, kind: 'array' | 'object'): void {
    this.skipTrivia();
    if (this.src[this.pos] === ',') this.pos++;
    else if (this.src[this.pos] !== close) throw this.error(`expected , or ${close}`, kind);
  }

  private string(quote: string): string {
    let out = '';
    let i = this.pos + 1;
    while (i < this.src.length) {
      const c = this.src[i]!;
      if (c === quote) {
        this.pos = i + 1;
        return out;
      }
      if (c === '\\') {
        const next = this.src[i + 1] ?? '';
        if (next === 'x' || next === 'u') {
          const hex = this.src.slice(i + 2, i + (next === 'x' ? 4 : 6));
          out += String.fromCharCode(parseInt(hex, 16));
          i += 2 + hex.length;
        } else {
          out += ESCAPES[next] ?? next;
          i += 2;
        }
        continue;
      }
      if (c === '\n' && quote !== '`') break;
      // A template with an expression is code, not a literal.
      if (quote === '`' && c === '$' && this.src[i + 1] === '{') break;
      out += c;
      i++;
    }
    throw this.error('unterminated or non-literal string', 'string');
  }

  private skipTrivia(): void {
    for (;;) {
      while (this.pos < this.src.length && /\s/.test(this.src[this.pos]!)) this.pos++;
      if (this.src.startsWith('//', this.pos)) {
        const nl = this.src.indexOf('\n', this.pos);
        this.pos = nl < 0 ? this.src.length : nl;
      } else if (this.src.startsWith('/*', this.pos)) {
        const end = this.src.indexOf('*/', this.pos + 2);
        this.pos = end < 0 ? this.src.length : end + 2;
      } else return;
    }
  }

  private error(message: string, kind: LiteralSyntaxError['kind']): LiteralSyntaxError {
    return new LiteralSyntaxError(message, kind, this.src.slice(this.pos, this.pos + 30).split('\n')[0]!);
  }
}
