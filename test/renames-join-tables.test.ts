/**
 * Implicit many-to-many join tables through renames, on real SQLite and
 * PostgreSQL databases, with the built CLI (stdin closed) and the prompt
 * through the action API: a join table follows a renamed model or relation
 * with every link, its A and B trade places when the order of its models
 * flips (their types with them), the downgrade brings back the old names and
 * rows exactly, and Prisma's own engine finds nothing to change either way.
 * Under multiSchema a join table that changes its model A moves to A's schema.
 */
import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autogenerate } from '../src/actions/revision.ts';
import type { DatabaseModel } from '../src/model/types.ts';
import { describeRun, generatedFile, introspect, makeProject, rawTables, withDb, type CliResult, type E2EProject, type Provider } from './support/e2e.ts';
import { describeOnEachProvider } from './support/each-provider.ts';
import { createTempDatabase, pgAvailable, type TempDatabase } from './support/postgres.ts';
import { expectNoDrift } from './support/prisma-oracle.ts';

const available = await pgAvailable();

/** The model and relation names of one version of the schema. */
interface Names {
  role: string;
  user: string;
  perm: string;
  person: string;
  /** The self-relation's name. */
  follows: string;
  /** Relation name of role <-> permission; default `{A}To{B}`. */
  grants?: string;
  userMap?: string;
  userIdMap?: string;
}

function schema(n: Names): string {
  const grants = n.grants ? ` @relation("${n.grants}")` : '';
  return `
model ${n.role} {
  id    Int    @id
  name  String
  users ${n.user}[]
  perms ${n.perm}[]${grants}
}

model ${n.user} {
  id    String @id${n.userIdMap ? ` @map("${n.userIdMap}")` : ''}
  email String
  roles ${n.role}[]${n.userMap ? `\n\n  @@map("${n.userMap}")` : ''}
}

model ${n.perm} {
  id    Int    @id
  code  String
  roles ${n.role}[]${grants}
}

model ${n.person} {
  id        Int    @id
  name      String
  followers ${n.person}[] @relation("${n.follows}")
  following ${n.person}[] @relation("${n.follows}")
}
`;
}

// The links, by meaning; ids overlap (roles 1-2, permissions 1-3) so A and B mixed up would still pass a foreign key check.
const ROLE_USER: Array<[number, string]> = [
  [1, 'u1'],
  [2, 'u1'],
  [2, 'u2'],
];
const ROLE_PERM: Array<[number, number]> = [
  [1, 1],
  [1, 2],
  [2, 3],
];
/** Stored as (A, B): a self-relation's columns both point at the same model, so no rename moves them. */
const FOLLOWS: Array<[number, number]> = [
  [1, 2],
  [1, 3],
  [3, 2],
];

/** Prisma's join table name and its rows for one relation: A holds the id of the model whose name sorts first. */
function joinRows<X, Y>(x: string, y: string, links: Array<[X, Y]>, relation?: string): { table: string; rows: string[][] } {
  const xFirst = x <= y;
  const rows = links.map(([a, b]) => (xFirst ? [String(a), String(b)] : [String(b), String(a)])).sort();
  return { table: `_${relation ?? (xFirst ? `${x}To${y}` : `${y}To${x}`)}`, rows };
}

function expectedJoins(n: Names): Array<{ table: string; rows: string[][] }> {
  return [
    joinRows(n.role, n.user, ROLE_USER),
    joinRows(n.role, n.perm, ROLE_PERM, n.grants),
    { table: `_${n.follows}`, rows: FOLLOWS.map(([a, b]) => [String(a), String(b)]).sort() },
  ];
}

/** Indexes and foreign keys in name order: SQLite lists them in the order they were last created. */
function normalised(model: DatabaseModel): DatabaseModel {
  const byName = <T extends { name: string }>(xs: T[]) => [...xs].sort((a, b) => a.name.localeCompare(b.name));
  return { ...model, tables: byName(model.tables).map((t) => ({ ...t, indexes: byName(t.indexes), foreignKeys: byName(t.foreignKeys) })) };
}

function ok(run: CliResult): CliResult {
  expect(run.status, describeRun(run)).toBe(0);
  return run;
}

