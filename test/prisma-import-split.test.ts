import { describe, expect, it } from 'vitest';
import { splitStatements } from '../src/prisma-import/split.ts';
import { renamesIn, unmodelledStatement } from '../src/prisma-import/statements.ts';

describe('splitStatements', () => {
  it('cuts at top-level semicolons only', () => {
    const script = [
      '-- CreateTable; not the end',
      'CREATE TABLE "a;b" ("x" TEXT DEFAULT \'1;2\');',
      "INSERT INTO t VALUES (E'it\\'s; fine');",
      '/* outer /* nested; */ still comment; */ SELECT 1;',
      'CREATE FUNCTION f() RETURNS trigger AS $body$ BEGIN NEW.x := 1; RETURN NEW; END; $body$ LANGUAGE plpgsql;',
      'CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END;',
      'CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET x = 1; DELETE FROM u; END;',
      'SELECT $$;$$;',
      '-- only a comment at the end;',
    ].join('\n');
    const parts = splitStatements(script);
    expect(parts).toHaveLength(7);
    expect(parts[0]).toBe('-- CreateTable; not the end\nCREATE TABLE "a;b" ("x" TEXT DEFAULT \'1;2\');');
    expect(parts[1]).toBe("INSERT INTO t VALUES (E'it\\'s; fine');");
    expect(parts[2]).toBe('/* outer /* nested; */ still comment; */ SELECT 1;');
    expect(parts[3]).toMatch(/^CREATE FUNCTION f\(\)[\s\S]*plpgsql;$/);
    expect(parts[4]).toMatch(/^CREATE FUNCTION g\(\)[\s\S]*END; END;$/);
    expect(parts[5]).toBe('CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET x = 1; DELETE FROM u; END;');
    expect(parts[6]).toBe('SELECT $$;$$;');
  });

  it('keeps a last statement without a semicolon and drops empty pieces', () => {
    expect(splitStatements(';;\nSELECT 1;\n\n  ;SELECT 2')).toEqual(['SELECT 1;', 'SELECT 2']);
    expect(splitStatements('-- nothing\n/* at all */\n')).toEqual([]);
  });
});

describe('what statements say', () => {
  it('finds renames of tables, columns and enum values', () => {
    const found = renamesIn(
      ['ALTER TABLE "public"."Post" RENAME COLUMN "title" TO "headline";', 'ALTER TABLE "Old" RENAME TO "New";', `ALTER TYPE "Role" RENAME VALUE 'USER' TO 'MEMBER';`],
      true,
    );
    expect(found.columns).toEqual([{ table: { schema: 'public', name: 'Post' }, from: 'title', to: 'headline' }]);
    expect(found.tables).toEqual([{ from: 'Old', to: 'New' }]);
    expect(found.enumValues).toEqual([{ type: { name: 'Role' }, from: 'USER', to: 'MEMBER' }]);
  });

  it('tells objects outside the table model from the model\'s own', () => {
    expect(unmodelledStatement('CREATE OR REPLACE VIEW "v" AS SELECT 1', true)).toMatchObject({ action: 'replace', object: { kind: 'VIEW', key: 'VIEW:v' } });
    expect(unmodelledStatement('CREATE TRIGGER "t" BEFORE UPDATE ON "Post" FOR EACH ROW EXECUTE FUNCTION f()', true)).toMatchObject({
      action: 'create',
      object: { kind: 'TRIGGER', on: '"Post"', key: 'TRIGGER:Post:t' },
    });
    expect(unmodelledStatement('ALTER TABLE "Post" ADD CONSTRAINT "len" CHECK (length("title") > 0)', true)).toMatchObject({ object: { kind: 'CONSTRAINT' } });
    expect(unmodelledStatement(`CREATE TYPE "Role" AS ENUM ('A')`, true)).toBeUndefined();
    expect(unmodelledStatement('ALTER TABLE "Post" ADD CONSTRAINT "Post_fkey" FOREIGN KEY ("a") REFERENCES "U"("id")', true)).toBeUndefined();
  });
});
