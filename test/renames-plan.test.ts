/**
 * Rename planning on plain models (no database): what the name maps imply,
 * how `--rename` is translated from Prisma names, and which drops + adds are
 * offered as candidates.
 */
import { describe, expect, it } from 'vitest';
import { columnCandidates, emptyPlan, mapRenames, planRenames, requestedRenames, tableCandidates, type RenameSources } from '../src/autogenerate/renames.ts';
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