function defineScenario(provider: Provider, project: () => E2EProject) {
  const text = (run: CliResult) => readFileSync(generatedFile(run)!, 'utf8');
  let names: Names = { role: 'Role', user: 'User', perm: 'Permission', person: 'Person', follows: 'Follows' };

  /** Every join table holds exactly its links, and no other join table is left. */
  async function expectLinks(n: Names): Promise<void> {
    const joins = expectedJoins(n);
    const tables = (await rawTables(provider, project().url)).filter((t) => t.startsWith('_') && !t.startsWith('_prisma'));
    expect(tables.sort()).toEqual(joins.map((j) => j.table).sort());
    await withDb(provider, project().url, async (db) => {
      for (const j of joins) {
        const rows = await db.query<{ A: unknown; B: unknown }>(`SELECT "A", "B" FROM "${j.table}"`);
        expect(rows.map((r) => [String(r.A), String(r.B)]).sort(), j.table).toEqual(j.rows);
      }
    });
  }

  /**
   * The revision just written takes the database from `names` to `next`: up
   * (links kept, Prisma clean, nothing left to generate), down (the old
   * database exactly, links included, Prisma clean for the old schema), up again.
   */
  async function roundTrip(next: Names): Promise<void> {
    const before = normalised(await introspect(provider, project().url));
    const oldSchema = schema(names);
    ok(project().cli(['upgrade', 'head']));
    await expectLinks(next);
    await expectNoDrift({ schemaText: project().schemaText(), url: project().url });
    expect(ok(project().cli(['check'])).stdout).toContain('No new upgrade operations detected.');

    ok(project().cli(['downgrade', '-1']));
    await expectLinks(names);
    expect(normalised(await introspect(provider, project().url))).toEqual(before);
    await expectNoDrift({ schemaText: project().schemaText().replace(schema(next).trim(), oldSchema.trim()), url: project().url });

    ok(project().cli(['upgrade', 'head']));
    await expectLinks(next);
    names = next;
  }

  /** Join tables are renamed, never created or dropped. */
  function expectNoJoinTableRebuilt(file: string): void {
    expect(file).not.toMatch(/createTable\(\{\s*name: '_|dropTable\('_/);
    expect(file).not.toContain('was dropped');
  }

  it('starts with two m2m relations, a self-relation and links in all of them', async () => {
    project().writeSchema(schema(names));
    ok(project().cli(['autogenerate', '-m', 'init']));
    ok(project().cli(['upgrade', 'head']));
    await withDb(provider, project().url, async (db) => {
      await db.exec(`INSERT INTO "Role" ("id", "name") VALUES (1, 'admin'), (2, 'editor')`);
      await db.exec(`INSERT INTO "User" ("id", "email") VALUES ('u1', 'a@x.io'), ('u2', 'b@x.io')`);
      await db.exec(`INSERT INTO "Permission" ("id", "code") VALUES (1, 'read'), (2, 'write'), (3, 'delete')`);
      await db.exec(`INSERT INTO "Person" ("id", "name") VALUES (1, 'ann'), (2, 'bob'), (3, 'cy')`);
      for (const [role, user] of ROLE_USER) await db.query('INSERT INTO "_RoleToUser" ("A", "B") VALUES (?, ?)', [role, user]);
      for (const [role, perm] of ROLE_PERM) await db.query('INSERT INTO "_PermissionToRole" ("A", "B") VALUES (?, ?)', [perm, role]);
      for (const [a, b] of FOLLOWS) await db.query('INSERT INTO "_Follows" ("A", "B") VALUES (?, ?)', [a, b]);
    });
    await expectLinks(names);
  });

  it('a model renamed in Prisma only: one hint, for the model, naming the join tables that follow it', async () => {
    const next = { ...names, role: 'AppRole' };
    project().writeSchema(schema(next));
    const guess = ok(project().cli(['autogenerate', '-m', 'guess']));
    const hint = 'Role was dropped and AppRole added: if this was a rename, re-run with --rename Role=AppRole (its join tables _PermissionToRole, _RoleToUser follow it)';
    expect(guess.stderr).toContain(`WARN  [revise.autogenerate.compare] ${hint}`);
    expect(text(guess)).toContain(`// WARNING: ${hint}`);
    // Join tables are never offered as renames of their own (it used to suggest _PermissionToRole=_AppRoleToUser).
    expect(guess.stderr).not.toMatch(/_\w+ was dropped and _\w+ added|--rename _/);
    rmSync(generatedFile(guess)!);
  });

  it('--rename Role=AppRole: both join tables follow; the one whose models change order trades A and B', async () => {
    const next = { ...names, role: 'AppRole' };
    const gen = ok(project().cli(['autogenerate', '-m', 'app role', '--rename', 'Role=AppRole']));
    const file = text(gen);
    expect(file).toContain("await op.renameTable('_RoleToUser', '_AppRoleToUser');");
    expect(file).toContain("await op.renameTable('_PermissionToRole', '_AppRoleToPermission');");
    expect(file).toContain(
      '// NOTE: join table "_PermissionToRole" becomes "_AppRoleToPermission"; its columns A and B trade places (A points at the model whose name sorts first); every row is kept.',
    );
    expect(file).toMatch(/renameColumn\((?:'_AppRoleToPermission', )?'A', 'revise_tmp'\);[\s\S]*renameColumn\((?:'_AppRoleToPermission', )?'B', 'A'\);[\s\S]*renameColumn\((?:'_AppRoleToPermission', )?'revise_tmp', 'B'\);/);
    // Only _AppRoleToPermission's columns move (three renames each way); _AppRoleToUser keeps its order.
    expect(file.match(/renameColumn\(/g)).toHaveLength(6);
    expect(file).toContain("'_AppRoleToUser_A_fkey'");
    expect(file).toContain(provider === 'postgresql' ? "'_AppRoleToUser_AB_pkey'" : "'_AppRoleToUser_AB_unique'");
    expect(file).toContain("'_AppRoleToPermission_B_index'");
    expectNoJoinTableRebuilt(file);
    await roundTrip(next);
  });

  it('the prompt: a "yes" to the model rename carries its join table, A and B (and their types) trading places', async () => {
    const next = { ...names, user: 'Account' };
    project().writeSchema(schema(next));
    const asked: string[] = [];
    const result = await autogenerate({
      cwd: project().dir,
      url: project().url,
      message: 'account',
      ask: async (question) => {
        asked.push(question);
        return true;
      },
      out: () => undefined,
      log: () => undefined,
    });
    expect(asked).toEqual(['Was User renamed to Account? [y/N] ']);
    const file = readFileSync(result.path!, 'utf8');
    expect(file).toContain("await op.renameTable('_AppRoleToUser', '_AccountToAppRole');");
    expect(file).toContain('// NOTE: join table "_AppRoleToUser" becomes "_AccountToAppRole"; its columns A and B trade places');
    expectNoJoinTableRebuilt(file);
    await roundTrip(next);
    // A now points at Account, whose id is a String: the column's type came with it.
    const join = (await introspect(provider, project().url)).tables.find((t) => t.name === '_AccountToAppRole')!;
    expect(join.columns.find((c) => c.name === 'A')!.type).toBe('TEXT');
    expect(join.columns.find((c) => c.name === 'B')!.type).toBe('INTEGER');
  });

  it('a relation renamed on both sides (@relation("Grants")) is a rename of its join table, without asking', async () => {
    const next = { ...names, grants: 'Grants' };
    project().writeSchema(schema(next));
    const gen = ok(project().cli(['autogenerate', '-m', 'grants']));
    const file = text(gen);
    expect(file).toContain("await op.renameTable('_AppRoleToPermission', '_Grants');");
    expect(file).not.toMatch(/renameColumn|WARNING: .*was dropped|NOTE: join table/);
    expectNoJoinTableRebuilt(file);
    await roundTrip(next);
  });

  it('a named relation keeps its table when a model is renamed, but A and B trade places when the order flips', async () => {
    const next = { ...names, perm: 'Ability' };
    project().writeSchema(schema(next));
    const gen = ok(project().cli(['autogenerate', '-m', 'ability', '--rename', 'Permission=Ability']));
    const file = text(gen);
    expect(file).toContain('// NOTE: join table "_Grants"; its columns A and B trade places');
    expect(file).not.toMatch(/renameTable\('_Grants'/);
    expectNoJoinTableRebuilt(file);
    await roundTrip(next);
  });

  it('a self-relation: the model and the relation renamed together (_Follows -> _Fans), rows as they were', async () => {
    const next = { ...names, person: 'Member', follows: 'Fans' };
    project().writeSchema(schema(next));
    const gen = ok(project().cli(['autogenerate', '-m', 'members', '--rename', 'Person=Member']));
    const file = text(gen);
    expect(file).toContain("await op.renameTable('Person', 'Member');");
    expect(file).toContain("await op.renameTable('_Follows', '_Fans');");
    // Both columns point at the same model: nothing trades places.
    expect(file).not.toMatch(/renameColumn|NOTE: join table/);
    expectNoJoinTableRebuilt(file);
    await roundTrip(next);
  });

  it('@@map on a model in an m2m relation: its join table keeps name and rows, its foreign key follows', async () => {
    const next = { ...names, userMap: 'accounts' };
    project().writeSchema(schema(next));
    const gen = ok(project().cli(['autogenerate', '-m', 'accounts']));
    const file = text(gen);
    expect(file).toContain("await op.renameTable('Account', 'accounts');");
    expect(file).not.toMatch(/renameTable\('_/);
    expectNoJoinTableRebuilt(file);
    await roundTrip(next);
  });

  it('@map on the @id column a join table points at: a column rename the join table follows', async () => {
    const next = { ...names, userIdMap: 'account_id' };
    project().writeSchema(schema(next));
    const gen = ok(project().cli(['autogenerate', '-m', 'account id']));
    const file = text(gen);
    expect(file).toMatch(/renameColumn\((?:'accounts', )?'id', 'account_id'\)/);
    expectNoJoinTableRebuilt(file);
    await roundTrip(next);
    const join = (await introspect(provider, project().url)).tables.find((t) => t.name === '_AccountToAppRole')!;
    expect(join.foreignKeys.find((f) => f.columns[0] === 'A')).toMatchObject({ referencedTable: 'accounts', referencedColumns: ['account_id'] });
  });
}

describeOnEachProvider((db) => `join tables through renames on ${db}`, defineScenario);

describe.skipIf(!available)('join tables through renames on PostgreSQL with multiSchema', () => {
  // The join table lives in the schema of its model A: Team (audit) first, then Account (base) once User is renamed.
  const schemas = ['audit', 'base'];
  const models = (team: string, user: string) => `
model ${team} {
  id    Int    @id
  users ${user}[]

  @@schema("audit")
}

model ${user} {
  id    Int    @id
  teams ${team}[]

  @@schema("base")
}
`;
  // (team, user), with overlapping ids.
  const LINKS: Array<[number, number]> = [
    [1, 2],
    [2, 2],
    [2, 1],
  ];
  let project: E2EProject;
  let db: TempDatabase;
  beforeAll(async () => {
    db = await createTempDatabase();
    project = makeProject({ provider: 'postgresql', url: db.url, datasourceExtra: 'schemas = ["base", "audit"]' });
    project.writeSchema(models('Team', 'User'));
    ok(project.cli(['autogenerate', '-m', 'init']));
    ok(project.cli(['upgrade', 'head']));
    await withDb('postgresql', project.url, async (c) => {
      await c.exec('INSERT INTO "audit"."Team" ("id") VALUES (1), (2); INSERT INTO "base"."User" ("id") VALUES (1), (2);');
      for (const [team, user] of LINKS) await c.query('INSERT INTO "audit"."_TeamToUser" ("A", "B") VALUES (?, ?)', [team, user]);
    });
  }, 180_000);
  afterAll(async () => {
    project?.cleanup();
    await db?.drop();
  });

  async function expectLinks(table: string, teamFirst: boolean): Promise<void> {
    const joins = (await rawTables('postgresql', project.url, schemas)).filter((t) => t.split('.')[1]!.startsWith('_'));
    expect(joins).toEqual([table]);
    const rows = await withDb('postgresql', project.url, (c) => c.query<{ A: number; B: number }>(`SELECT "A", "B" FROM ${table.split('.').map((p) => `"${p}"`).join('.')}`));
    const expected = LINKS.map(([team, user]) => (teamFirst ? [team, user] : [user, team])).sort();
    expect(rows.map((r) => [r.A, r.B]).sort()).toEqual(expected);
  }

  async function roundTrip(from: { table: string; teamFirst: boolean }, to: { table: string; teamFirst: boolean }): Promise<void> {
    const before = normalised(await introspect('postgresql', project.url, schemas));
    ok(project.cli(['upgrade', 'head']));
    await expectLinks(to.table, to.teamFirst);
    await expectNoDrift({ schemaText: project.schemaText(), url: project.url });
    expect(ok(project.cli(['check'])).stdout).toContain('No new upgrade operations detected.');
    ok(project.cli(['downgrade', '-1']));
    await expectLinks(from.table, from.teamFirst);
    expect(normalised(await introspect('postgresql', project.url, schemas))).toEqual(before);
    ok(project.cli(['upgrade', 'head']));
  }

  it('a rename that keeps model A: the join table is renamed in its schema', async () => {
    project.writeSchema(models('Crew', 'User'));
    const file = readFileSync(generatedFile(ok(project.cli(['autogenerate', '-m', 'crew', '--rename', 'Team=Crew'])))!, 'utf8');
    expect(file).toContain("await op.renameTable({ schema: 'audit', name: '_TeamToUser' }, '_CrewToUser');");
    expect(file).not.toMatch(/SET SCHEMA|createTable|dropTable/);
    await roundTrip({ table: 'audit._TeamToUser', teamFirst: true }, { table: 'audit._CrewToUser', teamFirst: true });
  });

  it('a rename that makes the other model A: the join table moves to its schema, A and B trade places', async () => {
    project.writeSchema(models('Crew', 'Account'));
    const file = readFileSync(generatedFile(ok(project.cli(['autogenerate', '-m', 'account', '--rename', 'User=Account'])))!, 'utf8');
    expect(file).toContain(`await op.execute('ALTER TABLE "audit"."_CrewToUser" SET SCHEMA "base"');`);
    expect(file).toContain(`await op.execute('ALTER TABLE "base"."_CrewToUser" SET SCHEMA "audit"');`);
    expect(file).toContain("await op.renameTable({ schema: 'base', name: '_CrewToUser' }, '_AccountToCrew');");
    expect(file).toContain(
      '// NOTE: join table "_CrewToUser" moves to schema "base" (the schema of its model A) and becomes "_AccountToCrew"; its columns A and B trade places',
    );
    expect(file).not.toMatch(/createTable|dropTable/);
    await roundTrip({ table: 'audit._CrewToUser', teamFirst: true }, { table: 'base._AccountToCrew', teamFirst: false });
  });
});

describe('join tables without foreign keys (relationMode = "prisma", SQLite)', () => {
  const models = (role: string) => `
model ${role} {
  id    Int    @id
  users User[]
}

model User {
  id    Int    @id
  roles ${role}[]
}
`;
  let project: E2EProject;
  beforeAll(async () => {
    project = makeProject({ provider: 'sqlite', datasourceExtra: 'relationMode = "prisma"' });
    project.writeSchema(models('Role'));
    ok(project.cli(['autogenerate', '-m', 'init']));
    ok(project.cli(['upgrade', 'head']));
    await withDb('sqlite', project.url, (c) => c.exec('INSERT INTO "Role" ("id") VALUES (1), (2); INSERT INTO "User" ("id") VALUES (1); INSERT INTO "_RoleToUser" ("A", "B") VALUES (1, 1), (2, 1);'));
  }, 180_000);
  afterAll(() => project?.cleanup());

  it('are not followed, and say so; --rename _Old=_New keeps their rows', async () => {
    project.writeSchema(models('AppRole'));
    const guess = ok(project.cli(['autogenerate', '-m', 'guess', '--rename', 'Role=AppRole']));
    const warning =
      'join table _RoleToUser has no foreign keys (relationMode = "prisma"), so revise cannot tell which models it joins; it is dropped and created empty: if it was renamed with its models, re-run with --rename _RoleToUser=_AppRoleToUser';
    expect(guess.stderr).toContain(`WARN  [revise.autogenerate.compare] ${warning}`);
    expect(readFileSync(generatedFile(guess)!, 'utf8')).toContain(`// WARNING: ${warning}`);
    rmSync(generatedFile(guess)!);

    const gen = ok(project.cli(['autogenerate', '-m', 'app role', '--rename', 'Role=AppRole', '--rename', '_RoleToUser=_AppRoleToUser']));
    const file = readFileSync(generatedFile(gen)!, 'utf8');
    expect(file).toContain("await op.renameTable('_RoleToUser', '_AppRoleToUser');");
    expect(file).not.toMatch(/createTable|dropTable|has no foreign keys/);
    ok(project.cli(['upgrade', 'head']));
    expect(await withDb('sqlite', project.url, (c) => c.query('SELECT "A", "B" FROM "_AppRoleToUser" ORDER BY "A"'))).toEqual([
      { A: 1, B: 1 },
      { A: 2, B: 1 },
    ]);
    await expectNoDrift({ schemaText: project.schemaText(), url: project.url });
    ok(project.cli(['downgrade', '-1']));
    expect(await withDb('sqlite', project.url, (c) => c.query('SELECT "A", "B" FROM "_RoleToUser" ORDER BY "A"'))).toEqual([
      { A: 1, B: 1 },
      { A: 2, B: 1 },
    ]);
  });
});
