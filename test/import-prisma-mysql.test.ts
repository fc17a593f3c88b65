/**
 * `revise import-prisma` on MySQL / MariaDB. Prisma's WASM engine has no
 * MySQL connector, so the history is one written in Prisma's MySQL DDL (the
 * golden `shop` fixture) plus a hand-written migration with what real MySQL
 * histories hold (a renamed column and table, a trigger whose body has
 * semicolons, `END IF` and a backslash-escaped string, a CHECK constraint, a
 * view, a data change, `#` comments), and the judge is the history itself
 * run by the mariadb client: revise from empty, every step down and up, and
 * adoption of a database Prisma Migrate built must give its catalog.
 */
import { cpSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPrisma } from '../src/actions/import-prisma.ts';
import { downgrade, upgrade } from '../src/actions/migrate.ts';
import { importedRevisionId } from '../src/prisma-import/import.ts';
import { makeProject, rawTables, versionRows, withDb, type E2EProject } from './support/e2e.ts';
import { admin, createTempMysqlDatabase, mysqlAvailable, mysqlCatalog, type TempMysqlDatabase } from './support/mysql.ts';
import { prismaChecksumOf } from './support/prisma-oracle.ts';

const available = await mysqlAvailable();
const shop = join(import.meta.dirname, 'fixtures', 'mysql-golden', 'shop');

const HAND_WRITTEN = `# Hand-written; a comment MySQL reads with # (and a ; in it)
ALTER TABLE \`Product\` RENAME COLUMN \`title\` TO \`name\`;
RENAME TABLE \`Tag\` TO \`Label\`;
ALTER TABLE \`Review\` ADD CONSTRAINT \`stars_range\` CHECK (\`stars\` BETWEEN 1 AND 5),
  ADD CONSTRAINT \`body_length\` CHECK (CHAR_LENGTH(\`body\`) < 10000);
CREATE VIEW \`ProductNames\` AS SELECT \`id\`, \`name\` FROM \`Product\`;
CREATE TRIGGER \`user_name_default\` BEFORE INSERT ON \`User\` FOR EACH ROW BEGIN
  IF NEW.\`name\` IS NULL THEN
    SET NEW.\`name\` = 'it\\'s; unnamed';
  END IF;
END;
UPDATE \`User\` SET \`role\` = 'STAFF' WHERE \`email\` LIKE '%@shop.test';
`;

const DROP_VIEW = `DROP VIEW \`ProductNames\`;
-- DropForeignKey
ALTER TABLE \`_ProductToTag\` DROP FOREIGN KEY \`_ProductToTag_A_fkey\`;
ALTER TABLE \`_ProductToTag\` DROP FOREIGN KEY \`_ProductToTag_B_fkey\`;
-- DropTable
DROP TABLE \`_ProductToTag\`;
DROP TABLE \`Label\`;
`;

