/**
 * Rename planning on plain models (no database): what the name maps imply,
 * how `--rename` is translated from Prisma names, and which drops + adds are
 * offered as candidates.
 */
import { describe, expect, it } from 'vitest';
import { columnCandidates, emptyPlan, mapRenames, planRenames, requestedRenames, tableCandidates, type RenameSources } from '../src/autogenerate/renames.ts';
import { applyAllToModel, compareModels, invertOperations } from '../src/autogenerate/index.ts';
import { ReviseError } from '../src/errors.ts';
import type { ColumnModel, DatabaseModel, TableModel } from '../src/model/types.ts';

const col = (name: string, type = 'TEXT', nullable = false): ColumnModel => ({ name, type, nullable });
const table = (name: string, columns: ColumnModel[]): TableModel => ({ name, columns, primaryKey: { columns: ['id'] }, indexes: [], foreignKeys: [] });
const db = (...tables: TableModel[]): DatabaseModel => ({ tables, enums: [] });

describe('name-map renames', () => {
  const current = db(table('Post', [col('id', 'INTEGER'), col('title')]));
  const target = db(table('posts', [col('id', 'INTEGER'), col('headline')]));
  const names = { Post: { table: 'posts', columns: { id: 'id', title: 'headline' } } };

  it('same Prisma name, new @@map / @map: renamed', () => {
    const plan = mapRenames({ current, target, names, recorded: { Post: { table: 'Post', columns: { id: 'id', title: 'title' } } } });
    expect(plan.tables).toEqual({ Post: 'posts' });
    expect(plan.columns).toEqual({ Post: { title: 'headline' } });
    expect([...plan.touched]).toEqual(['Post']);
  });

  it('nothing recorded, or a record the database contradicts: nothing renamed', () => {
    expect(mapRenames({ current, target, names }).tables).toEqual({});
    const stale = mapRenames({ current, target, names, recorded: { Post: { table: 'gone', columns: { title: 'missing' } } } });
    expect(stale.tables).toEqual({});
    expect(stale.columns).toEqual({});
  });
});

describe('--rename requests', () => {
  const src: RenameSources = {
    current: db(table('posts', [col('id', 'INTEGER'), col('head')])),
    target: db(table('articles', [col('id', 'INTEGER'), col('title_col')])),
    names: { Article: { table: 'articles', columns: { id: 'id', title: 'title_col' } } },
    recorded: { Post: { table: 'posts', columns: { id: 'id', heading: 'head' } } },
  };

  it('Prisma names go through the schema (new side) and the recorded names (old side)', () => {
    const plan = requestedRenames({ tables: { Post: 'Article' }, columns: { Article: { heading: 'title' } } }, { ...src, recorded: { ...src.recorded, Article: { table: 'posts', columns: { heading: 'head' } } } });
    expect(plan.tables).toEqual({ posts: 'articles' });
    expect(plan.columns).toEqual({ posts: { head: 'title_col' } });
  });

  it('database names still work (the old form)', () => {
    const plan = requestedRenames({ tables: { posts: 'articles' }, columns: { posts: { head: 'title_col' } } }, { ...src, recorded: undefined, names: {} });
    expect(plan).toMatchObject({ tables: { posts: 'articles' }, columns: { posts: { head: 'title_col' } } });
  });

  it('a name with nothing behind it in the database is an error, not a silent drop', () => {
    expect(() => requestedRenames({ tables: { Nope: 'Article' }, columns: {} }, src)).toThrow(ReviseError);
    expect(() => requestedRenames({ tables: {}, columns: { posts: { nope: 'x' } } }, src)).toThrow(/has no column for nope/);
  });
});

