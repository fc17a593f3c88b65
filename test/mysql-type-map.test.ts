/**
 * The MySQL type map and URL parser, without a server: what information_schema
 * shows on MySQL 8 and MariaDB normalises to Prisma's DDL spelling, and
 * Prisma's `mysql://` URL options are read (or ignored) as Prisma reads them.
 */
import { describe, expect, it } from 'vitest';
import { parseMysqlUrl } from '../src/dialect/mysql/url.ts';
import { enumValuesOf, normalizeDefault, normalizeType, sqlDefault, sqlType } from '../src/dialect/mysql/type-map.ts';
import { ReviseError } from '../src/errors.ts';

const scalar = (type: string, nativeType?: [string, string[]]) => ({
  type,
  kind: 'scalar' as const,
  isList: false,
  ...(nativeType ? { nativeType: { name: nativeType[0], args: nativeType[1] } } : {}),
});

describe('MySQL type map', () => {
  it("Prisma's scalar types", () => {
    expect(['String', 'Int', 'BigInt', 'Float', 'Decimal', 'DateTime', 'Boolean', 'Json', 'Bytes'].map((t) => sqlType(scalar(t)))).toEqual([
      'VARCHAR(191)', 'INTEGER', 'BIGINT', 'DOUBLE', 'DECIMAL(65,30)', 'DATETIME(3)', 'BOOLEAN', 'JSON', 'LONGBLOB',
    ]);
  });
  it('every @db.* native type', () => {
    const cases: Array<[string, string[], string]> = [
      ['VarChar', ['255'], 'VARCHAR(255)'], ['Char', ['36'], 'CHAR(36)'], ['Text', [], 'TEXT'], ['TinyText', [], 'TINYTEXT'],
      ['MediumText', [], 'MEDIUMTEXT'], ['LongText', [], 'LONGTEXT'], ['Bit', ['1'], 'BIT(1)'], ['TinyInt', [], 'TINYINT'],
      ['UnsignedTinyInt', [], 'TINYINT UNSIGNED'], ['SmallInt', [], 'SMALLINT'], ['UnsignedSmallInt', [], 'SMALLINT UNSIGNED'],
      ['MediumInt', [], 'MEDIUMINT'], ['UnsignedMediumInt', [], 'MEDIUMINT UNSIGNED'], ['Int', [], 'INTEGER'],
      ['UnsignedInt', [], 'INTEGER UNSIGNED'], ['BigInt', [], 'BIGINT'], ['UnsignedBigInt', [], 'BIGINT UNSIGNED'], ['Year', [], 'YEAR'],
      ['Decimal', ['10', '2'], 'DECIMAL(10,2)'], ['Float', [], 'FLOAT'], ['Double', [], 'DOUBLE'], ['Date', [], 'DATE'],
      ['Time', ['3'], 'TIME(3)'], ['DateTime', ['0'], 'DATETIME'], ['Timestamp', ['6'], 'TIMESTAMP(6)'], ['Json', [], 'JSON'],
      ['Binary', ['16'], 'BINARY(16)'], ['VarBinary', ['255'], 'VARBINARY(255)'], ['TinyBlob', [], 'TINYBLOB'], ['Blob', [], 'BLOB'],
      ['MediumBlob', [], 'MEDIUMBLOB'], ['LongBlob', [], 'LONGBLOB'],
    ];
    for (const [name, args, sql] of cases) expect(sqlType(scalar('String', [name, args])), name).toBe(sql);
  });
  it('introspected spellings (MySQL 8, MariaDB) normalise to the same', () => {
    const same: Array<[string, string]> = [
      ['int(11)', 'INTEGER'], ['int', 'INTEGER'], ['int(10) unsigned', 'INTEGER UNSIGNED'], ['tinyint(1)', 'BOOLEAN'],
      ['tinyint(4)', 'TINYINT'], ['bigint(20)', 'BIGINT'], ['smallint(6)', 'SMALLINT'], ['decimal(65,30)', 'DECIMAL(65,30)'],
      ['decimal', 'DECIMAL(10,0)'], ['datetime(3)', 'DATETIME(3)'], ['timestamp', 'TIMESTAMP'], ['char', 'CHAR(1)'],
      ["enum('A','B')", "ENUM('A','B')"], ["ENUM('A', 'B')", "ENUM('A','B')"], ['double', 'DOUBLE'], ['varchar(191)', 'VARCHAR(191)'],
    ];
    for (const [raw, canonical] of same) expect(normalizeType(raw), raw).toBe(canonical);
    expect(enumValuesOf("enum('it''s','a,b')")).toEqual(["it's", 'a,b']);
  });
  it('enums carry their values in the type', () => {
    expect(sqlType({ type: 'Role', kind: 'enum', isList: false, enumValues: ['USER', 'ADMIN'] }, 'Role')).toBe("ENUM('USER','ADMIN')");
    expect(sqlDefault('USER', { type: 'Role', kind: 'enum', isList: false }, 'Role')).toBe("'USER'");
  });
  it("defaults as Prisma writes them equal what MySQL and MariaDB report", () => {
    expect(sqlDefault({ name: 'now', args: [] }, scalar('DateTime'))).toBe('CURRENT_TIMESTAMP(3)');
    expect(normalizeDefault('current_timestamp(3)', { type: 'datetime(3)' })).toBe('CURRENT_TIMESTAMP(3)');
    expect(sqlDefault({ name: 'now', args: [] }, scalar('DateTime', ['Timestamp', ['0']]))).toBe('CURRENT_TIMESTAMP');
    expect(normalizeDefault('current_timestamp()', { type: 'timestamp' })).toBe('CURRENT_TIMESTAMP');
    expect(sqlDefault(true, scalar('Boolean'))).toBe('true');
    expect(normalizeDefault('1', { type: 'tinyint(1)' })).toBe('true');
    expect(sqlDefault(0, scalar('Decimal'))).toBe('0');
    expect(normalizeDefault('0.000000000000000000000000000000', { type: 'decimal(65,30)' })).toBe('0');
    expect(sqlDefault("it's", scalar('String'))).toBe("'it''s'");
    expect(normalizeDefault("'it''s'", { type: 'varchar(191)' })).toBe("'it''s'");
    expect(sqlDefault('2020-01-02T03:04:05.000Z', scalar('DateTime'))).toBe("'2020-01-02 03:04:05.000'");
    expect(sqlDefault({ name: 'dbgenerated', args: ['(uuid())'] }, scalar('String'))).toBe('uuid()');
    expect(sqlDefault({ name: 'uuid', args: [] }, scalar('String'))).toBeUndefined();
  });
});

