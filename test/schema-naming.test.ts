import { describe, expect, test } from 'vitest';
import {
  foreignKeyName,
  indexName,
  joinTableNames,
  maxIdentifierLength,
  primaryKeyName,
  truncateBytes,
  uniqueIndexName,
} from '../src/schema/naming.js';

const LONG = 'ThisIsAVeryLongModelNameThatKeepsGoingAndGoingForeverAndEver';

describe('Prisma default constraint names', () => {
  test('short names are table, columns and suffix', () => {
    expect(primaryKeyName('User', 'postgresql')).toBe('User_pkey');
    expect(uniqueIndexName('accounts', ['firstName', 'lastName'], 'postgresql')).toBe('accounts_firstName_lastName_key');
    expect(indexName('accounts', ['tenantId', 'createdAt'], 'sqlite')).toBe('accounts_tenantId_createdAt_idx');
    expect(foreignKeyName('Grant', ['accountId', 'groupId'], 'postgresql')).toBe('Grant_accountId_groupId_fkey');
  });

  test('PostgreSQL: cut at 63 bytes, suffix kept (names from Prisma 7.10 reference SQL)', () => {
    expect(primaryKeyName(LONG, 'postgresql')).toBe('ThisIsAVeryLongModelNameThatKeepsGoingAndGoingForeverAndEv_pkey');
    expect(indexName(LONG, ['secondExtremelyLongColumnNameThatIsUsedForIndexes'], 'postgresql')).toBe(
      'ThisIsAVeryLongModelNameThatKeepsGoingAndGoingForeverAndEve_idx',
    );
    expect(foreignKeyName(LONG, ['parentReferenceWithAnExtremelyLongForeignKeyColumn'], 'postgresql')).toBe(
      'ThisIsAVeryLongModelNameThatKeepsGoingAndGoingForeverAndEv_fkey',
    );
    for (const name of [primaryKeyName(LONG, 'postgresql'), uniqueIndexName(LONG, ['a', 'b'], 'postgresql')]) {
      expect(name.length).toBe(63);
    }
  });

  test('a name of exactly 63 bytes is kept whole; 64 is cut', () => {
    const body59 = 'T'.repeat(57) + '_c'; // 59 + '_idx' = 63
    expect(indexName('T'.repeat(57), ['c'], 'postgresql')).toBe(`${body59}_idx`);
    // 60 bytes: cut to 59 right after the separator, which then doubles up with the suffix's own `_`.
    expect(indexName('T'.repeat(58), ['c'], 'postgresql')).toBe(`${'T'.repeat(58)}__idx`);
  });

  test('multi-byte characters are counted in bytes and never split', () => {
    const table = 'ä'.repeat(40); // 80 bytes
    const name = primaryKeyName(table, 'postgresql');
    expect(new TextEncoder().encode(name).length).toBeLessThanOrEqual(63);
    expect(name).toBe(`${'ä'.repeat(29)}_pkey`); // 58 bytes fit, 29 whole characters
    expect(truncateBytes('aä', 2)).toBe('a');
  });

  test('SQLite: Prisma uses a 10000-byte limit, so names are never cut in practice', () => {
    expect(maxIdentifierLength('sqlite')).toBe(10000);
    expect(indexName(LONG, ['secondExtremelyLongColumnNameThatIsUsedForIndexes'], 'sqlite')).toBe(
      `${LONG}_secondExtremelyLongColumnNameThatIsUsedForIndexes_idx`,
    );
  });
});

describe('implicit many-to-many join tables', () => {
  test('PostgreSQL: primary key; SQLite: unique index', () => {
    expect(joinTableNames('PostToTag', 'postgresql')).toEqual({
      table: '_PostToTag',
      uniqueName: '_PostToTag_AB_pkey',
      indexName: '_PostToTag_B_index',
      foreignKeyA: '_PostToTag_A_fkey',
      foreignKeyB: '_PostToTag_B_fkey',
    });
    expect(joinTableNames('PostToTag', 'sqlite').uniqueName).toBe('_PostToTag_AB_unique');
  });

  test('long relation names: table capped at 63, each name cut its own way', () => {
    const names = joinTableNames('X'.repeat(80), 'postgresql');
    expect(names.table).toBe(`_${'X'.repeat(62)}`);
    expect(names.uniqueName).toBe(`_${'X'.repeat(54)}_AB_pkey`);
    expect(names.indexName).toBe(`_${'X'.repeat(54)}_B_index`);
    expect(names.foreignKeyA).toBe(`_${'X'.repeat(55)}_A_fkey`);
    // Prisma cuts the B key at >= 56 bytes, the A key only at > 56.
    const edge = joinTableNames('Y'.repeat(55), 'postgresql');
    expect(edge.foreignKeyA).toBe(`_${'Y'.repeat(55)}_A_fkey`);
    expect(edge.foreignKeyB).toBe(`_${'Y'.repeat(55)}_B_fkey`);
  });
});