describe('candidates', () => {
  it('a dropped and an added table sharing most columns; a dropped and an added column of the same kind', () => {
    const current = db(table('Tag', [col('id', 'INTEGER'), col('name'), col('color')]), table('User', [col('id', 'INTEGER'), col('nick', 'TEXT', true), col('age', 'INTEGER')]));
    const target = db(table('Label', [col('id', 'INTEGER'), col('name'), col('color')]), table('User', [col('id', 'INTEGER'), col('alias', 'TEXT', true), col('years', 'TEXT')]));
    const src: RenameSources = { current, target, names: {} };
    const tables = tableCandidates(src, emptyPlan());
    expect(tables.map((c) => [c.from, c.to, c.flag])).toEqual([['Tag', 'Label', 'Tag=Label']]);
    // age INTEGER -> years TEXT differ in type: not offered.
    expect(columnCandidates(src, emptyPlan()).map((c) => c.flag)).toEqual(['User.nick=alias']);
  });

  it('ask decides; unanswered ones are returned for the warning', async () => {
    const current = db(table('User', [col('id', 'INTEGER'), col('a'), col('b', 'INTEGER')]));
    const target = db(table('User', [col('id', 'INTEGER'), col('x'), col('y', 'INTEGER')]));
    const asked: string[] = [];
    const { plan, unanswered } = await planRenames({ current, target, names: {} }, { tables: {}, columns: {} }, async (q) => {
      asked.push(q);
      return q.includes('User.a');
    });
    expect(asked).toEqual(['Was User.a renamed to User.x? [y/N] ', 'Was User.b renamed to User.y? [y/N] ']);
    expect(plan.columns).toEqual({ User: { a: 'x' } });
    expect(unanswered.map((c) => c.flag)).toEqual(['User.b=y']);
  });

  it('a "no" to the first pairing still offers the other ones, and no side is renamed twice', async () => {
    // title went away; headline and subtitle (same kind) came: either could be the rename.
    const current = db(table('Post', [col('id', 'INTEGER'), col('title'), col('body')]));
    const target = db(table('Post', [col('id', 'INTEGER'), col('headline'), col('subtitle'), col('text')]));
    const asked: string[] = [];
    const { plan, unanswered } = await planRenames({ current, target, names: {} }, { tables: {}, columns: {} }, async (q) => {
      asked.push(q);
      return q === 'Was Post.title renamed to Post.subtitle? [y/N] ' || q === 'Was Post.body renamed to Post.text? [y/N] ';
    });
    expect(asked).toEqual([
      'Was Post.title renamed to Post.headline? [y/N] ',
      'Was Post.title renamed to Post.subtitle? [y/N] ',
      // subtitle is taken now: body is offered headline and text only.
      'Was Post.body renamed to Post.headline? [y/N] ',
      'Was Post.body renamed to Post.text? [y/N] ',
    ]);
    expect(plan.columns).toEqual({ Post: { title: 'subtitle', body: 'text' } });
    expect(unanswered).toEqual([]);

    // Without a prompt: one warning per dropped column, each added column named at most once.
    const silent = await planRenames({ current, target, names: {} }, { tables: {}, columns: {} });
    expect(silent.unanswered.map((c) => c.flag)).toEqual(['Post.title=headline', 'Post.body=subtitle']);
    expect(silent.plan.columns).toEqual({});
  });
});

