/**
 * The PostgreSQL type map without a database: Prisma's mapping, canonical
 * type spelling, and default normalisation of what pg_get_expr returns
 * (spellings taken from test/fixtures/prisma-reference/NOTES.md).
 */
import { describe, expect, it } from 'vitest';
import { postgresTypeMap as map } from '../src/dialect/postgres/type-map.ts';
import type { PrismaFieldType } from '../src/dialect/types.ts';

const scalar = (type: string, nativeType?: [string, string[]], isList = false): PrismaFieldType => ({
  type,
  kind: 'scalar',
  isList,
  ...(nativeType ? { nativeType: { name: nativeType[0], args: nativeType[1] } } : {}),
});

describe('sqlType', () => {
  it('maps Prisma scalars like Prisma Migrate', () => {
    expect(
      ['String', 'Int', 'BigInt', 'Float', 'Decimal', 'DateTime', 'Boolean', 'Json', 'Bytes'].map((t) => map.sqlType(scalar(t))),
    ).toEqual(['TEXT', 'INTEGER', 'BIGINT', 'DOUBLE PRECISION', 'DECIMAL(65,30)', 'TIMESTAMP(3)', 'BOOLEAN', 'JSONB', 'BYTEA']);
  });

  it('maps every @db native type', () => {
    const cases: Array<[string, string[], string]> = [
      ['VarChar', ['255'], 'VARCHAR(255)'],
      ['VarChar', [], 'VARCHAR'],
      ['Char', ['10'], 'CHAR(10)'],
      ['Char', [], 'CHAR(1)'],
      ['Text', [], 'TEXT'],
      ['Uuid', [], 'UUID'],
      ['Xml', [], 'XML'],
      ['Inet', [], 'INET'],
      ['Citext', [], 'CITEXT'],
      ['Bit', ['8'], 'BIT(8)'],
      ['VarBit', ['16'], 'VARBIT(16)'],
      ['VarBit', [], 'VARBIT'],
      ['SmallInt', [], 'SMALLINT'],
      ['Integer', [], 'INTEGER'],
      ['BigInt', [], 'BIGINT'],
      ['Oid', [], 'OID'],
      ['Real', [], 'REAL'],
      ['DoublePrecision', [], 'DOUBLE PRECISION'],
      ['Decimal', ['12', '4'], 'DECIMAL(12,4)'],
      ['Decimal', [], 'DECIMAL'],
      ['Money', [], 'MONEY'],
      ['Timestamp', ['6'], 'TIMESTAMP(6)'],
      ['Timestamptz', ['3'], 'TIMESTAMPTZ(3)'],
      ['Date', [], 'DATE'],
      ['Time', ['6'], 'TIME(6)'],
      ['Timetz', ['6'], 'TIMETZ(6)'],
      ['Boolean', [], 'BOOLEAN'],
      ['Json', [], 'JSON'],
      ['JsonB', [], 'JSONB'],
      ['ByteA', [], 'BYTEA'],
    ];
    for (const [name, args, expected] of cases) expect(map.sqlType(scalar('String', [name, args])), name).toBe(expected);
  });

  it('uses the enum type name, and the element type for lists', () => {
    expect(map.sqlType({ type: 'Status', kind: 'enum', isList: false }, 'status_enum')).toBe('status_enum');
    expect(map.sqlType({ type: 'Status', kind: 'enum', isList: true })).toBe('Status');
    expect(map.sqlType(scalar('String', ['VarChar', ['20']], true))).toBe('VARCHAR(20)');
  });
});

describe('normalizeType', () => {
  it('turns format_type output and aliases into Prisma spelling', () => {
    const cases: Array<[string, string]> = [
      ['character varying(10)', 'VARCHAR(10)'],
      ['character varying', 'VARCHAR'],
      ['character(1)', 'CHAR(1)'],
      ['CHAR', 'CHAR(1)'],
      ['bpchar', 'CHAR(1)'],
      ['timestamp(3) without time zone', 'TIMESTAMP(3)'],
      ['timestamp without time zone', 'TIMESTAMP'],
      ['timestamp(6) with time zone', 'TIMESTAMPTZ(6)'],
      ['time(6) with time zone', 'TIMETZ(6)'],
      ['time without time zone', 'TIME'],
      ['numeric(65,30)', 'DECIMAL(65,30)'],
      ['numeric(12, 4)', 'DECIMAL(12,4)'],
      ['numeric', 'DECIMAL'],
      ['int4', 'INTEGER'],
      ['int8', 'BIGINT'],
      ['int2', 'SMALLINT'],
      ['serial', 'INTEGER'],
      ['float8', 'DOUBLE PRECISION'],
      ['double precision', 'DOUBLE PRECISION'],
      ['float4', 'REAL'],
      ['bool', 'BOOLEAN'],
      ['bit varying(16)', 'VARBIT(16)'],
      ['bit', 'BIT(1)'],
      ['jsonb', 'JSONB'],
      ['text[]', 'TEXT[]'],
      ['tsvector', 'TSVECTOR'],
      ['"Status"', '"Status"'],
      ['DECIMAL(65,30)', 'DECIMAL(65,30)'],
    ];
    for (const [input, expected] of cases) expect(map.normalizeType(input), input).toBe(expected);
  });
});

