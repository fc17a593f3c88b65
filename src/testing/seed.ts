import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Connection, Dialect } from '../dialect/types.js';
import { ReviseError } from '../errors.js';
import type { ColumnModel, DatabaseModel, TableModel } from '../model/types.js';
import { qualifiedName } from '../model/types.js';
import { tableSql } from './snapshot.js';

const ROWS_PER_TABLE = 3;

/**
 * Rows for every empty table, made up from its shape: each column a value of
 * its type (distinct per row, so unique keys hold), foreign keys pointing at
 * rows of the referenced table, parents filled before children. A table it
 * cannot fill (a check constraint, a type it does not know) is left empty and
 * named in the result.
 */
export async function seedGeneratedRows(dialect: Dialect, connection: Connection, model: DatabaseModel): Promise<{ seeded: string[]; skipped: string[] }> {
  const seeded: string[] = [];
  const skipped: string[] = [];
  for (const table of parentsFirst(model.tables)) {
    const target = tableSql(dialect, table);
    const [{ n }] = (await connection.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${target}`)) as [{ n: number | string }];
    if (Number(n) > 0) continue;
    try {
      await insertRows(dialect, connection, model, table);
      seeded.push(qualifiedName(table));
    } catch (err) {
      skipped.push(`"${qualifiedName(table)}" (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
    }
  }
  return { seeded, skipped };
}

async function insertRows(dialect: Dialect, connection: Connection, model: DatabaseModel, table: TableModel): Promise<void> {
  // Referenced values for each foreign key, read from the parent table.
  const references = new Map<string, unknown[]>();
  for (const fk of table.foreignKeys) {
    const parent = { ...(fk.referencedSchema ? { schema: fk.referencedSchema } : {}), name: fk.referencedTable };
    const columns = fk.referencedColumns.map((c) => dialect.quoteIdentifier(c)).join(', ');
    const rows = await connection.query<Record<string, unknown>>(`SELECT ${columns} FROM ${tableSql(dialect, parent)}`);
    fk.columns.forEach((column, i) => references.set(column, rows.map((r) => r[fk.referencedColumns[i]!])));
  }
  const columns = table.columns.filter((c) => !c.autoincrement);
  for (let row = 0; row < ROWS_PER_TABLE; row++) {
    const values = columns.map((column) => {
      const parentValues = references.get(column.name);
      if (parentValues) {
        if (parentValues.length === 0) {
          if (column.nullable) return null;
          throw new Error(`its foreign key column "${column.name}" needs rows in the referenced table`);
        }
        return parentValues[row % parentValues.length];
      }
      return valueFor(dialect, model, column, row);
    });
    const placeholders = values.map((_, i) => dialect.bindMarker(i + 1));
    const sql =
      columns.length === 0
        ? `INSERT INTO ${tableSql(dialect, table)} DEFAULT VALUES`
        : `INSERT INTO ${tableSql(dialect, table)} (${columns.map((c) => dialect.quoteIdentifier(c.name)).join(', ')}) VALUES (${placeholders.join(', ')})`;
    await connection.execute(sql, values);
  }
}

/** A value of the column's type, distinct for each row. */
function valueFor(dialect: Dialect, model: DatabaseModel, column: ColumnModel, row: number): unknown {
  const n = row + 1;
  const one = (): unknown => {
    if (column.enumType) {
      const values = model.enums.find((e) => e.name === column.enumType!.name && (e.schema ?? undefined) === (column.enumType!.schema ?? undefined))?.values ?? [];
      if (values.length === 0) throw new Error(`no values known for enum "${column.enumType.name}"`);
      return values[row % values.length];
    }
    const type = column.type.toUpperCase();
    const length = /\((\d+)/.exec(type)?.[1];
    // MySQL's inline enums: ENUM('USER','ADMIN').
    const inline = /^ENUM\((.*)\)$/i.exec(column.type.trim())?.[1];
    if (inline !== undefined) {
      const values = [...inline.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1]!.replace(/''/g, "'"));
      if (values.length === 0) throw new Error(`no values in ${column.type}`);
      return values[row % values.length];
    }
    if (/UUID/.test(type)) return randomUUID();
    if (/BOOL/.test(type)) return dialect.name === 'sqlite' ? row % 2 : row % 2 === 0;
    if (/^(BIG|SMALL|TINY)?INT(EGER)?\b|SERIAL/.test(type)) return n;
    if (/REAL|DOUBLE|FLOAT|DECIMAL|NUMERIC|MONEY/.test(type)) return n + 0.5;
    if (/TIMESTAMP|DATETIME/.test(type)) return dialect.name === 'sqlite' ? Date.UTC(2024, 0, n) : `2024-01-0${n} 00:00:00`;
    if (/^DATE$/.test(type)) return `2024-01-0${n}`;
    if (/^TIME/.test(type)) return `12:00:0${n}`;
    if (/JSON/.test(type)) return JSON.stringify({ row: n });
    if (/BLOB|BYTEA/.test(type)) return Buffer.from([n]);
    if (/CHAR|TEXT|CLOB|STRING|CITEXT|^$/.test(type)) {
      const text = `${column.name}-${n}`;
      return length ? text.slice(0, Math.max(1, Number(length))) : text;
    }
    throw new Error(`no value for column "${column.name}" of type ${column.type}`);
  };
  if (column.isList) return [one()];
  return one();
}

/** Tables in an order where each comes after the tables its foreign keys reference (cycles: as they come). */
function parentsFirst(tables: TableModel[]): TableModel[] {
  const byName = new Map(tables.map((t) => [qualifiedName(t), t]));
  const done = new Set<string>();
  const out: TableModel[] = [];
  const visit = (table: TableModel, path: Set<string>) => {
    const key = qualifiedName(table);
    if (done.has(key) || path.has(key)) return;
    path.add(key);
    for (const fk of table.foreignKeys) {
      const parent = byName.get(qualifiedName({ ...(fk.referencedSchema ? { schema: fk.referencedSchema } : {}), name: fk.referencedTable }));
      if (parent) visit(parent, path);
    }
    done.add(key);
    out.push(table);
  };
  for (const table of tables) visit(table, new Set());
  return out;
}

/**
 * A seed file: SQL (run as it is, several statements allowed) or a module
 * (`.ts`, `.js`, `.mjs`) whose default export is called with
 * `{ execute(sql, params?), query(sql, params?), dialect }`.
 */
export async function runSeedFile(path: string, dialect: Dialect, connection: Connection, projectRoot: string): Promise<void> {
  const kind = extname(path).toLowerCase();
  if (kind === '.sql') {
    const sql = readFileSync(path, 'utf8');
    await connection.execute(sql);
    return;
  }
  if (!['.ts', '.mts', '.js', '.mjs'].includes(kind)) throw new ReviseError(`--seed ${path}: a .sql, .ts or .js file`);
  let mod: { default?: unknown };
  if (kind === '.ts' || kind === '.mts') {
    const { loadModuleFile } = await import('./load-module.js');
    mod = await loadModuleFile(path, projectRoot);
  } else {
    mod = (await import(pathToFileURL(path).href)) as { default?: unknown };
  }
  if (typeof mod.default !== 'function') throw new ReviseError(`--seed ${path}: export default async function ({ execute, query }) { ... }`);
  await (mod.default as (handle: unknown) => Promise<void>)({
    dialect: dialect.name,
    execute: (sql: string, params?: unknown[]) => connection.execute(sql, params),
    query: (sql: string, params?: unknown[]) => connection.query(sql, params),
  });
}
