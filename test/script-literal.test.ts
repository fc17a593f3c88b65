import { describe, expect, it } from 'vitest';
import { LiteralSyntaxError, readLiteral } from '../src/script/literal.js';

describe('readLiteral (revision headers and prismaNames, read without running the file)', () => {
  it('reads objects, arrays, strings with escapes, numbers, booleans and null, and skips comments and type tails', () => {
    const src = `export const x = {
      // a comment
      Post: { table: 'posts', 'odd key': "it's", n: -1.5, ok: true, none: undefined, list: ['a', \`b\`,], },
      /* block */ esc: 'line\\nnext\\x41\\u0042',
    } as const;
    rest`;
    const { value, end } = readLiteral(src, src.indexOf('=') + 1);
    expect(value).toEqual({
      Post: { table: 'posts', 'odd key': "it's", n: -1.5, ok: true, none: null, list: ['a', 'b'] },
      esc: 'line\nnextAB',
    });
    expect(src.slice(end).trimStart().startsWith(';')).toBe(true);
  });

  it('refuses code, naming what kind of literal it stopped in', () => {
    const kind = (src: string) => {
      try {
        readLiteral(src, 0);
      } catch (err) {
        return err instanceof LiteralSyntaxError ? err.kind : 'other';
      }
      return 'parsed';
    };
    expect(kind('`x${y}`')).toBe('string');
    expect(kind("'unterminated")).toBe('string');
    expect(kind('[1, 2')).toBe('array');
    expect(kind('{ a 1 }')).toBe('object');
    expect(kind('someIdentifier')).toBe('value');
    expect(kind("['ok']")).toBe('parsed');
  });
});