describe('mysql:// URLs', () => {
  it("reads Prisma's form and ignores its pool settings", () => {
    const t = parseMysqlUrl('mysql://app:s%40cret@db.example:3307/shop?connection_limit=5&pool_timeout=10&socket_timeout=3&sslaccept=strict');
    expect(t).toMatchObject({ host: 'db.example', port: 3307, user: 'app', password: 's@cret', database: 'shop', address: 'db.example:3307' });
    expect(t.ssl).toEqual({ prefer: true, rejectUnauthorized: true });
    expect(t.masked).not.toContain('s%40cret');
    expect(parseMysqlUrl('mysql://root@localhost/db?sslmode=disable').ssl).toBeUndefined();
    expect(parseMysqlUrl('mysql://root@localhost/db?sslmode=require&sslaccept=accept_invalid_certs').ssl).toEqual({ rejectUnauthorized: false });
    expect(parseMysqlUrl('mysql://localhost/db?socket=/run/mysqld/mysqld.sock')).toMatchObject({ user: 'root', socketPath: '/run/mysqld/mysqld.sock' });
  });
  it('refuses a URL without a database, the password masked', () => {
    expect(() => parseMysqlUrl('mysql://root:hunter2@localhost:3306')).toThrow(ReviseError);
    expect(() => parseMysqlUrl('mysql://root:hunter2@localhost:3306')).toThrow(/\*\*\*\*/);
    expect(() => parseMysqlUrl('mysql://root:hunter2@localhost:3306')).not.toThrow(/hunter2/);
  });
});