describe.skipIf(!available)('import-prisma on MySQL / MariaDB', () => {
  const databases: TempMysqlDatabase[] = [];
  let project: E2EProject;
  let home: TempMysqlDatabase;
  let migrationsDir: string;
  let names: string[];
  const fresh = async () => {
    const db = await createTempMysqlDatabase();
    databases.push(db);
    return db;
  };
  /** A script sent whole, as Prisma Migrate sends migration.sql: the server splits it (a trigger body needs no DELIMITER). */
  const runScript = (database: string, sql: string) => admin((c) => c.query(sql), database);
  /** What running migrations 1..k builds. */
  const replay = async (k: number) => {
    const db = await fresh();
    for (const name of names.slice(0, k)) await runScript(db.name, readFileSync(join(migrationsDir, name, 'migration.sql'), 'utf8'));
    return db;
  };
  const quiet = (url: string) => ({ cwd: project.dir, url, out: () => {}, log: () => {} });
  const scratchDatabases = () => admin(async (c) => ((await c.query("SHOW DATABASES LIKE 'revise\\_import\\_%'"))[0] as Array<Record<string, string>>).map((r) => Object.values(r)[0]!));

  beforeAll(async () => {
    home = await fresh();
    project = makeProject({ provider: 'mysql', url: home.url });
    migrationsDir = join(project.dir, 'prisma', 'migrations');
    cpSync(join(shop, 'migrations'), migrationsDir, { recursive: true });
    for (const [name, sql] of [
      ['20240401000000_hand_written', HAND_WRITTEN],
      ['20240501000000_drop_view_and_label', DROP_VIEW],
      // MySQL drops the foreign key's own index by itself here; the downgrade must let MySQL make it again
      // (drop and add the key), not CREATE INDEX it, or running this again would leave both indexes.
      ['20240601000000_unique_order_product', '-- CreateIndex\nCREATE UNIQUE INDEX `Order_productId_key` ON `Order`(`productId`);\n'],
    ] as const) {
      mkdirSync(join(migrationsDir, name));
      writeFileSync(join(migrationsDir, name, 'migration.sql'), sql);
    }
    writeFileSync(project.schemaPath, readFileSync(join(shop, 'schema.prisma'), 'utf8'));
    names = readdirSync(migrationsDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  }, 60_000);
  afterAll(async () => {
    project?.cleanup();
    for (const db of databases) await db.drop();
  });

  it('imports the history; each downgrade confirmed on a replay, renames kept as renames, what the model does not hold put back', async () => {
    const scratchBefore = await scratchDatabases();
    const result = await importPrisma({ ...quiet(home.url) });
    expect(result.imported.map((r) => r.migration)).toEqual(names);
    expect(result.imported.filter((r) => r.unverified || r.irreversible)).toEqual([]);
    // Backticks are escaped in the file's template literals.
    const source = (i: number) => readFileSync(result.imported[i]!.path, 'utf8').replace(/\\`/g, '`');
    const hand = source(3);
    expect(hand).toContain(`await op.renameColumn('Product', 'name', 'title');`);
    expect(hand).toContain(`await op.renameTable('Label', 'Tag');`);
    expect(hand).toContain('DROP TRIGGER IF EXISTS `user_name_default`');
    expect(hand).toContain('DROP VIEW IF EXISTS `ProductNames`');
    // Both constraints of the one ALTER TABLE go (lukevella/rallly: the second one used to stay).
    expect(hand).toContain('ALTER TABLE `Review` DROP CONSTRAINT `stars_range`');
    expect(hand).toContain('ALTER TABLE `Review` DROP CONSTRAINT `body_length`');
    expect(hand).toContain('// WARNING: the migration changes data (UPDATE `User`)');
    // Nothing it does is left unaccounted for (the `#` comment, RENAME TABLE).
    expect(hand).not.toContain('not undone');
    // The trigger is one statement of the upgrade, its body whole.
    expect(hand).toContain("SET NEW.`name` = 'it\\\\'s; unnamed';\n  END IF;\nEND");
    expect(source(5)).toContain(`await op.dropForeignKey('Order', 'Order_productId_fkey');`);
    expect(source(5)).not.toContain('createIndex');
    // The dropped view comes back after the table it reads.
    expect(source(4)).toMatch(/downgradeSqlLast[\s\S]*CREATE VIEW `ProductNames`/);
    // No scratch database left behind (compared with those there before: another import may run).
    expect((await scratchDatabases()).filter((name) => !scratchBefore.includes(name))).toEqual([]);
  }, 120_000);

  it('builds from empty the catalog the history builds; downgrade base leaves only alembic_version', async () => {
    const built = await fresh();
    await upgrade(quiet(built.url));
    expect(await mysqlCatalog(built.name)).toEqual(await mysqlCatalog((await replay(names.length)).name));
    await withDb('mysql', built.url, async (db) => {
      // The trigger runs as written: its string kept its escaped quote and semicolon.
      await db.exec("INSERT INTO `User` (`email`, `updatedAt`) VALUES ('a@b.c', NOW(3))");
      expect(await db.query('SELECT `name` FROM `User`')).toEqual([{ name: "it's; unnamed" }]);
      await db.exec('DELETE FROM `User`');
    });
    await downgrade({ ...quiet(built.url), target: 'base' });
    expect(await rawTables('mysql', built.url)).toEqual(['alembic_version']);
  }, 120_000);

  it('walks every migration: up to k is the replay of 1..k, down one is the replay of 1..k-1', async () => {
    const walk = await fresh();
    for (let k = 1; k <= names.length; k++) {
      await upgrade({ ...quiet(walk.url), target: '+1' });
      const reference = await mysqlCatalog((await replay(k)).name);
      expect(await mysqlCatalog(walk.name), `after upgrade to ${names[k - 1]}`).toEqual(reference);
      await downgrade({ ...quiet(walk.url), target: '-1' });
      expect(await mysqlCatalog(walk.name), `after downgrade of ${names[k - 1]}`).toEqual(await mysqlCatalog((await replay(k - 1)).name));
      await upgrade({ ...quiet(walk.url), target: '+1' });
      expect(await mysqlCatalog(walk.name), `after upgrading to ${names[k - 1]} again`).toEqual(reference);
    }
  }, 300_000);

  it('adopts a database Prisma Migrate built to a migration with one `upgrade head`, rows kept', async () => {
    const adopted = await replay(3);
    // _prisma_migrations as Prisma's MySQL connector creates and fills it.
    await runScript(
      adopted.name,
      'CREATE TABLE `_prisma_migrations` (`id` VARCHAR(36) PRIMARY KEY NOT NULL, `checksum` VARCHAR(64) NOT NULL, `finished_at` DATETIME(3), ' +
        '`migration_name` VARCHAR(255) NOT NULL, `logs` TEXT, `rolled_back_at` DATETIME(3), `started_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), ' +
        '`applied_steps_count` INTEGER UNSIGNED NOT NULL DEFAULT 0) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n' +
        names
          .slice(0, 3)
          .map((name, i) => `INSERT INTO \`_prisma_migrations\` VALUES (UUID(), '${prismaChecksumOf(join(migrationsDir, name, 'migration.sql'))}', NOW(3), '${name}', NULL, NULL, NOW(3) - INTERVAL ${10 - i} SECOND, 1);`)
          .join('\n') +
        "\nINSERT INTO `User` (`email`, `name`, `updatedAt`) VALUES ('ann@shop.test', 'Ann', NOW(3));",
    );
    const rows = () => withDb('mysql', adopted.url, (db) => db.query('SELECT * FROM `_prisma_migrations` ORDER BY `started_at`'));
    const before = await rows();
    await upgrade(quiet(adopted.url));
    expect(await mysqlCatalog(adopted.name)).toEqual(await mysqlCatalog((await replay(names.length)).name));
    expect(await versionRows('mysql', adopted.url)).toEqual([importedRevisionId(names.at(-1)!)]);
    expect(await rows()).toEqual(before);
    // The hand-written data change ran on the row that was there.
    await withDb('mysql', adopted.url, async (db) => expect(await db.query('SELECT `email`, `role` FROM `User`')).toEqual([{ email: 'ann@shop.test', role: 'STAFF' }]));
  }, 120_000);
});

describe.skipIf(!available)('import-prisma on MySQL: a downgrade that fails on the replay', () => {
  const databases: TempMysqlDatabase[] = [];
  let project: E2EProject;
  afterAll(async () => {
    project?.cleanup();
    for (const db of databases) await db.drop();
  });

  it('is reported, and the scratch database is built again for the migrations after it; keys over retyped columns go first; an unseen CHECK is caught', async () => {
    const home = await createTempMysqlDatabase();
    databases.push(home);
    project = makeProject({ provider: 'mysql', url: home.url });
    const dir = join(project.dir, 'prisma', 'migrations');
    const history: Array<[string, string]> = [
      ['20240101000000_init', 'CREATE TABLE `Item` (\n    `id` INTEGER NOT NULL AUTO_INCREMENT,\n    `sku` VARCHAR(32) NOT NULL,\n\n    PRIMARY KEY (`id`)\n) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n'],
      ['20240102000000_seed', "INSERT INTO `Item` (`sku`) VALUES ('A-1');\n"],
      // A key's column types change (Prisma drops the keys around it): MySQL refuses the way back unless the downgrade does too.
      [
        '20240102100000_part_and_bigint',
        'CREATE TABLE `Part` (\n    `id` INTEGER NOT NULL AUTO_INCREMENT,\n    `itemId` INTEGER NOT NULL,\n\n    PRIMARY KEY (`id`)\n) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n' +
          'ALTER TABLE `Part` ADD CONSTRAINT `Part_itemId_fkey` FOREIGN KEY (`itemId`) REFERENCES `Item`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;\n',
      ],
      [
        '20240102200000_bigint_ids',
        'ALTER TABLE `Part` DROP FOREIGN KEY `Part_itemId_fkey`;\nALTER TABLE `Item` MODIFY `id` BIGINT NOT NULL AUTO_INCREMENT;\nALTER TABLE `Part` MODIFY `itemId` BIGINT NOT NULL;\n' +
          'ALTER TABLE `Part` ADD CONSTRAINT `Part_itemId_fkey` FOREIGN KEY (`itemId`) REFERENCES `Item`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;\n',
      ],
      // Its downgrade brings `sku` back NOT NULL, which the seeded row cannot satisfy: it needs downgradeData.
      ['20240103000000_drop_sku', 'ALTER TABLE `Item` DROP COLUMN `sku`;\n'],
      ['20240104000000_add_note', 'ALTER TABLE `Item` ADD COLUMN `note` VARCHAR(191) NULL;\n'],
      // A CHECK without a name: nothing in the statement says what to drop, and the table model cannot see it.
      ['20240105000000_unnamed_check', 'ALTER TABLE `Item` ADD CHECK (CHAR_LENGTH(`note`) < 500);\n'],
    ];
    for (const [name, sql] of history) {
      mkdirSync(join(dir, name), { recursive: true });
      writeFileSync(join(dir, name, 'migration.sql'), sql);
    }
    writeFileSync(join(dir, 'migration_lock.toml'), 'provider = "mysql"\n');
    const result = await importPrisma({ cwd: project.dir, url: home.url, out: () => {}, log: () => {} });
    expect(result.imported.map((r) => [r.migration, !!r.unverified])).toEqual([
      ['20240101000000_init', false],
      ['20240102000000_seed', false],
      ['20240102100000_part_and_bigint', false],
      ['20240102200000_bigint_ids', false],
      ['20240103000000_drop_sku', true],
      ['20240104000000_add_note', false],
      ['20240105000000_unnamed_check', true],
    ]);
    // The confirmation compares what the table model does not hold, too: the downgrade left the constraint there.
    expect(result.imported[6]).toMatchObject({ irreversible: expect.stringMatching(/^the generated downgrade leaves constraint Item\.\S+ still there/) });
    expect(result.imported[4]!.unverified).toMatch(/fails on a replay of the history/);
    expect(readFileSync(result.imported[3]!.path, 'utf8')).toMatch(/dropForeignKey\('Part', 'Part_itemId_fkey'\)[\s\S]*alterColumn\('Item', 'id'[\s\S]*createForeignKey\('Part'/);
    // Planned from the history's own schema: the failed confirmation left nothing behind on the scratch database.
    const last = readFileSync(result.imported[5]!.path, 'utf8');
    expect(last).toContain(`await op.dropColumn('Item', 'note');`);
    expect(last).not.toContain('sku');
  }, 120_000);
});
