import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ReviseError } from '../src/errors.ts';
import { loadScriptDirectory } from '../src/script/directory.ts';
import { parseRevisionHeader } from '../src/script/revision.ts';
import {
  formatCreateDate,
  newRevisionId,
  renderRevisionFile,
  slugify,
  writeRevisionFile,
  type RevisionFileInput,
} from '../src/script/write.ts';
import { tempDir } from './script-helpers.ts';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});
function temp(): string {
  const t = tempDir('revise-script-');
  cleanups.push(t.cleanup);
  return t.dir;
}

function input(overrides: Partial<RevisionFileInput> = {}): RevisionFileInput {
  return {
    id: '3f2a9c1b7d4e',
    message: 'add posts table',
    downRevision: '1a2b3c4d5e6f',
    createDate: new Date(2026, 10, 24, 18, 0, 0, 123),
    upgrade: {
      additive: ["await op.createTable({\n  name: 'Post',\n  columns: [],\n});"],
      destructive: ["await op.dropColumn('User', 'legacy');"],
    },
    downgrade: {
      additive: ["await op.addColumn('User', { name: 'legacy', type: 'TEXT', nullable: true });"],
      destructive: ["await op.dropTable('Post');"],
    },
    ...overrides,
  };
}

async function expectReviseError(promise: Promise<unknown> | (() => unknown), message: RegExp): Promise<void> {
  let caught: unknown;
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ReviseError);
  expect((caught as Error).message).toMatch(message);
}