describe('implicit many-to-many join tables', () => {
  const idTable = (name: string, type = 'INTEGER') => table(name, [col('id', type), col('name')]);
  /** A join table as Prisma makes it: A and B typed like the ids they point at, with or without foreign keys. */
  const join = (name: string, a: string, b: string, options: { types?: [string, string]; foreignKeys?: boolean } = {}): TableModel => ({
    name,
    columns: [col('A', options.types?.[0] ?? 'INTEGER'), col('B', options.types?.[1] ?? 'INTEGER')],
    indexes: [
      { name: `${name}_AB_unique`, columns: [{ name: 'A' }, { name: 'B' }], unique: true },
      { name: `${name}_B_index`, columns: [{ name: 'B' }], unique: false },
    ],
    foreignKeys:
      options.foreignKeys === false
        ? []
        : [
            { name: `${name}_A_fkey`, columns: ['A'], referencedTable: a, referencedColumns: ['id'], onDelete: 'CASCADE', onUpdate: 'CASCADE' },
            { name: `${name}_B_fkey`, columns: ['B'], referencedTable: b, referencedColumns: ['id'], onDelete: 'CASCADE', onUpdate: 'CASCADE' },
          ],
  });
  const none = { tables: {}, columns: {} };
  // Role is renamed AppRole: _RoleToUser keeps its order, _PermissionToRole becomes _AppRoleToPermission (AppRole now sorts first).
  const current = db(idTable('Role'), idTable('User', 'TEXT'), idTable('Permission'), join('_RoleToUser', 'Role', 'User', { types: ['INTEGER', 'TEXT'] }), join('_PermissionToRole', 'Permission', 'Role'));
  const target = db(
    idTable('AppRole'),
    idTable('User', 'TEXT'),
    idTable('Permission'),
    join('_AppRoleToUser', 'AppRole', 'User', { types: ['INTEGER', 'TEXT'] }),
    join('_AppRoleToPermission', 'AppRole', 'Permission'),
  );

  it('follow a renamed model: renamed, and A and B traded where the order of the models flips', async () => {
    const { plan, unanswered } = await planRenames({ current, target, names: {} }, { tables: { Role: 'AppRole' }, columns: {} });
    expect(plan.tables).toEqual({ Role: 'AppRole', _RoleToUser: '_AppRoleToUser', _PermissionToRole: '_AppRoleToPermission' });
    expect(plan.columns).toEqual({ _PermissionToRole: { A: 'B', B: 'A' } });
    expect(plan.joinTables.map((j) => [j.name, j.to, j.swap])).toEqual([
      ['_RoleToUser', '_AppRoleToUser', false],
      ['_PermissionToRole', '_AppRoleToPermission', true],
    ]);
    expect(unanswered).toEqual([]);
  });

  it('are never rename candidates of their own; the model hint names the ones that would follow', async () => {
    expect(tableCandidates({ current, target, names: {} }, emptyPlan()).map((c) => [c.flag, c.follows])).toEqual([['Role=AppRole', ['_PermissionToRole', '_RoleToUser']]]);
    const asked: string[] = [];
    const { plan } = await planRenames({ current, target, names: {} }, none, async (q) => {
      asked.push(q);
      return true;
    });
    expect(asked).toEqual(['Was Role renamed to AppRole? [y/N] ']);
    expect(plan.tables).toEqual({ Role: 'AppRole', _RoleToUser: '_AppRoleToUser', _PermissionToRole: '_AppRoleToPermission' });
    // A "no": the model is dropped and created, its join tables with it (nothing paired, nothing asked about them).
    const declined = await planRenames({ current, target, names: {} }, none, async () => false);
    expect(declined.plan.tables).toEqual({});
    expect(declined.unanswered.map((c) => c.flag)).toEqual(['Role=AppRole']);
  });

  it('a renamed relation between the same two models is a rename; two at once are asked about, or named with --rename', async () => {
    const models = [idTable('Post'), idTable('User')];
    const renamed = await planRenames({ current: db(...models, join('_Likes', 'Post', 'User')), target: db(...models, join('_Hearts', 'Post', 'User')), names: {} }, none);
    expect(renamed.plan.tables).toEqual({ _Likes: '_Hearts' });
    expect(renamed.unanswered).toEqual([]);

    const src: RenameSources = {
      current: db(...models, join('_Likes', 'Post', 'User'), join('_Saves', 'Post', 'User')),
      target: db(...models, join('_Bookmarks', 'Post', 'User'), join('_Hearts', 'Post', 'User')),
      names: {},
    };
    const asked: string[] = [];
    const { plan } = await planRenames(src, none, async (q) => {
      asked.push(q);
      return q === 'Was _Likes renamed to _Hearts? [y/N] ' || q === 'Was _Saves renamed to _Bookmarks? [y/N] ';
    });
    expect(asked).toEqual(['Was _Likes renamed to _Bookmarks? [y/N] ', 'Was _Likes renamed to _Hearts? [y/N] ', 'Was _Saves renamed to _Bookmarks? [y/N] ']);
    expect(plan.tables).toEqual({ _Likes: '_Hearts', _Saves: '_Bookmarks' });
    const silent = await planRenames(src, none);
    expect(silent.plan.tables).toEqual({});
    expect(silent.unanswered.map((c) => [c.kind, c.flag])).toEqual([
      ['joinTable', '_Likes=_Bookmarks'],
      ['joinTable', '_Saves=_Hearts'],
    ]);
    // One named: the other two are the only ones left joining Post and User.
    expect((await planRenames(src, { tables: { _Likes: '_Hearts' }, columns: {} })).plan.tables).toEqual({ _Likes: '_Hearts', _Saves: '_Bookmarks' });
  });

  it('a self-relation follows its model without trading anything', async () => {
    const { plan } = await planRenames(
      { current: db(idTable('Person'), join('_Follows', 'Person', 'Person')), target: db(idTable('Member'), join('_Fans', 'Member', 'Member')), names: {} },
      { tables: { Person: 'Member' }, columns: {} },
    );
    expect(plan.tables).toEqual({ Person: 'Member', _Follows: '_Fans' });
    expect(plan.columns).toEqual({});
  });

  it('left alone: a same-name table that joins other tables now, and join tables without foreign keys', async () => {
    // Post was dropped and Article created (not a rename): _Likes is compared as it is, as Prisma would.
    const other = await planRenames(
      { current: db(idTable('Post'), idTable('User'), join('_Likes', 'Post', 'User')), target: db(idTable('Article'), idTable('User'), join('_Likes', 'Article', 'User')), names: {} },
      none,
      async () => false,
    );
    expect(other.plan.tables).toEqual({});
    expect(other.plan.columns).toEqual({});
    // relationMode = "prisma": nothing tells which models the live table joins.
    const emulated = await planRenames(
      {
        current: db(idTable('Role'), idTable('User'), join('_RoleToUser', 'Role', 'User', { foreignKeys: false })),
        target: db(idTable('AppRole'), idTable('User'), join('_AppRoleToUser', 'AppRole', 'User', { foreignKeys: false })),
        names: {},
      },
      { tables: { Role: 'AppRole' }, columns: {} },
    );
    expect(emulated.plan.tables).toEqual({ Role: 'AppRole' });
    expect(emulated.unanswered).toEqual([]);
    expect(emulated.warnings).toEqual([
      'join table _RoleToUser has no foreign keys (relationMode = "prisma"), so revise cannot tell which models it joins; it is dropped and created empty: if it was renamed with its models, re-run with --rename _RoleToUser=_AppRoleToUser (its columns A and B stay where they are)',
    ]);
    // Kept under its name (a named relation): it may need A and B traded.
    const kept = await planRenames(
      {
        current: db(idTable('Role'), idTable('User'), join('_Members', 'Role', 'User', { foreignKeys: false })),
        target: db(idTable('Role'), idTable('Account'), join('_Members', 'Account', 'Role', { foreignKeys: false })),
        names: {},
      },
      { tables: { User: 'Account' }, columns: {} },
    );
    expect(kept.warnings).toEqual([
      'join table _Members has no foreign keys (relationMode = "prisma"), so revise cannot tell which models it joins: if a renamed model changed which of its models sorts first, its columns A and B must trade places (rename them by hand, through a temporary name)',
    ]);
    // No model renamed: nothing to say.
    expect((await planRenames({ current: db(idTable('Role'), join('_Members', 'Role', 'Role', { foreignKeys: false })), target: db(idTable('Role'), join('_Members', 'Role', 'Role', { foreignKeys: false })), names: {} }, none)).warnings).toEqual([]);
    // Named with --rename, it is renamed as it is (nothing can tell whether A and B should trade places).
    const named = await planRenames(
      { current: db(idTable('Role'), join('_RoleToUser', 'Role', 'User', { foreignKeys: false })), target: db(idTable('AppRole'), join('_AppRoleToUser', 'AppRole', 'User', { foreignKeys: false })), names: {} },
      { tables: { Role: 'AppRole', _RoleToUser: '_AppRoleToUser' }, columns: {} },
    );
    expect(named.plan.tables).toEqual({ Role: 'AppRole', _RoleToUser: '_AppRoleToUser' });
    expect(named.plan.columns).toEqual({});
    expect(named.warnings).toEqual([]);
  });

  it('multiSchema: a join table whose model A changes moves to that model\'s schema first', async () => {
    const inSchema = (schema: string, t: TableModel): TableModel => ({ ...t, schema, foreignKeys: t.foreignKeys.map((f) => ({ ...f, referencedSchema: f.referencedTable === 'Team' || f.referencedTable === 'Crew' ? 'audit' : 'base' })) });
    const { plan } = await planRenames(
      {
        current: db(inSchema('audit', idTable('Team')), inSchema('base', idTable('User')), inSchema('audit', join('_TeamToUser', 'Team', 'User'))),
        target: db(inSchema('audit', idTable('Team')), inSchema('base', idTable('Account')), inSchema('base', join('_AccountToTeam', 'Account', 'Team'))),
        names: {},
      },
      { tables: { 'base.User': 'Account' }, columns: {} },
    );
    expect(plan.moves).toEqual({ 'audit._TeamToUser': 'base' });
    // Keyed by where the table is once moved.
    expect(plan.tables).toEqual({ 'base.User': 'Account', 'base._TeamToUser': '_AccountToTeam' });
    expect(plan.columns).toEqual({ 'base._TeamToUser': { A: 'B', B: 'A' } });
  });

  it('a model renamed in Prisma that keeps its @@map: its join table follows, nothing asked', async () => {
    const asked: string[] = [];
    const { plan } = await planRenames(
      { current: db(idTable('roles'), idTable('User'), join('_RoleToUser', 'roles', 'User')), target: db(idTable('roles'), idTable('User'), join('_AppRoleToUser', 'roles', 'User')), names: {} },
      none,
      async (q) => {
        asked.push(q);
        return false;
      },
    );
    expect(asked).toEqual([]);
    expect(plan.tables).toEqual({ _RoleToUser: '_AppRoleToUser' });
  });
});

describe('column renames meant all at once', () => {
  it('a swap goes through a free temporary name; the downgrade inverts it step by step', () => {
    const current = db(table('T', [col('id', 'INTEGER'), col('a', 'INTEGER'), col('b'), col('revise_tmp')]));
    const target = db(table('T', [col('id', 'INTEGER'), col('b', 'INTEGER'), col('a'), col('revise_tmp')]));
    const ops = compareModels(current, target, { preferBatch: false, renames: { columns: { T: { a: 'b', b: 'a' } } } });
    expect(ops.map((o) => (o.kind === 'renameColumn' ? `${o.from}->${o.to}` : o.kind))).toEqual(['a->revise_tmp_2', 'b->a', 'revise_tmp_2->b']);
    expect(applyAllToModel(current, ops)).toEqual(target);
    expect(applyAllToModel(target, invertOperations(ops))).toEqual(current);
  });
});
