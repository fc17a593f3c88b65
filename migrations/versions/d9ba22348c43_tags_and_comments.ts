/**
 * tags and comments
 *
 * Revision ID: d9ba22348c43
 * Revises: 9892841404b4
 * Create Date: 2026-11-24 18:59:13.448000
 */
import type { Generated, MigrationOps, RevisionDb } from 'prisma-revise';

export const revision = 'd9ba22348c43';
export const downRevision: string | string[] | null = '9892841404b4';
export const branchLabels: string[] | null = null;
export const dependsOn: string[] | null = null;

/** Prisma names -> database names of what this revision touches; read (never run) by the next autogenerate to tell @map renames from drops. */
export const prismaNames = {
  Comment: {
    table: 'comments',
    columns: { id: 'id', body: 'body', createdAt: 'created_at', postId: 'post_id', authorId: 'author_id' },
  },
  Tag: { table: 'tags', columns: { id: 'id', name: 'name' } },
} as const;

export async function upgrade(op: MigrationOps): Promise<void> {
  await op.createTable({
    name: 'tags',
    columns: [
      { name: 'id', type: 'INTEGER', nullable: false, autoincrement: true },
      { name: 'name', type: 'TEXT', nullable: false },
    ],
    primaryKey: { columns: ['id'] },
    indexes: [{ name: 'tags_name_key', columns: ['name'], unique: true }],
  });
  await op.createTable({
    name: 'comments',
    columns: [
      { name: 'id', type: 'INTEGER', nullable: false, autoincrement: true },
      { name: 'body', type: 'TEXT', nullable: false },
      { name: 'created_at', type: 'DATETIME', nullable: false, default: 'CURRENT_TIMESTAMP' },
      { name: 'post_id', type: 'INTEGER', nullable: false },
      { name: 'author_id', type: 'INTEGER', nullable: true },
    ],
    primaryKey: { columns: ['id'] },
    indexes: [{ name: 'comments_post_id_created_at_idx', columns: ['post_id', 'created_at'] }],
    foreignKeys: [
      { name: 'comments_post_id_fkey', columns: ['post_id'], referencedTable: 'posts', referencedColumns: ['id'], onDelete: 'CASCADE', onUpdate: 'CASCADE' },
      { name: 'comments_author_id_fkey', columns: ['author_id'], referencedTable: 'users', referencedColumns: ['id'], onDelete: 'SET NULL', onUpdate: 'CASCADE' },
    ],
  });
  await op.createTable({
    name: '_PostToTag',
    columns: [{ name: 'A', type: 'INTEGER', nullable: false }, { name: 'B', type: 'INTEGER', nullable: false }],
    indexes: [
      { name: '_PostToTag_AB_unique', columns: ['A', 'B'], unique: true },
      { name: '_PostToTag_B_index', columns: ['B'] },
    ],
    foreignKeys: [
      { name: '_PostToTag_A_fkey', columns: ['A'], referencedTable: 'posts', referencedColumns: ['id'], onDelete: 'CASCADE', onUpdate: 'CASCADE' },
      { name: '_PostToTag_B_fkey', columns: ['B'], referencedTable: 'tags', referencedColumns: ['id'], onDelete: 'CASCADE', onUpdate: 'CASCADE' },
    ],
  });
  await upgradeData(op, op.data<UpgradeTables>());
}

export async function downgrade(op: MigrationOps): Promise<void> {
  // no additive steps
  await downgradeData(op, op.data<DowngradeTables>());
  // WARNING: drops table "_PostToTag" and all of its rows
  await op.dropTable('_PostToTag');
  // WARNING: drops table "comments" and all of its rows
  await op.dropTable('comments');
  // WARNING: drops table "tags" and all of its rows
  await op.dropTable('tags');
}

/**
 * Data migration for upgrade: runs after the additive schema steps above and
 * before the destructive ones, in this revision's transaction. New columns and
 * tables already exist here; dropped ones are still there to copy from.
 * `db` is a Kysely query builder typed by UpgradeTables below (the tables as
 * they are at this point of this revision, never the app's current models),
 * e.g. `await db.updateTable('User').set({ role: 'USER' }).where('role', 'is', null).execute()`.
 * Large tables: `await op.batched({ table, key: 'id' }, (chunk) => db.updateTable(...).where(chunk.where).execute())`.
 * Raw SQL with bound parameters: `op.query(sql, params)` / `op.execute(sql, params)`.
 */
async function upgradeData(op: MigrationOps, db: RevisionDb<UpgradeTables>): Promise<void> {}

/**
 * Data migration for downgrade: the same, in reverse. Runs after the steps that
 * restore dropped columns and tables and before the ones that remove what the
 * upgrade added, in this revision's transaction; `db` is typed by DowngradeTables.
 */
async function downgradeData(op: MigrationOps, db: RevisionDb<DowngradeTables>): Promise<void> {}

/**
 * Tables as upgradeData() sees them, frozen when this revision was written.
 */
interface UpgradeTables {
  tags: {
    id: Generated<number>; // INTEGER, primary key, NOT NULL, autoincrement
    name: string; // TEXT, NOT NULL
  };
  comments: {
    id: Generated<number>; // INTEGER, primary key, NOT NULL, autoincrement
    body: string; // TEXT, NOT NULL
    created_at: Generated<string | number>; // DATETIME, NOT NULL, default CURRENT_TIMESTAMP
    post_id: number; // INTEGER, NOT NULL
    author_id: number | null; // INTEGER
  };
  _PostToTag: {
    A: number; // INTEGER, NOT NULL
    B: number; // INTEGER, NOT NULL
  };
}

/**
 * Tables as downgradeData() sees them, frozen when this revision was written.
 */
interface DowngradeTables {
  tags: {
    id: Generated<number>; // INTEGER, primary key, NOT NULL, autoincrement
    name: string; // TEXT, NOT NULL
  };
  comments: {
    id: Generated<number>; // INTEGER, primary key, NOT NULL, autoincrement
    body: string; // TEXT, NOT NULL
    created_at: Generated<string | number>; // DATETIME, NOT NULL, default CURRENT_TIMESTAMP
    post_id: number; // INTEGER, NOT NULL
    author_id: number | null; // INTEGER
  };
  _PostToTag: {
    A: number; // INTEGER, NOT NULL
    B: number; // INTEGER, NOT NULL
  };
}