describe('rendering revision files', () => {
  it('renders the header, phases in order and the commented data hooks', () => {
    const text = renderRevisionFile(input());
    expect(text.startsWith('/**\n * add posts table\n *\n * Revision ID: 3f2a9c1b7d4e\n * Revises: 1a2b3c4d5e6f\n')).toBe(true);
    expect(text).toContain(' * Create Date: 2026-11-24 18:00:00.123000\n */\n');
    expect(text).toMatch(/^import type \{ [^}]*\bMigrationOps\b[^}]* \} from 'prisma-revise';$/m);
    expect(text).toContain("export const revision = '3f2a9c1b7d4e';");
    expect(text).toContain("export const downRevision: string | string[] | null = '1a2b3c4d5e6f';");
    expect(text).toContain('export const branchLabels: string[] | null = null;');
    expect(text).toContain('export const dependsOn: string[] | null = null;');
    const up = text.slice(text.indexOf('export async function upgrade'), text.indexOf('export async function downgrade'));
    // Multi-line statements are indented as a block; additive, then data, then destructive.
    expect(up).toContain("  await op.createTable({\n    name: 'Post',\n    columns: [],\n  });");
    expect(up.indexOf('createTable')).toBeLessThan(up.indexOf('await upgradeData(op'));
    expect(up.indexOf('await upgradeData(op')).toBeLessThan(up.indexOf('dropColumn'));
    // Skeletons declare no parameters (their type gives them) and are no empty function: noUnusedParameters, no-empty-function and require-await all pass.
    expect(text).toMatch(/^const upgradeData: DataHook<UpgradeTables> = \(\) => Promise\.resolve\(\);$/m);
    expect(text).toMatch(/^const downgradeData: DataHook<DowngradeTables> = \(\) => Promise\.resolve\(\);$/m);
    expect(text).toMatch(/Data steps, in this revision's transaction after the additive steps and before the destructive ones/);
    expect(text).toContain('with bound parameters');
  });

  it('renders an empty revision, merges, labels, dependencies, imports and a preamble', () => {
    const text = renderRevisionFile(
      input({
        message: 'merge heads',
        downRevision: ['aaaa00000001', 'bbbb00000002'],
        branchLabels: ['feature'],
        dependsOn: ['cccc00000003'],
        imports: ["import type { TableModel } from 'prisma-revise';"],
        preamble: ["const postShape: TableModel = { name: 'Post', columns: [] } as unknown as TableModel;"],
        upgrade: { additive: [], destructive: [] },
        downgrade: { additive: [], destructive: [] },
      }),
    );
    expect(text).toContain(' * Revises: aaaa00000001, bbbb00000002\n');
    expect(text).toContain("export const downRevision: string | string[] | null = ['aaaa00000001', 'bbbb00000002'];");
    expect(text).toContain("export const branchLabels: string[] | null = ['feature'];");
    expect(text).toContain("export const dependsOn: string[] | null = ['cccc00000003'];");
    expect(text).toContain("import type { TableModel } from 'prisma-revise';\n");
    expect(text).toContain('const postShape');
    expect(text).toMatch(/export async function upgrade\(op: MigrationOps\): Promise<void> \{\n {2}\/\/ no schema changes\n {2}await upgradeData\(op[^\n]*\);\n\}/);
    const first = renderRevisionFile(input({ downRevision: null }));
    expect(first).toContain(' * Revises:\n');
    expect(first).toContain('export const downRevision: string | string[] | null = null;');
  });

  it('round-trips through the header parser', () => {
    const text = renderRevisionFile(
      input({ downRevision: ['aaaa00000001', 'bbbb00000002'], branchLabels: ['x', 'y'], dependsOn: ['feature'] }),
    );
    const rev = parseRevisionHeader(text, '/v/3f2a9c1b7d4e_add_posts_table.ts');
    expect(rev).toEqual({
      id: '3f2a9c1b7d4e',
      downRevisions: ['aaaa00000001', 'bbbb00000002'],
      branchLabels: ['x', 'y'],
      dependsOn: ['feature'],
      message: 'add posts table',
      createDate: '2026-11-24 18:00:00.123000',
      path: '/v/3f2a9c1b7d4e_add_posts_table.ts',
      longDoc:
        'add posts table\n\nRevision ID: 3f2a9c1b7d4e\nRevises: aaaa00000001, bbbb00000002\nCreate Date: 2026-11-24 18:00:00.123000',
    });
    const tricky = renderRevisionFile(input({ message: "it's a */ trap" }));
    expect(parseRevisionHeader(tricky, 'f.ts').message).toBe("it's a *\\/ trap");
  });

  it('formats the create date like Python', () => {
    expect(formatCreateDate(new Date(2026, 0, 2, 3, 4, 5, 6))).toBe('2026-01-02 03:04:05.006000');
  });
});

describe('parsing hand-written headers', () => {
  it('tolerates quotes, arrays, as const, comments and undefined', () => {
    const source = `#!/usr/bin/env node
// a leading line comment
/* Rename things

   longer description
*/
export const revision = "ab12cd34ef56" as const; // trailing comment
export const downRevision: readonly string[] = [
  'aaaa00000001', // first parent
  "bbbb00000002",
] as const;
export const branchLabels = undefined;
export const dependsOn: string[] | null = [\`cccc00000003\`];
export async function upgrade() {}
`;
    const rev = parseRevisionHeader(source, 'x.ts');
    expect(rev.id).toBe('ab12cd34ef56');
    expect(rev.downRevisions).toEqual(['aaaa00000001', 'bbbb00000002']);
    expect(rev.branchLabels).toEqual([]);
    expect(rev.dependsOn).toEqual(['cccc00000003']);
    expect(rev.message).toBe('Rename things');
    expect(rev.createDate).toBeUndefined();
  });

  it('reads a base with null and no optional exports', () => {
    const rev = parseRevisionHeader("export const revision = 'aaaa';\nexport const downRevision = null;\n", 'y.ts');
    expect(rev).toMatchObject({ id: 'aaaa', downRevisions: [], branchLabels: [], dependsOn: [], message: '' });
  });

  it('names the file when the header is bad', async () => {
    await expectReviseError(() => parseRevisionHeader('export const x = 1;', '/v/bad.ts'), /^\/v\/bad\.ts is not a revision file/);
    await expectReviseError(
      () => parseRevisionHeader("export const revision = ID;\nexport const downRevision = null;", '/v/bad.ts'),
      /^\/v\/bad\.ts: `revision` must be a string literal, an array of string literals or null/,
    );
    await expectReviseError(
      () => parseRevisionHeader("export const revision = 'ab-cd';\nexport const downRevision = null;", '/v/bad.ts'),
      /Character\(s\) '-' not allowed in revision identifier 'ab-cd' \(\/v\/bad\.ts\)/,
    );
    await expectReviseError(() => parseRevisionHeader("export const revision = 'abcd';", '/v/bad.ts'), /\/v\/bad\.ts: revision abcd has no `export const downRevision`/);
    await expectReviseError(
      () => parseRevisionHeader("export const revision = 'abcd';\nexport const downRevision = `x${y}`;", '/v/bad.ts'),
      /\/v\/bad\.ts: `downRevision` has an unterminated or non-literal string/,
    );
  });
});