describe('normalizeDefault', () => {
  const d = (expr: string, type = 'TEXT') => map.normalizeDefault(expr, { type });
  it('strips the casts PostgreSQL adds', () => {
    expect(d("'hello'::text")).toBe("'hello'");
    expect(d(`'it''s "q"'::text`)).toBe(`'it''s "q"'`);
    expect(d("'abc'::character varying", 'VARCHAR(5)')).toBe("'abc'");
    expect(d("'published'::status_enum", 'status_enum')).toBe("'published'");
    expect(d(`'USER'::base."Role"`, 'Role')).toBe("'USER'");
    expect(d("'2020-01-02 03:04:05'::timestamp without time zone", 'TIMESTAMP(3)')).toBe("'2020-01-02 03:04:05'");
    expect(d("'\\x010203'::bytea", 'BYTEA')).toBe("'\\x010203'");
  });
  it('normalises numbers, booleans and time functions', () => {
    expect(d("'-7'::integer", 'INTEGER')).toBe('-7');
    expect(d("'9007199254740993'::bigint", 'BIGINT')).toBe('9007199254740993');
    expect(d('12.50', 'DECIMAL(65,30)')).toBe('12.5');
    expect(d('3.14', 'DOUBLE PRECISION')).toBe('3.14');
    expect(d('(1.5)::double precision', 'DOUBLE PRECISION')).toBe('1.5');
    expect(d('TRUE', 'BOOLEAN')).toBe('true');
    expect(d('now()', 'TIMESTAMP(3)')).toBe('CURRENT_TIMESTAMP');
    expect(d('CURRENT_TIMESTAMP', 'TIMESTAMP(3)')).toBe('CURRENT_TIMESTAMP');
    expect(d('gen_random_uuid()', 'UUID')).toBe('gen_random_uuid()');
    expect(d('(1 + 2)', 'INTEGER')).toBe('(1 + 2)');
    expect(d('NULL::character varying', 'VARCHAR')).toBe('NULL');
  });
  it('writes JSONB the way jsonb prints it', () => {
    expect(d(`'{"b":1,"a":[1,2]}'::jsonb`, 'JSONB')).toBe(`'{"a": [1, 2], "b": 1}'`);
    expect(d(`'{"a": 1}'::jsonb`, 'JSONB')).toBe(`'{"a": 1}'`);
    // JSON (not JSONB) keeps its text.
    expect(d(`'{"b":1}'::json`, 'JSON')).toBe(`'{"b":1}'`);
  });
  it('normalises array defaults from either side', () => {
    expect(d("ARRAY['a'::text, 'b'::text]")).toBe("ARRAY['a', 'b']");
    expect(d("ARRAY['a', 'b']::TEXT[]")).toBe("ARRAY['a', 'b']");
    expect(d('ARRAY[]::text[]')).toBe('ARRAY[]');
    expect(d("ARRAY['DRAFT'::status_enum, 'published'::status_enum]", 'status_enum')).toBe("ARRAY['DRAFT', 'published']");
    expect(d('ARRAY[(1.5)::double precision]', 'DOUBLE PRECISION')).toBe('ARRAY[1.5]');
    expect(d("'{a,\"b c\",\"it''s\"}'::text[]")).toBe("ARRAY['a', 'b c', 'it''s']");
    expect(d("'{1,2}'::integer[]", 'INTEGER')).toBe('ARRAY[1, 2]');
    expect(d("'{}'::text[]")).toBe('ARRAY[]');
  });
});

describe('sqlDefault', () => {
  it('follows Prisma for each kind of @default', () => {
    expect(map.sqlDefault('hello', scalar('String'))).toBe("'hello'");
    expect(map.sqlDefault(`it's`, scalar('String'))).toBe("'it''s'");
    expect(map.sqlDefault(-7, scalar('Int'))).toBe('-7');
    expect(map.sqlDefault('9007199254740993', scalar('BigInt'))).toBe('9007199254740993');
    expect(map.sqlDefault(12.5, scalar('Decimal'))).toBe('12.5');
    expect(map.sqlDefault(true, scalar('Boolean'))).toBe('true');
    expect(map.sqlDefault({ name: 'now', args: [] }, scalar('DateTime'))).toBe('CURRENT_TIMESTAMP');
    expect(map.sqlDefault('2020-01-02T03:04:05Z', scalar('DateTime'))).toBe("'2020-01-02 03:04:05'");
    expect(map.sqlDefault('2020-01-02T03:04:05.120Z', scalar('DateTime'))).toBe("'2020-01-02 03:04:05.12'");
    expect(map.sqlDefault('2020-01-02T03:04:05Z', scalar('DateTime', ['Timestamptz', ['6']]))).toBe("'2020-01-02 03:04:05+00'");
    expect(map.sqlDefault('2020-01-02T00:00:00Z', scalar('DateTime', ['Date', []]))).toBe("'2020-01-02'");
    expect(map.sqlDefault('{"b":1,"a":2}', scalar('Json'))).toBe(`'{"a": 2, "b": 1}'`);
    expect(map.sqlDefault('AQID', scalar('Bytes'))).toBe("'\\x010203'");
    expect(map.sqlDefault('published', { type: 'Status', kind: 'enum', isList: false }, 'status_enum')).toBe("'published'");
    expect(map.sqlDefault(['a', 'b'], scalar('String', undefined, true))).toBe("ARRAY['a', 'b']");
    expect(map.sqlDefault([], scalar('String', undefined, true))).toBe('ARRAY[]');
    expect(map.sqlDefault({ name: 'dbgenerated', args: ['gen_random_uuid()'] }, scalar('String', ['Uuid', []]))).toBe('gen_random_uuid()');
  });
  it('has no database default for client-side and sequence defaults', () => {
    for (const name of ['autoincrement', 'uuid', 'cuid', 'nanoid', 'ulid']) {
      expect(map.sqlDefault({ name, args: [] }, scalar('String')), name).toBeUndefined();
    }
    expect(map.sqlDefault({ name: 'dbgenerated', args: [] }, scalar('String'))).toBeUndefined();
  });
});
