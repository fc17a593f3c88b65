/**
 * The schema-evolution scenario both round-trip suites run (SQLite and
 * PostgreSQL): a sequence of edits to schema.prisma, each turned into a
 * revision by `revise autogenerate` and applied with `revise upgrade head`,
 * with Prisma's engine judging the result and rows that must survive.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { DatabaseModel } from '../../src/model/types.ts';
import { expectNoDrift } from './prisma-oracle.ts';
import { backticks } from './mysql.ts';
import {
  describeRun,
  generatedFile,
  introspect,
  openDb,
  rawEnums,
  rawTables,
  sqliteFile,
  tableRows,
  versionRows,
  withDb,
  type DatabaseKind,
  type E2EProject,
} from './e2e.ts';

export interface RoundtripStep {
  name: string;
  /** Model blocks replaced (text) or removed (null), by block name; the schema is all current blocks in insertion order. */
  blocks: Record<string, string | null>;
  /** `--rename` values. */
  renames?: string[];
  /** Row survival across renames (database names): table renames and per-table column renames. */
  renamedTables?: Record<string, string>;
  renamedColumns?: Record<string, Record<string, string>>;
  /** Tables whose rows are expected to go (dropped). */
  drops?: string[];
  /** The revision file must match these, and must not match `fileLacks`. */
  fileHas?: RegExp[];
  fileLacks?: RegExp[];
  /** Nothing to do for this provider (e.g. enum value edits on SQLite, where enums are TEXT): autogenerate writes no file. */
  noChange?: boolean;
  /** Code put in the revision's downgradeData hook (what a user writes when the downgrade needs data fixed). */
  downgradeData?: string;
  /** Rows added after the upgrade (plain SQL, valid on both databases). */
  insert?: string[];
}

const USER_1 = `model User {
  id    Int     @id @default(autoincrement())
  email String  @unique
  name  String?
  age   Int?
  posts Post[]
}`;

const POST_1 = `model Post {
  id       Int    @id @default(autoincrement())
  title    String
  views    Int    @default(0)
  authorId Int
  author   User   @relation(fields: [authorId], references: [id])
}`;

