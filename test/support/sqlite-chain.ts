/** A long SQLite history for the chain suites: revisions that each create a table keyed to the one before, and what the database holds. */
import Database from 'better-sqlite3';
import { writeRevision, type E2EProject } from './e2e.ts';

/** `count` revisions: t<i> with a key to t<i-1> and an index, dropped again on the way down; returns their files. */
export function writeTableChain(project: E2EProject, count: number, id: (i: number) => string): string[] {
  return Array.from({ length: count }, (_, i) =>
    writeRevision(
      project,
      id(i),
      i === 0 ? null : id(i - 1),
      `await op.createTable({ name: 't${i}', columns: [{ name: 'id', type: 'INTEGER', nullable: false }${i > 0 ? `, { name: 'pId', type: 'INTEGER', nullable: true }` : ''}], primaryKey: { columns: ['id'] }${
        i > 0 ? `, foreignKeys: [{ name: 't${i}_pId_fkey', columns: ['pId'], referencedTable: 't${i - 1}', referencedColumns: ['id'], onDelete: 'SET NULL', onUpdate: 'CASCADE' }]` : ''
      } });\n  await op.createIndex('t${i}', { name: 't${i}_id_idx', columns: ['id'] });`,
      `await op.dropIndex('t${i}', 't${i}_id_idx');\n  await op.dropTable('t${i}');`,
    ),
  );
}

/** Every object of the database with its SQL, as JSON: equal strings, equal schemas. */
export function sqliteSchema(url: string): string {
  return readOnly(url, (db) => JSON.stringify(db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name").all()));
}

/** The rows of alembic_version. */
export function sqliteVersions(url: string): string[] {
  return readOnly(url, (db) => (db.prepare('SELECT version_num FROM alembic_version').all() as Array<{ version_num: string }>).map((r) => r.version_num));
}

function readOnly<T>(url: string, read: (db: Database.Database) => T): T {
  const db = new Database(url.replace(/^file:/, ''), { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}