describe('slugs and ids', () => {
  it('slugifies like Alembic', () => {
    expect(slugify('add posts table')).toBe('add_posts_table');
    expect(slugify('Add "Posts" table!! (v2)')).toBe('add_posts_table_v2');
    expect(slugify('')).toBe('');
    expect(slugify('add a very long message that goes on and on past forty characters')).toBe('add_a_very_long_message_that_goes_on_');
    expect(slugify('x'.repeat(50))).toBe(`${'x'.repeat(40)}_`);
    expect(slugify('Ändere Benutzer')).toBe('ändere_benutzer');
  });

  it('makes 12-hex-digit random ids', () => {
    const seen = new Set(Array.from({ length: 1000 }, () => newRevisionId()));
    expect(seen.size).toBe(1000);
    for (const id of seen) expect(id).toMatch(/^[0-9a-f]{12}$/);
  });
});

describe('writing and loading script directories', () => {
  it('writes <rev>_<slug>.ts and refuses an existing revision id', async () => {
    const dir = join(temp(), 'migrations', 'versions');
    const path = await writeRevisionFile(dir, input({ downRevision: null }));
    expect(path).toBe(join(dir, '3f2a9c1b7d4e_add_posts_table.ts'));
    expect(readFileSync(path, 'utf8')).toBe(renderRevisionFile(input({ downRevision: null })));
    await expectReviseError(writeRevisionFile(dir, input({ message: 'other message' })), /Revision 3f2a9c1b7d4e already exists: .*3f2a9c1b7d4e_add_posts_table\.ts/);
  });

  it('loads folders into a graph, skipping .d.ts and hidden files', async () => {
    const root = temp();
    const v1 = join(root, 'versions');
    const v2 = join(root, 'more');
    await writeRevisionFile(v1, input({ id: 'aaaa00000001', downRevision: null, message: 'first' }));
    await writeRevisionFile(v2, input({ id: 'bbbb00000002', downRevision: 'aaaa00000001', message: 'second' }));
    writeFileSync(join(v1, 'types.d.ts'), 'export {};');
    writeFileSync(join(v1, '.#editor.ts'), 'junk');
    mkdirSync(join(v1, 'nested'));
    const map = await loadScriptDirectory([v1, v2]);
    expect(map.all.map((r) => [r.id, r.message])).toEqual([
      ['aaaa00000001', 'first'],
      ['bbbb00000002', 'second'],
    ]);
    expect(map.pathOf('bbbb')).toBe(join(v2, 'bbbb00000002_second.ts'));
    expect(map.planUpgrade([], 'head').map((s) => s.revision.id)).toEqual(['aaaa00000001', 'bbbb00000002']);
  });

  it('suggests revise init for a missing folder and names files in errors', async () => {
    const root = temp();
    await expectReviseError(loadScriptDirectory([join(root, 'nope')]), /Path doesn't exist: '.*nope'\. Please use 'revise init'/);
    const v = join(root, 'versions');
    await writeRevisionFile(v, input({ id: 'aaaa00000001', downRevision: null, message: 'one' }));
    writeFileSync(join(v, 'aaaa00000001_copy.ts'), renderRevisionFile(input({ id: 'aaaa00000001', downRevision: null })));
    await expectReviseError(loadScriptDirectory([v]), /Revision aaaa00000001 is present more than once: .*aaaa00000001_copy\.ts and .*aaaa00000001_one\.ts/);
    writeFileSync(join(v, 'aaaa00000001_copy.ts'), '// helper\nexport const x = 1;\n');
    await expectReviseError(loadScriptDirectory([v]), /aaaa00000001_copy\.ts is not a revision file/);
  });

  it('reads the whole file when the header is past the first 4 KB or cut by it', async () => {
    const v = join(temp(), 'versions');
    mkdirSync(v);
    const longDoc = `/**\n * long one\n *\n${' * filler line of documentation text\n'.repeat(150)} */\n`;
    writeFileSync(
      join(v, 'late.ts'),
      `${longDoc}export const revision = 'aaaa00000001';\nexport const downRevision = null;\nexport const branchLabels = null;\nexport const dependsOn = ['bbbb00000002'];\n`,
    );
    // All four exports in the first 4 KB, but the last value cut by the 4 KB boundary.
    const head = "export const revision = 'bbbb00000002';\nexport const downRevision = null;\nexport const branchLabels = null;\n";
    const pad = `// ${'p'.repeat(4096 - head.length - 40)}\n`;
    writeFileSync(join(v, 'cut.ts'), `${head}${pad}export const dependsOn = [\n  'cccc000000003', 'dddd00000004',\n];\n`);
    writeFileSync(join(v, 'c.ts'), "export const revision = 'cccc000000003';\nexport const downRevision = null;\n");
    writeFileSync(join(v, 'd.ts'), "export const revision = 'dddd00000004';\nexport const downRevision = null;\n");
    const map = await loadScriptDirectory([v]);
    expect(map.get('aaaa00000001')).toMatchObject({ message: 'long one', dependsOn: ['bbbb00000002'] });
    expect(map.get('bbbb00000002')!.dependsOn).toEqual(['cccc000000003', 'dddd00000004']);
  });

  it('loads 5,000 revision files quickly (timing printed)', async () => {
    const v = join(temp(), 'versions');
    mkdirSync(v);
    const n = 5000;
    let parent: string | null = null;
    const idsInOrder: string[] = [];
    for (let i = 0; i < n; i++) {
      const id = newRevisionId();
      const text = renderRevisionFile(
        input({
          id,
          downRevision: parent,
          message: `revision number ${i}`,
          preamble: [`const shape${i} = ${JSON.stringify({ name: `T${i}`, columns: Array.from({ length: 20 }, (_, c) => ({ name: `c${c}`, type: 'TEXT' })) })};`],
        }),
      );
      writeFileSync(join(v, `${id}_revision_number_${i}.ts`), text);
      idsInOrder.push(id);
      parent = id;
    }
    const started = performance.now();
    const map = await loadScriptDirectory([v]);
    const loaded = performance.now() - started;
    const planStarted = performance.now();
    const up = map.planUpgrade([], 'head');
    const down = map.planDowngrade([idsInOrder.at(-1)!], 'base');
    const history = map.history();
    const planned = performance.now() - planStarted;
    console.log(`script directory: loaded ${n} revision files in ${loaded.toFixed(0)} ms; planned up+down+history in ${planned.toFixed(0)} ms`);
    expect(map.size).toBe(n);
    expect(up.map((s) => s.revision.id)).toEqual(idsInOrder);
    expect(down).toHaveLength(n);
    expect(history[0]!.id).toBe(idsInOrder.at(-1));
  });
});