/** The steps every dialect runs; `extra` are appended (PostgreSQL native types and lists). */
export function commonSteps(provider: DatabaseKind): RoundtripStep[] {
  const sqlite = provider === 'sqlite';
  // MySQL keeps enums on their columns: a value change is a column type change (MODIFY).
  const mysql = provider === 'mysql';
  const steps: RoundtripStep[] = [
    {
      name: 'create initial models',
      blocks: {
        User: USER_1,
        Post: POST_1,
        Scratch: `model Scratch {\n  id   Int    @id\n  note String\n}`,
      },
      fileHas: [/op\.createTable\(/],
      insert: [
        `INSERT INTO "User" ("email", "name", "age") VALUES ('a@x.io', 'Ann', 30), ('b@x.io', 'Bob', 41)`,
        `INSERT INTO "Post" ("title", "authorId") VALUES ('hello', 1), ('world', 2)`,
        `INSERT INTO "Scratch" ("id", "note") VALUES (1, 'tmp')`,
      ],
    },
    {
      name: 'add model',
      blocks: {
        Post: POST_1.replace(/\n}$/, '\n  comments Comment[]\n}'),
        Comment: `model Comment {
  id     Int    @id @default(autoincrement())
  body   String
  postId Int
  post   Post   @relation(fields: [postId], references: [id])
}`,
      },
      fileHas: [/op\.createTable\(\{\s*name: 'Comment'/],
      insert: [`INSERT INTO "Comment" ("body", "postId") VALUES ('nice', 1)`],
    },
    {
      name: 'drop model',
      blocks: { Scratch: null },
      drops: ['Scratch'],
      fileHas: [/op\.dropTable\('Scratch'\)/],
    },
    {
      name: 'add column',
      blocks: {
        User: USER_1.replace('  age   Int?\n', '  age   Int?\n  bio   String?\n'),
        Post: POST_1.replace('  authorId Int\n', '  authorId Int\n  published Boolean @default(false)\n').replace(/\n}$/, '\n  comments Comment[]\n}'),
      },
      fileHas: [/'bio'/, /'published'/],
      insert: [`INSERT INTO "User" ("email", "name", "age", "bio") VALUES ('c@x.io', 'Cy', 22, 'hi')`],
    },
    {
      name: 'drop column',
      blocks: {
        User: `model User {
  id    Int     @id @default(autoincrement())
  email String  @unique
  name  String?
  bio   String?
  posts Post[]
}`,
      },
      fileHas: [/dropColumn\((?:'User', )?'age'\)/],
    },
    {
      name: 'alter column type',
      blocks: {
        Post: `model Post {
  id        Int       @id @default(autoincrement())
  title     String
  views     BigInt    @default(0)
  authorId  Int
  published Boolean   @default(false)
  author    User      @relation(fields: [authorId], references: [id])
  comments  Comment[]
}`,
      },
      fileHas: [/alterColumn\(/, /BIGINT/],
    },
    {
      name: 'nullability: optional -> required with a default, required -> optional',
      blocks: {
        User: `model User {
  id    Int     @id @default(autoincrement())
  email String  @unique
  name  String  @default("anon")
  bio   String?
  posts Post[]
}`,
        Post: `model Post {
  id        Int       @id @default(autoincrement())
  title     String?
  views     BigInt    @default(0)
  authorId  Int
  published Boolean   @default(false)
  author    User      @relation(fields: [authorId], references: [id])
  comments  Comment[]
}`,
      },
      fileHas: [/nullable: false/, /nullable: true/],
      // Going back, title is NOT NULL again: rows written meanwhile without one get a title first.
      downgradeData: `await op.execute(\`UPDATE "Post" SET "title" = 'untitled' WHERE "title" IS NULL\`);`,
      insert: [`INSERT INTO "Post" ("title", "authorId") VALUES (NULL, 1)`, `INSERT INTO "User" ("email") VALUES ('anon@x.io')`],
    },
    {
      name: 'default change',
      blocks: {
        Post: `model Post {
  id        Int       @id @default(autoincrement())
  title     String?
  views     BigInt    @default(10)
  authorId  Int
  published Boolean   @default(true)
  author    User      @relation(fields: [authorId], references: [id])
  comments  Comment[]
}`,
      },
      fileHas: [/default: '10'/],
      insert: [`INSERT INTO "Post" ("authorId") VALUES (2)`],
    },
    {
      name: 'unique',
      blocks: {
        Post: `model Post {
  id        Int       @id @default(autoincrement())
  title     String?
  views     BigInt    @default(10)
  authorId  Int
  published Boolean   @default(true)
  author    User      @relation(fields: [authorId], references: [id])
  comments  Comment[]

  @@unique([authorId, title])
}`,
      },
      fileHas: [/Post_authorId_title_key/, /unique: true/],
    },
    {
      name: 'composite id',
      blocks: {
        Membership: `model Membership {
  userId  Int
  groupId Int
  role    String @default("member")

  @@id([userId, groupId])
}`,
      },
      fileHas: [/primaryKey: \{[^}]*columns: \['userId', 'groupId'\]/],
      insert: [`INSERT INTO "Membership" ("userId", "groupId") VALUES (1, 7), (2, 7)`],
    },
    {
      name: 'index',
      blocks: {
        Post: `model Post {
  id        Int       @id @default(autoincrement())
  title     String?
  views     BigInt    @default(10)
  authorId  Int
  published Boolean   @default(true)
  author    User      @relation(fields: [authorId], references: [id])
  comments  Comment[]

  @@unique([authorId, title])
  @@index([title])
}`,
        Membership: `model Membership {
  userId  Int
  groupId Int
  role    String @default("member")

  @@id([userId, groupId])
  @@index([groupId, role(sort: Desc)])
}`,
      },
      fileHas: [/Post_title_idx/, /Membership_groupId_role_idx/, /sort: 'DESC'/],
    },
    {
      name: 'relation with onDelete/onUpdate actions',
      blocks: {
        User: `model User {
  id          Int          @id @default(autoincrement())
  email       String       @unique
  name        String       @default("anon")
  bio         String?
  posts       Post[]
  memberships Membership[]
}`,
        Post: `model Post {
  id        Int       @id @default(autoincrement())
  title     String?
  views     BigInt    @default(10)
  authorId  Int
  published Boolean   @default(true)
  author    User      @relation(fields: [authorId], references: [id], onDelete: Cascade, onUpdate: Restrict)
  comments  Comment[]

  @@unique([authorId, title])
  @@index([title])
}`,
        Membership: `model Membership {
  userId  Int
  groupId Int
  role    String @default("member")
  user    User   @relation(fields: [userId], references: [id], onDelete: Cascade, onUpdate: Cascade)

  @@id([userId, groupId])
  @@index([groupId, role(sort: Desc)])
}`,
      },
      fileHas: [/onDelete: 'CASCADE'/, /onUpdate: 'RESTRICT'/, /Membership_userId_fkey/],
    },
    {
      name: 'implicit many-to-many',
      blocks: {
        Post: `model Post {
  id        Int       @id @default(autoincrement())
  title     String?
  views     BigInt    @default(10)
  authorId  Int
  published Boolean   @default(true)
  author    User      @relation(fields: [authorId], references: [id], onDelete: Cascade, onUpdate: Restrict)
  comments  Comment[]
  tags      Tag[]

  @@unique([authorId, title])
  @@index([title])
}`,
        Tag: `model Tag {
  id    Int    @id @default(autoincrement())
  name  String @unique
  posts Post[]
}`,
      },
      fileHas: [/name: '_PostToTag'/],
      insert: [`INSERT INTO "Tag" ("name") VALUES ('news'), ('tech')`, `INSERT INTO "_PostToTag" ("A", "B") VALUES (1, 1), (2, 1), (1, 2)`],
    },
    {
      name: 'enum',
      blocks: {
        Role: `enum Role {\n  USER\n  ADMIN\n}`,
        User: `model User {
  id          Int          @id @default(autoincrement())
  email       String       @unique
  name        String       @default("anon")
  bio         String?
  role        Role         @default(USER)
  posts       Post[]
  memberships Membership[]
}`,
      },
      fileHas: sqlite ? [/'role'/] : mysql ? [/'role'/, /ENUM\('USER','ADMIN'\)/] : [/op\.createEnum\(/, /'role'/],
      insert: [`INSERT INTO "User" ("email", "name", "role") VALUES ('d@x.io', 'Di', 'ADMIN')`],
    },
    {
      name: 'add an enum value',
      blocks: { Role: `enum Role {\n  USER\n  ADMIN\n  GUEST\n}` },
      noChange: sqlite,
      fileHas: mysql ? [/alterColumn\(/, /ENUM\('USER','ADMIN','GUEST'\)/] : [/op\.alterEnum\(/, /'GUEST'/],
      // Going back, GUEST disappears: rows using it (moved there in step 16) become USER first.
      downgradeData: `await op.execute(\`UPDATE "User" SET "role" = 'USER' WHERE "role" = 'GUEST'\`);`,
      insert: [`INSERT INTO "User" ("email", "name", "role") VALUES ('e@x.io', 'Ed', 'USER')`],
    },
    {
      name: 'remove an enum value',
      blocks: { Role: `enum Role {\n  USER\n  GUEST\n}` },
      noChange: sqlite,
      fileHas: mysql ? [/alterColumn\(/, /ENUM\('USER','GUEST'\)/] : [/op\.alterEnum\(/],
      // Di is an ADMIN: the row has to be moved off the value first; done before this step's upgrade.
    },
    {
      // No --rename: the Prisma names recorded in earlier revisions tell a rename from a drop.
      name: '@map / @@map renames (no --rename needed)',
      renamedTables: { Comment: 'comments' },
      renamedColumns: { User: { name: 'display_name' } },
      blocks: {
        User: `model User {
  id          Int          @id @default(autoincrement())
  email       String       @unique
  name        String       @default("anon") @map("display_name")
  bio         String?
  role        Role         @default(USER)
  posts       Post[]
  memberships Membership[]
}`,
        Comment: `model Comment {
  id     Int    @id @default(autoincrement())
  body   String
  postId Int
  post   Post   @relation(fields: [postId], references: [id])

  @@map("comments")
}`,
      },
      fileHas: [/renameTable\(/, /renameColumn\(/],
      fileLacks: [/dropTable\('Comment'\)/, /dropColumn\((?:'User', )?'name'\)/, /createTable\(\{\s*name: 'comments'/],
    },
  ];
  if (!mysql) return steps;
  // A hook's SQL is a template literal with "quoted" identifiers: on MySQL, a string with backticks.
  return steps.map((step) =>
    step.downgradeData ? { ...step, downgradeData: step.downgradeData.replace(/`([^`]*)`/, (_m, sql: string) => JSON.stringify(backticks(sql))) } : step,
  );
}

export function postgresExtraSteps(): RoundtripStep[] {
  const metric = (label: string, extra = '') => `model Metric {
  id     Int      @id @default(autoincrement())
  label  String   @db.VarChar(${label})
  amount Decimal  @db.Decimal(10, 2)
  at     DateTime @default(now()) @db.Timestamptz(3)
  day    DateTime @db.Date
  small  Int      @db.SmallInt
  tags   String[]${extra}
  scores Int[]    @default([1, 2])
  data   Json?    @db.JsonB
  uid    String?  @db.Uuid
  raw    Bytes?
}`;
  return [
    {
      name: '@db.* native types and lists',
      blocks: { Metric: metric('40') },
      fileHas: [/VARCHAR\(40\)/, /isList: true/],
      insert: [
        `INSERT INTO "Metric" ("label", "amount", "day", "small", "tags", "data", "uid") VALUES ('m', 3.25, '2024-01-02', 7, ARRAY['a','b'], '{"k": 1}', '0b7c1d8e-4c0f-4d8a-9c55-0d4c9b1f2a3b')`,
      ],
    },
    {
      name: 'native type length and list default change',
      blocks: { Metric: metric('80', ' @default(["x"])') },
      fileHas: [/VARCHAR\(80\)/],
    },
  ];
}

/**
 * MySQL refuses to change the type of a column a foreign key uses: the key of
 * User becomes a BIGINT, and with it every column pointing at it, the keys
 * dropped first and added back last.
 */
export function mysqlExtraSteps(): RoundtripStep[] {
  return [
    {
      name: 'widen a referenced key (foreign keys dropped and added around the type change)',
      blocks: {
        User: `model User {
  id          BigInt       @id @default(autoincrement())
  email       String       @unique
  name        String       @default("anon") @map("display_name")
  bio         String?
  role        Role         @default(USER)
  posts       Post[]
  memberships Membership[]
}`,
        Post: `model Post {
  id        Int       @id @default(autoincrement())
  title     String?
  views     BigInt    @default(10)
  authorId  BigInt
  published Boolean   @default(true)
  author    User      @relation(fields: [authorId], references: [id], onDelete: Cascade, onUpdate: Restrict)
  comments  Comment[]
  tags      Tag[]

  @@unique([authorId, title])
  @@index([title])
}`,
        Membership: `model Membership {
  userId  BigInt
  groupId Int
  role    String @default("member")
  user    User   @relation(fields: [userId], references: [id], onDelete: Cascade, onUpdate: Cascade)

  @@id([userId, groupId])
  @@index([groupId, role(sort: Desc)])
}`,
      },
      fileHas: [/dropForeignKey\('Post', 'Post_authorId_fkey'\)/, /dropForeignKey\('Membership', 'Membership_userId_fkey'\)/, /createForeignKey\(/],
      insert: [`INSERT INTO "User" ("email", "role") VALUES ('f@x.io', 'USER')`],
    },
  ];
}

/** The schema text of the model blocks as they stand. */
function render(blocks: Map<string, string>): string {
  return [...blocks.values()].join('\n\n');
}

type Rows = Map<string, Array<Record<string, string | null>>>;

/** Rows before must all be there after (restricted to columns on both sides, through renames). */
function expectRowsSurvived(before: Rows, after: Rows, step: RoundtripStep): void {
  for (const [table, rows] of before) {
    if (step.drops?.includes(table)) continue;
    const newTable = step.renamedTables?.[table] ?? table;
    const now = after.get(newTable);
    expect(now, `table ${table} disappeared in step "${step.name}"`).toBeDefined();
    if (rows.length === 0) {
      expect(now!.length, `rows appeared in ${newTable}`).toBe(0);
      continue;
    }
    const renamed = step.renamedColumns?.[table] ?? {};
    const afterColumns = new Set(Object.keys(now![0] ?? {}));
    const columns = Object.keys(rows[0]!).filter((c) => afterColumns.has(renamed[c] ?? c));
    const project = (row: Record<string, string | null>, rename: boolean) =>
      JSON.stringify(columns.map((c) => row[rename ? (renamed[c] ?? c) : c]));
    const wanted = rows.map((r) => project(r, false)).sort();
    const got = now!.map((r) => project(r, true)).sort();
    expect(got, `rows of ${table} changed in step "${step.name}"`).toEqual(wanted);
  }
}

/**
 * Registers the round-trip tests in the current describe block. `project()`
 * returns the project made in the caller's beforeAll; `freshUrl()` makes an
 * empty database for the offline check.
 */
export function defineRoundtrip(options: {
  provider: DatabaseKind;
  steps: RoundtripStep[];
  project: () => E2EProject;
  freshUrl: () => Promise<string>;
}): void {
  const { provider, steps } = options;
  const blocks = new Map<string, string>();
  let failed: string | undefined;
  let climbed: DatabaseModel | undefined;
  let heads: string[] | null = null;

  steps.forEach((step, index) => {
    const n = index + 1;
    it(`step ${n}: ${step.name}`, async () => {
      if (failed) throw new Error(`not run: step "${failed}" failed`);
      failed = step.name;
      const p = options.project();
      for (const [name, text] of Object.entries(step.blocks)) {
        if (text === null) blocks.delete(name);
        else blocks.set(name, text);
      }
      const schemaText = p.writeSchema(render(blocks));
      if (step.name === 'remove an enum value') {
        await withDb(provider, p.url, (db) => db.exec(`UPDATE "User" SET "role" = 'GUEST' WHERE "role" = 'ADMIN'`));
      }
      const before = await tableRows(provider, p.url);
      const filesBefore = p.revisionFiles().length;

      const args = ['autogenerate', '-m', `step ${n}`];
      for (const rename of step.renames ?? []) args.push('--rename', rename);
      const gen = p.cli(args);
      expect(gen.status, describeRun(gen)).toBe(0);
      if (step.noChange) {
        expect(gen.stderr).toContain('No changes in schema detected.');
        expect(p.revisionFiles()).toHaveLength(filesBefore);
      } else {
        const file = generatedFile(gen);
        expect(file, describeRun(gen)).toBeDefined();
        expect(p.revisionFiles()).toHaveLength(filesBefore + 1);
        const text = readFileSync(file!, 'utf8');
        for (const pattern of step.fileHas ?? []) expect(text, `revision of step ${n}`).toMatch(pattern);
        for (const pattern of step.fileLacks ?? []) expect(text, `revision of step ${n}`).not.toMatch(pattern);
        if (step.downgradeData) {
          // The empty hook the template writes: `const downgradeData: DataHook<DowngradeTables> = () => Promise.resolve();`.
          const hook = /(const downgradeData: DataHook<\w+> = )\(\) => Promise\.resolve\(\);/;
          expect(text).toMatch(hook);
          writeFileSync(file!, text.replace(hook, (_, head: string) => `${head}async (op) => {\n  ${step.downgradeData}\n};`));
        }
      }

      const up = p.cli(['upgrade', 'head']);
      expect(up.status, describeRun(up)).toBe(0);
      // Prisma's WASM engine has no MySQL connector: there `check` alone judges.
      if (provider !== 'mysql') await expectNoDrift({ schemaText, url: p.url });
      const check = p.cli(['check']);
      expect(check.status, describeRun(check)).toBe(0);
      expect(check.stdout).toContain('No new upgrade operations detected.');

      const after = await tableRows(provider, p.url);
      expectRowsSurvived(before, after, step);
      if (step.insert?.length) {
        await withDb(provider, p.url, async (db) => {
          for (const sql of step.insert!) await db.exec(sql);
        });
      }
      failed = undefined;
    });
  });

  it('downgrade base leaves only alembic_version; upgrade head again gives the same schema', async () => {
    if (failed) throw new Error(`not run: step "${failed}" failed`);
    const p = options.project();
    climbed = await introspect(provider, p.url);
    heads = await versionRows(provider, p.url);
    expect(heads).toHaveLength(1);

    const down = p.cli(['downgrade', 'base']);
    expect(down.status, describeRun(down)).toBe(0);
    expect(await introspect(provider, p.url)).toEqual({ tables: [], enums: [] });
    expect(await rawTables(provider, p.url)).toEqual(['alembic_version']);
    expect(await rawEnums(provider, p.url)).toEqual([]);
    expect(await versionRows(provider, p.url)).toEqual([]);

    const up = p.cli(['upgrade', 'head']);
    expect(up.status, describeRun(up)).toBe(0);
    expect(await introspect(provider, p.url)).toEqual(climbed);
    expect(await versionRows(provider, p.url)).toEqual(heads);
    if (provider !== 'mysql') await expectNoDrift({ schemaText: p.schemaText(), url: p.url });
    const check = p.cli(['check']);
    expect(check.status, describeRun(check)).toBe(0);
  });

  it('upgrade head --sql from scratch, run by the database tool, gives the same schema', async () => {
    if (!climbed) throw new Error('not run: the climb did not finish');
    const p = options.project();
    const url = await options.freshUrl();
    const offline = p.cli(['upgrade', 'head', '--sql'], { DATABASE_URL: url });
    expect(offline.status, describeRun(offline)).toBe(0);
    expect(offline.stdout).toContain('COMMIT;');
    const script = join(p.dir, 'upgrade.sql');
    writeFileSync(script, offline.stdout);
    if (provider === 'sqlite') {
      // The sqlite3 shell when present (what a DBA would run), else better-sqlite3's exec.
      try {
        execFileSync('sqlite3', ['-bail', sqliteFile(url), `.read ${script}`], { stdio: 'pipe' });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        const db = await openDb(provider, url);
        try {
          await db.exec(offline.stdout);
        } finally {
          await db.close();
        }
      }
    } else if (provider === 'mysql') {
      // The mariadb (or mysql) command-line client, as a DBA would run the script.
      const u = new URL(url);
      const args = ['-h', u.hostname, '-P', u.port || '3306', '-u', decodeURIComponent(u.username || 'root'), decodeURIComponent(u.pathname.slice(1))];
      if (u.password) args.push(`-p${decodeURIComponent(u.password)}`);
      let ran = false;
      for (const client of ['mariadb', 'mysql']) {
        try {
          execFileSync(client, args, { input: offline.stdout, stdio: ['pipe', 'pipe', 'pipe'] });
          ran = true;
          break;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`${client} failed: ${String((error as { stderr?: Buffer }).stderr ?? error)}`);
        }
      }
      if (!ran) await withDb(provider, url, (db) => db.exec(offline.stdout));
    } else {
      try {
        execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-f', script], { stdio: 'pipe' });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`psql failed: ${String((error as { stderr?: Buffer }).stderr ?? error)}`);
        await withDb(provider, url, (db) => db.exec(offline.stdout));
      }
    }
    expect(await introspect(provider, url)).toEqual(climbed);
    expect(await versionRows(provider, url)).toEqual(heads);
    if (provider !== 'mysql') await expectNoDrift({ schemaText: p.schemaText(), url });
  });
}
