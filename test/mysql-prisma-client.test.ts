/**
 * The other side of "a database revise builds is the one Prisma expects":
 * Prisma Client 7.10 with `@prisma/adapter-mariadb` writes and reads every
 * scalar type, an enum, a one-to-many relation with a cascade and an implicit
 * many-to-many on a MariaDB database built by `revise autogenerate` +
 * `upgrade head`. The client is generated offline (`prisma generate` with
 * PRISMA_SCHEMA_ENGINE_BINARY=/bin/true). Skipped loudly without a server.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeRun, makeProject, REPO_ROOT, type E2EProject } from './support/e2e.ts';
import { createTempMysqlDatabase, mysqlAvailable, type TempMysqlDatabase } from './support/mysql.ts';

const available = await mysqlAvailable();
const output = join(REPO_ROOT, 'node_modules', '.cache', 'revise-tests', `mysql-client-${randomBytes(4).toString('hex')}`);

const MODELS = `
enum Level {
  LOW
  MEDIUM
  HIGH
}

model Owner {
  id     Int     @id @default(autoincrement())
  email  String  @unique
  things Thing[]
  tags   Tag[]
}

model Thing {
  id        String   @id @default(uuid())
  name      String
  note      String?  @db.Text
  count     Int      @default(0)
  big       BigInt
  ratio     Float
  price     Decimal  @db.Decimal(10, 2)
  exact     Decimal
  flag      Boolean  @default(false)
  at        DateTime @default(now())
  day       DateTime @db.Date
  data      Json
  blob      Bytes
  level     Level    @default(MEDIUM)
  tiny      Int      @db.TinyInt
  uns       Int      @db.UnsignedInt
  ownerId   Int
  owner     Owner    @relation(fields: [ownerId], references: [id], onDelete: Cascade)
  updatedAt DateTime @updatedAt

  @@index([ownerId, at])
}

model Tag {
  id     Int     @id @default(autoincrement())
  label  String  @unique
  owners Owner[]
}
`;

describe.skipIf(!available)('Prisma Client (adapter-mariadb) on a database revise built', () => {
  let db: TempMysqlDatabase;
  let project: E2EProject;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let prisma: any;

  beforeAll(async () => {
    db = await createTempMysqlDatabase();
    project = makeProject({ provider: 'mysql', url: db.url });
    project.writeSchema(MODELS);
    const gen = project.cli(['autogenerate', '-m', 'models']);
    expect(gen.status, describeRun(gen)).toBe(0);
    const up = project.cli(['upgrade', 'head']);
    expect(up.status, describeRun(up)).toBe(0);

    // Prisma's own generator, offline: the schema revise read, with a client generator added.
    mkdirSync(output, { recursive: true });
    const schema = join(project.dir, 'prisma', 'client.prisma');
    writeFileSync(schema, `generator client {\n  provider = "prisma-client"\n  output   = "${output}"\n  moduleFormat = "esm"\n}\n\n${project.schemaText()}`);
    execFileSync(process.execPath, [join(REPO_ROOT, 'node_modules', 'prisma', 'build', 'index.js'), 'generate', '--schema', schema], {
      cwd: project.dir,
      env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: '/bin/true', PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' },
      stdio: 'pipe',
    });
    const { PrismaClient } = await import(join(output, 'client.ts'));
    const { PrismaMariaDb } = await import('@prisma/adapter-mariadb');
    const url = new URL(db.url);
    const adapter = new PrismaMariaDb({ host: url.hostname, port: Number(url.port || 3306), user: url.username || 'root', database: db.name, connectionLimit: 2 });
    prisma = new PrismaClient({ adapter });
  }, 180_000);

  afterAll(async () => {
    await prisma?.$disconnect();
    project?.cleanup();
    await db?.drop();
    rmSync(output, { recursive: true, force: true });
  });

  it('writes and reads every scalar type, the enum and both relations', async () => {
    const blob = Buffer.from([0, 1, 2, 253, 254, 255]);
    const owner = await prisma.owner.create({
      data: {
        email: 'ann@example.com',
        tags: { create: [{ label: 'red' }, { label: 'blue' }] },
        things: {
          create: {
            name: 'widget',
            note: 'long '.repeat(100),
            big: 9007199254740993n,
            ratio: 0.125,
            price: '1234.56',
            exact: '0.000000000000000000000000000001',
            flag: true,
            day: new Date('2024-02-29T00:00:00.000Z'),
            data: { nested: { list: [1, 'two', null] } },
            blob,
            level: 'HIGH',
            tiny: -128,
            uns: 4294967295,
          },
        },
      },
    });
    const read = await prisma.owner.findUniqueOrThrow({ where: { id: owner.id }, include: { things: true, tags: { orderBy: { label: 'asc' } } } });
    expect(read.tags.map((t: { label: string }) => t.label)).toEqual(['blue', 'red']);
    const thing = read.things[0];
    expect(thing).toMatchObject({
      name: 'widget',
      note: 'long '.repeat(100),
      count: 0,
      big: 9007199254740993n,
      ratio: 0.125,
      flag: true,
      data: { nested: { list: [1, 'two', null] } },
      level: 'HIGH',
      tiny: -128,
      uns: 4294967295,
      ownerId: owner.id,
    });
    expect(thing.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(thing.price.toString()).toBe('1234.56');
    expect(thing.exact.toString()).toBe('1e-30');
    expect(thing.day.toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(Buffer.from(thing.blob)).toEqual(blob);
    expect(Math.abs(thing.at.getTime() - Date.now())).toBeLessThan(60_000);
    expect(thing.updatedAt).toBeInstanceOf(Date);

    // Defaults from the database (count, flag, level) and an enum update.
    const plain = await prisma.thing.create({
      data: { name: 'plain', big: 1n, ratio: 1, price: 1, exact: 1, day: new Date('2024-01-01'), data: [], blob: Buffer.alloc(0), tiny: 1, uns: 0, ownerId: owner.id },
    });
    expect(plain).toMatchObject({ count: 0, flag: false, level: 'MEDIUM' });
    expect((await prisma.thing.update({ where: { id: plain.id }, data: { level: 'LOW' } })).level).toBe('LOW');
    expect(await prisma.thing.count({ where: { level: { in: ['LOW', 'HIGH'] } } })).toBe(2);

    // The implicit many-to-many, from the other side; then the cascade.
    expect((await prisma.tag.findUniqueOrThrow({ where: { label: 'red' }, include: { owners: true } })).owners.map((o: { id: number }) => o.id)).toEqual([owner.id]);
    await prisma.owner.delete({ where: { id: owner.id } });
    expect(await prisma.thing.count()).toBe(0);
  });
});
