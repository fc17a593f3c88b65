import { describe, expect, it } from 'vitest';
import { splitStatements } from '../src/prisma-import/split.ts';
import { dropStatement, renamesIn, unmodelledChanges, unmodelledStatement } from '../src/prisma-import/statements.ts';

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

describe('splitStatements on MySQL', () => {
  it('reads backslash escapes, # comments, compound trigger bodies and DEFINER', () => {
    const trigger = [
      'CREATE DEFINER=`root`@`%` TRIGGER `t_bi` BEFORE INSERT ON `t` FOR EACH ROW BEGIN',
      "  IF NEW.x IS NULL THEN SET NEW.x = 'a;b'; END IF;",
      '  CASE NEW.y WHEN 1 THEN SET NEW.z = 1; ELSE SET NEW.z = 2; END CASE;',
      '  WHILE NEW.z > 5 DO SET NEW.z = NEW.z - 1; END WHILE;',
      'END',
    ].join('\n');
    const script = ["# a comment; not the end", "INSERT INTO `t` VALUES ('it\\'s; fine', \"dq\\\"; too\");", `${trigger};`, 'SELECT 1; # trailing; comment', 'SELECT 2;'].join('\n');
    const parts = splitStatements(script, 'mysql');
    expect(parts).toEqual([
      "# a comment; not the end\nINSERT INTO `t` VALUES ('it\\'s; fine', \"dq\\\"; too\");",
      `${trigger};`,
      'SELECT 1;',
      '# trailing; comment\nSELECT 2;',
    ]);
    // Without the MySQL reading, the backslash-escaped quote ends the string early.
    expect(splitStatements(script)).not.toEqual(parts);
  });
});

describe('what statements say', () => {
  it('finds every constraint clause of one ALTER TABLE, each with a statement of its own', () => {
    const sql = `-- two checks and a column\nALTER TABLE scheduled_events\n  ADD COLUMN note TEXT,\n  ADD CONSTRAINT a CHECK (NOT all_day OR time_zone IS NULL),\n  ADD CONSTRAINT "b,c" CHECK (f(x, ',') AND y > 0),\n  DROP CONSTRAINT IF EXISTS old;`;
    expect(unmodelledChanges(sql, true).map((c) => [c.action, c.object.name, c.sql])).toEqual([
      ['create', 'a', 'ALTER TABLE scheduled_events ADD CONSTRAINT a CHECK (NOT all_day OR time_zone IS NULL)'],
      ['create', '"b,c"', `ALTER TABLE scheduled_events ADD CONSTRAINT "b,c" CHECK (f(x, ',') AND y > 0)`],
      ['drop', 'old', 'ALTER TABLE scheduled_events DROP CONSTRAINT IF EXISTS old'],
    ]);
    expect(unmodelledChanges('CREATE VIEW v AS SELECT 1;', true).map((c) => c.sql)).toEqual(['CREATE VIEW v AS SELECT 1;']);
    expect(unmodelledChanges('ALTER TABLE t ADD COLUMN x INT', true)).toEqual([]);
  });

  it('reads MySQL: RENAME TABLE, a leading # comment, DROP CHECK, DEFINER views and triggers dropped by name alone', () => {
    expect(renamesIn(['# note\nRENAME TABLE `a` TO `b`, c TO `d e`;', '# note\nALTER TABLE `x` RENAME COLUMN `p` TO `q`;'], false)).toEqual({
      tables: [
        { from: 'a', to: 'b' },
        { from: 'c', to: 'd e' },
      ],
      columns: [{ table: { name: 'x' }, from: 'p', to: 'q' }],
      enumValues: [],
    });
    const trigger = unmodelledStatement('CREATE DEFINER=`root`@`localhost` TRIGGER `t_bi` BEFORE INSERT ON `t` FOR EACH ROW SET NEW.x = 1', false)!;
    expect(trigger.object).toMatchObject({ kind: 'TRIGGER', name: '`t_bi`', on: '`t`' });
    expect(dropStatement(trigger.object, 'mysql')).toBe('DROP TRIGGER IF EXISTS `t_bi`');
    expect(dropStatement(trigger.object, 'postgresql')).toBe('DROP TRIGGER IF EXISTS `t_bi` ON `t`');
    expect(unmodelledStatement('CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`%` SQL SECURITY DEFINER VIEW `v` AS select 1', false)?.object).toMatchObject({ kind: 'VIEW', name: '`v`' });
    const check = unmodelledStatement('ALTER TABLE `t` ADD CONSTRAINT `c` CHECK (`x` > 0)', false)!;
    expect(dropStatement(check.object, 'mysql')).toBe('ALTER TABLE `t` DROP CONSTRAINT `c`');
    expect(unmodelledStatement('ALTER TABLE `t` DROP CHECK `c`', false)).toMatchObject({ action: 'drop', object: { kind: 'CONSTRAINT', key: check.object.key } });
  });

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
