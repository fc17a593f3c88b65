/**
 * A run of many revisions imports them as one chain bundle
 * (`chain-<hash>.bundle.cjs`, or `.mjs` when it imports packages): the same exports, the same failure locations
 * (mapped back to each revision file), a new chain after any edit with the
 * old one removed, and the files one by one whenever the chain cannot be
 * built or imported.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { errorLocation, loadRevisionModules, type RevisionModule } from '../src/runtime/loader.ts';
import { revisionProject } from './script-helpers.ts';

const { root, versions, cache, cleanup } = revisionProject('revise-loader-chain-');
afterAll(() => cleanup());
writeFileSync(join(root, 'migrations', 'helpers.ts'), `export const helped = (n: number): string => \`helped \${n}\`;\n`);

const COUNT = 40;

function write(i: number, body = `  calls.push(helped(${i}));`): string {
  const path = join(versions, `r${String(i).padStart(3, '0')}_step.ts`);
  writeFileSync(
    path,
    [
      `import type { MigrationOps } from 'prisma-revise';`,
      `import { helped } from '../helpers';`,
      `export const revision = 'r${i}';`,
      `export const downRevision: string | null = ${i === 0 ? 'null' : `'r${i - 1}'`};`,
      `export const irreversible = ${i === 3 ? "'kept for the test'" : 'false'};`,
      `export const calls: string[] = [];`,
      `export async function upgrade(op: MigrationOps): Promise<void> {`,
      body,
      `}`,
      `export async function downgrade(op: MigrationOps): Promise<void> {}`,
      ``,
    ].join('\n'),
  );
  return path;
}

const paths = Array.from({ length: COUNT }, (_, i) => write(i));
const chains = () => readdirSync(cache).filter((name) => /\.bundle\.[cm]js$/.test(name));

async function loadAll(list = paths): Promise<RevisionModule[]> {
  const settled = await loadRevisionModules(list, root);
  return settled.map((r) => {
    if (r.status === 'rejected') throw r.reason;
    return r.value;
  });
}

describe('revision chain bundle', () => {
  it('each revision keeps its exports, from one chain', async () => {
    const modules = await loadAll();
    expect(chains()).toHaveLength(1);
    expect(modules.map((m) => m.source.path)).toEqual(paths);
    expect(modules.every((m) => m.source.transformFile === join(cache, chains()[0]!))).toBe(true);
    expect(modules[3]!.irreversible).toBe('kept for the test');
    expect(modules[4]!.irreversible).toBe(false);
    await modules[7]!.upgrade({} as never);
    await modules[8]!.upgrade({} as never);
  });

  it('the same revisions in another order (the downgrade of an upgrade) share the chain', async () => {
    const before = chains();
    const reversed = [...paths].reverse();
    const modules = await loadAll(reversed);
    expect(chains()).toEqual(before);
    expect(modules.map((m) => m.source.path)).toEqual(reversed);
    expect(modules[COUNT - 1 - 3]!.irreversible).toBe('kept for the test');
  });

  it('a failure inside a revision points at that revision file', async () => {
    const path = write(20, `  if (op) throw new Error('twenty fails');`);
    const modules = await loadAll();
    expect(modules[20]!.source.transformFile).toMatch(/chain-[0-9a-f]+\.p0\.bundle\.[cm]js$/);
    const error = await modules[20]!.upgrade({} as never).catch((e: unknown) => e);
    expect((error as Error).message).toBe('twenty fails');
    expect(errorLocation(error, modules[20]!.source)).toBe(`${path}:8:17`);
    // An edit made a new chain, and the old one is gone, with its source map.
    expect(chains()).toHaveLength(1);
    expect(readdirSync(cache).filter((name) => /\.bundle\.[cm]js\.map$/.test(name))).toEqual([`${chains()[0]}.map`]);
  });

  it('a revision that does not compile: the files one by one, and the error names that file', async () => {
    const path = write(30, `  const x: number = ;`);
    const settled = await loadRevisionModules(paths, root);
    expect(settled[29]!.status).toBe('fulfilled');
    expect(settled[30]!.status).toBe('rejected');
    expect(String((settled[30] as PromiseRejectedResult).reason.message)).toContain(`Cannot compile revision file ${path}:8:`);
    write(30);
  });

  it('a revision that throws when imported: the files one by one, the error names that file', async () => {
    const path = write(31, '');
    writeFileSync(path, `${'throw new Error("at import");\n'}export async function upgrade() {}\nexport async function downgrade() {}\n`);
    const settled = await loadRevisionModules(paths, root);
    expect(settled.filter((r) => r.status === 'rejected')).toHaveLength(1);
    expect(String((settled[31] as PromiseRejectedResult).reason.message)).toMatch(new RegExp(`^Cannot load revision file ${path}: at import`));
    write(31);
    expect(await loadAll()).toHaveLength(COUNT);
  });

  it('the chain holds each revision\'s functions, not a namespace object with a getter per export', async () => {
    await loadAll();
    const text = readFileSync(join(cache, chains()[0]!), 'utf8');
    // One getter at most: the script chain's `default`, the array of revisions.
    expect(text.split('__export(').length - 1).toBeLessThanOrEqual(1);
    expect(text).not.toMatch(/__export\([^)]*upgrade/);
    // What the runner does not read (revision ids, headers' values) is left out.
    expect(text).not.toMatch(/downRevision/);
  });

  it('multidb: each database has its own chain, of its own pair, and they do not replace each other', async () => {
    const multi = join(root, 'migrations', 'multi');
    mkdirSync(multi, { recursive: true });
    const files = Array.from({ length: COUNT }, (_, i) => {
      const path = join(multi, `m${String(i).padStart(3, '0')}_step.ts`);
      writeFileSync(
        path,
        [
          `export const revision = 'm${i}';`,
          `export async function upgrade_a(): Promise<string> { return 'a up ${i}'; }`,
          `export async function downgrade_a(): Promise<string> { return 'a down ${i}'; }`,
          `export const upgrades = { b: async () => 'b up ${i}' };`,
          `export const downgrades = { b: async () => 'b down ${i}' };`,
          ``,
        ].join('\n'),
      );
      return path;
    });
    const load = async (database: string) =>
      (await loadRevisionModules(files, root, database)).map((r) => {
        if (r.status === 'rejected') throw r.reason;
        return r.value;
      });
    const [a, b] = [await load('a'), await load('b')];
    expect(await a[5]!.upgrade({} as never)).toBe('a up 5');
    expect(await b[6]!.downgrade({} as never)).toBe('b down 6');
    const names = () => chains().filter((name) => name.startsWith('chain.'));
    expect(names().map((name) => name.replace(/-.*/, '')).sort()).toEqual(['chain.a', 'chain.b']);
    const before = names();
    await load('a');
    expect(names()).toEqual(before);
    expect(a[0]!.source.transformFile).toMatch(/chain\.a-[0-9a-f]+\.p0\.bundle\.[cm]js$/);
  });

  it('an edit of a helper the revisions import makes a new chain, with the helper as it is now', async () => {
    const helpers = join(root, 'migrations', 'helpers.ts');
    const original = readFileSync(helpers, 'utf8');
    // The multidb test's chains (chain.a-, chain.b-) are not this one.
    const plain = () => chains().filter((name) => name.startsWith('chain-'));
    write(9, `  return helped(9) as unknown as void;`);
    try {
      expect(await (await loadAll())[9]!.upgrade({} as never)).toBe('helped 9');
      const list = readdirSync(cache).filter((name) => name.startsWith('chain-') && name.endsWith('.helpers.json'));
      expect(list).toHaveLength(1);
      expect(JSON.parse(readFileSync(join(cache, list[0]!), 'utf8'))).toEqual([helpers]);
      const before = plain();
      writeFileSync(helpers, `export const helped = (n: number): string => \`edited \${n}\`;\n`);
      expect(await (await loadAll())[9]!.upgrade({} as never)).toBe('edited 9');
      expect(plain()).toHaveLength(1);
      expect(plain()).not.toEqual(before);
      // Back as it was: the first chain's name again, built anew (the old one was removed).
      writeFileSync(helpers, original);
      expect(await (await loadAll())[9]!.upgrade({} as never)).toBe('helped 9');
      expect(plain()).toEqual(before);
    } finally {
      writeFileSync(helpers, original);
      write(9);
    }
  });

  it("import.meta.url, dirname and filename name the revision file (and a helper's, the helper), in a chain and alone", async () => {
    writeFileSync(join(root, 'migrations', 'meta-helper.ts'), `export const helperFile = (): string => import.meta.filename;\n`);
    const path = join(versions, 'r011_step.ts');
    const original = readFileSync(path, 'utf8');
    writeFileSync(
      path,
      [
        `import { helperFile } from '../meta-helper.ts';`,
        `const here = import.meta.dirname;`,
        `export async function upgrade(): Promise<unknown> { return [import.meta.url, here, import.meta.filename, helperFile()]; }`,
        `export async function downgrade(): Promise<void> {}`,
        ``,
      ].join('\n'),
    );
    const js = join(versions, 'r011_meta.js');
    writeFileSync(js, `export async function upgrade() { return import.meta.filename; }\nexport async function downgrade() {}\n`);
    try {
      const expected = [pathToFileURL(path).href, versions, path, join(root, 'migrations', 'meta-helper.ts')];
      const chained = (await loadAll())[11]!;
      expect(chained.source.transformFile).toMatch(/\.bundle\.[cm]js$/);
      expect(await chained.upgrade({} as never)).toEqual(expected);
      const [alone, aloneJs] = await loadAll([path, js]);
      expect(alone!.source.transformFile).not.toMatch(/\.bundle\.[cm]js$/);
      expect(await alone!.upgrade({} as never)).toEqual(expected);
      expect(await aloneJs!.upgrade({} as never)).toBe(js);
    } finally {
      writeFileSync(path, original);
      rmSync(js);
    }
  });

  it('fewer revisions than a chain is worth: each file as before', async () => {
    const before = chains();
    const modules = await loadAll(paths.slice(0, 5));
    expect(modules.every((m) => !/\.bundle\.[cm]js$/.test(m.source.transformFile))).toBe(true);
    expect(chains()).toEqual(before);
  });
});
