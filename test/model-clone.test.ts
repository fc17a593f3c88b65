/** clonePlain: the deep copy SQLite's rebuilds make of table shapes, in place of structuredClone. */
import { describe, expect, it } from 'vitest';
import { clonePlain } from '../src/model/clone.ts';
import type { TableModel } from '../src/model/types.ts';

describe('clonePlain', () => {
  it('copies a table shape deeply: changing the copy leaves the original as it was', () => {
    const table: TableModel = {
      name: 't',
      columns: [{ name: 'id', type: 'INTEGER', nullable: false }, { name: 'n', type: 'TEXT', nullable: true, default: "'x'" }],
      primaryKey: { columns: ['id'] },
      indexes: [{ name: 't_n_idx', columns: [{ name: 'n' }], unique: false }],
      foreignKeys: [],
    };
    const copy = clonePlain(table);
    expect(copy).toEqual(table);
    copy.columns[1]!.name = 'm';
    copy.indexes[0]!.columns.push({ name: 'id' });
    copy.primaryKey!.columns.pop();
    expect(table.columns[1]!.name).toBe('n');
    expect(table.indexes[0]!.columns).toEqual([{ name: 'n' }]);
    expect(table.primaryKey!.columns).toEqual(['id']);
  });

  it('keeps keys whose value is undefined, bigints and nulls, and copies other objects as structuredClone does', () => {
    const when = new Date(0);
    const copy = clonePlain({ a: undefined, b: 10n, c: null, d: [1, [2]], when });
    expect(Object.keys(copy)).toEqual(['a', 'b', 'c', 'd', 'when']);
    expect(copy).toEqual({ a: undefined, b: 10n, c: null, d: [1, [2]], when });
    expect(copy.when).not.toBe(when);
    expect(copy.when.getTime()).toBe(0);
  });
});
