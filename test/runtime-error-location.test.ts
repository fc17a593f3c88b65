/**
 * Where a revision failed: stack frames in the cached transform are mapped
 * back to the revision file through its inline source map (TypeScript,
 * bundled helpers), a JavaScript revision is copied line for line; and new
 * revision slugs are cut in code points.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { errorLocation, loadRevisionModule } from '../src/runtime/loader.ts';
import { slugify } from '../src/script/write.ts';
import { tempDir } from './script-helpers.ts';

const { dir: root, cleanup } = tempDir('revise-error-location-');
afterAll(() => cleanup());
const versions = join(root, 'migrations', 'versions');
mkdirSync(versions, { recursive: true });
mkdirSync(join(root, 'node_modules'), { recursive: true });
symlinkSync(resolve(import.meta.dirname, '..'), join(root, 'node_modules', 'prisma-revise'), 'dir');
writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'error-location-test', private: true, type: 'module' }));

/** Load the revision, run its upgrade, and return where errorLocation says it failed. */
async function failureLocation(path: string): Promise<string> {
  const module = await loadRevisionModule(path, root);
  const error = await module.upgrade({} as never).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return errorLocation(error, module.source);
}

describe('errorLocation', () => {
  it('maps a TypeScript revision through its source map to the line and column of the throw', async () => {
    const path = join(versions, 'ts000001_typed.ts');
    writeFileSync(
      path,
      [
        `import type { MigrationOps } from 'prisma-revise';`,
        `export const revision: string = 'ts000001';`,
        `export const downRevision: string | null = null;`,
        ``,
        `interface Row { id: number }`,
        `export async function upgrade(op: MigrationOps): Promise<void> {`,
        `  const rows: Row[] = [];`,
        `  await upgradeData(op, rows);`,
        `}`,
        `export async function downgrade(op: MigrationOps): Promise<void> {}`,
        `async function upgradeData(_op: MigrationOps, rows: Row[]): Promise<void> {`,
        `  if (rows.length === 0) throw new Error('no rows');`,
        `}`,
        ``,
      ].join('\n'),
    );
    expect(await failureLocation(path)).toBe(`${path}:12:32`);
  });

  it('a bundled revision (relative helper import): the revision line that called the helper', async () => {
    writeFileSync(join(root, 'migrations', 'helpers.ts'), `export function refuse(reason: string): never {\n  throw new Error(reason);\n}\n`);
    const path = join(versions, 'bu000001_bundled.ts');
    writeFileSync(
      path,
      [
        `import { refuse } from '../helpers.ts';`,
        `export const revision = 'bu000001';`,
        `export const downRevision = null;`,
        `export async function upgrade(): Promise<void> {`,
        `  const table: string = 'x';`,
        `  refuse(table);`,
        `}`,
        `export async function downgrade(): Promise<void> {}`,
        ``,
      ].join('\n'),
    );
    expect(await failureLocation(path)).toBe(`${path}:6:3`);
  });

  it('a JavaScript revision runs as written, so its frames are its own lines', async () => {
    const path = join(versions, 'js000001_plain.mjs');
    writeFileSync(
      path,
      `export const revision = 'js000001';\nexport const downRevision = null;\nexport async function upgrade() {\n  throw new Error('plain');\n}\nexport async function downgrade() {}\n`,
    );
    expect(await failureLocation(path)).toBe(`${path}:4:9`);
  });

  it('an error with no frame in the revision names the file alone', async () => {
    const path = join(versions, 'ts000001_typed.ts');
    const module = await loadRevisionModule(path, root);
    expect(errorLocation(new Error('from elsewhere'), module.source)).toBe(path);
    expect(errorLocation('not an error', module.source)).toBe(path);
  });
});

describe('slugify', () => {
  it('cuts long messages in code points, never inside a surrogate pair', () => {
    const slug = slugify('𝒳'.repeat(50));
    expect([...slug]).toHaveLength(41);
    expect(slug.endsWith('_')).toBe(true);
    // No lone surrogate where a cut in UTF-16 units would fall inside a pair.
    const odd = slugify(`a${'𝒳'.repeat(50)}`);
    expect([...odd]).toHaveLength(41);
    expect(odd).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    expect(slugify('../../escape/evil')).toBe('escape_evil');
  });
});
