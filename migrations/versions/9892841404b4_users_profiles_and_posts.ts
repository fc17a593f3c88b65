/**
 * users, profiles and posts
 *
 * Revision ID: 9892841404b4
 * Revises:
 * Create Date: 2026-11-24 18:59:12.748000
 */
import type { Generated, MigrationOps, RevisionDb } from 'prisma-revise';

export const revision = '9892841404b4';
export const downRevision: string | string[] | null = null;
export const branchLabels: string[] | null = null;
export const dependsOn: string[] | null = null;

/** Prisma names -> database names of what this revision touches; read (never run) by the next autogenerate to tell @map renames from drops. */
export const prismaNames = {
  Post: {
    table: 'posts',
    columns: {
      id: 'id',
      slug: 'slug',
      title: 'title',
      body: 'body',
      published: 'published',
      publishedAt: 'published_at',
      viewCount: 'view_count',
      authorId: 'author_id',
    },
  },
  Profile: { table: 'profiles', columns: { id: 'id', bio: 'bio', avatarUrl: 'avatar_url', userId: 'user_id' } },
  Role: { enum: 'Role', values: { READER: 'READER', AUTHOR: 'AUTHOR', ADMIN: 'ADMIN' } },
  User: {
    table: 'users',
    columns: { id: 'id', email: 'email', name: 'name', role: 'role', createdAt: 'created_at', updatedAt: 'updated_at' },
  },
} as const;

export async function upgrade(op: MigrationOps): Promise<void> {
  await op.createTable({
    name: 'users',
    columns: [
      { name: 'id', type: 'INTEGER', nullable: false, autoincrement: true },
      { name: 'email', type: 'TEXT', nullable: false },
      { name: 'name', type: 'TEXT', nullable: true },
      { name: 'role', type: 'TEXT', nullable: false, default: "'READER'" },
      { name: 'created_at', type: 'DATETIME', nullable: false, default: 'CURRENT_TIMESTAMP' },
      { name: 'updated_at', type: 'DATETIME', nullable: false },
    ],
    primaryKey: { columns: ['id'] },
    indexes: [{ name: 'users_email_key', columns: ['email'], unique: true }],
  });
  await op.createTable({
    name: 'profiles',
    columns: [
      { name: 'id', type: 'INTEGER', nullable: false, autoincrement: true },
      { name: 'bio', type: 'TEXT', nullable: true },
      { name: 'avatar_url', type: 'TEXT', nullable: true },
      { name: 'user_id', type: 'INTEGER', nullable: false },
    ],
    primaryKey: { columns: ['id'] },
    indexes: [{ name: 'profiles_user_id_key', columns: ['user_id'], unique: true }],
    foreignKeys: [
      { name: 'profiles_user_id_fkey', columns: ['user_id'], referencedTable: 'users', referencedColumns: ['id'], onDelete: 'CASCADE', onUpdate: 'CASCADE' },
    ],
  });
  await op.createTable({
    name: 'posts',
    columns: [
      { name: 'id', type: 'INTEGER', nullable: false, autoincrement: true },
      { name: 'slug', type: 'TEXT', nullable: false },
      { name: 'title', type: 'TEXT', nullable: false },
      { name: 'body', type: 'TEXT', nullable: false },
      { name: 'published', type: 'BOOLEAN', nullable: false, default: 'false' },
      { name: 'published_at', type: 'DATETIME', nullable: true },
      { name: 'view_count', type: 'INTEGER', nullable: false, default: '0' },
      { name: 'author_id', type: 'INTEGER', nullable: false },
    ],
    primaryKey: { columns: ['id'] },
    indexes: [
      { name: 'posts_slug_key', columns: ['slug'], unique: true },
      { name: 'posts_author_id_idx', columns: ['author_id'] },
      { name: 'posts_published_published_at_idx', columns: ['published', { name: 'published_at', sort: 'DESC' }] },
    ],
    foreignKeys: [
      { name: 'posts_author_id_fkey', columns: ['author_id'], referencedTable: 'users', referencedColumns: ['id'], onDelete: 'RESTRICT', onUpdate: 'CASCADE' },
    ],
  });
  await upgradeData(op, op.data<UpgradeTables>());
}

export async function downgrade(op: MigrationOps): Promise<void> {
  // no additive steps
  await downgradeData(op, op.data<DowngradeTables>());
  // WARNING: drops table "posts" and all of its rows
  await op.dropTable('posts');
  // WARNING: drops table "profiles" and all of its rows
  await op.dropTable('profiles');
  // WARNING: drops table "users" and all of its rows
  await op.dropTable('users');
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
  users: {
    id: Generated<number>; // INTEGER, primary key, NOT NULL, autoincrement
    email: string; // TEXT, NOT NULL
    name: string | null; // TEXT
    role: Generated<string>; // TEXT, NOT NULL, default 'READER'
    created_at: Generated<string | number>; // DATETIME, NOT NULL, default CURRENT_TIMESTAMP
    updated_at: string | number; // DATETIME, NOT NULL
  };
  profiles: {
    id: Generated<number>; // INTEGER, primary key, NOT NULL, autoincrement
    bio: string | null; // TEXT
    avatar_url: string | null; // TEXT
    user_id: number; // INTEGER, NOT NULL
  };
  posts: {
    id: Generated<number>; // INTEGER, primary key, NOT NULL, autoincrement
    slug: string; // TEXT, NOT NULL
    title: string; // TEXT, NOT NULL
    body: string; // TEXT, NOT NULL
    published: Generated<number>; // BOOLEAN, NOT NULL, default false
    published_at: string | number | null; // DATETIME
    view_count: Generated<number>; // INTEGER, NOT NULL, default 0
    author_id: number; // INTEGER, NOT NULL
  };
}

/**
 * Tables as downgradeData() sees them, frozen when this revision was written.
 */
interface DowngradeTables {
  users: {
    id: Generated<number>; // INTEGER, primary key, NOT NULL, autoincrement
    email: string; // TEXT, NOT NULL
    name: string | null; // TEXT
    role: Generated<string>; // TEXT, NOT NULL, default 'READER'
    created_at: Generated<string | number>; // DATETIME, NOT NULL, default CURRENT_TIMESTAMP
    updated_at: string | number; // DATETIME, NOT NULL
  };
  profiles: {
    id: Generated<number>; // INTEGER, primary key, NOT NULL, autoincrement
    bio: string | null; // TEXT
    avatar_url: string | null; // TEXT
    user_id: number; // INTEGER, NOT NULL
  };
  posts: {
    id: Generated<number>; // INTEGER, primary key, NOT NULL, autoincrement
    slug: string; // TEXT, NOT NULL
    title: string; // TEXT, NOT NULL
    body: string; // TEXT, NOT NULL
    published: Generated<number>; // BOOLEAN, NOT NULL, default false
    published_at: string | number | null; // DATETIME
    view_count: Generated<number>; // INTEGER, NOT NULL, default 0
    author_id: number; // INTEGER, NOT NULL
  };
}
