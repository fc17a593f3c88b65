/**
 * A chain in parts (chain.ts): the parts follow the run's order, share one
 * build between an upgrade and the downgrade of the same revisions, are
 * loaded as the run reaches them and let go (their code cache written then),
 * and a part that cannot be loaded gives way to its files one by one. What a
 * downgrade must know first (`irreversible`) comes from the parts list.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { loadRevisionModules, openRevisionModules, saveChainCodeCaches, type RevisionModule } from '../src/runtime/loader.ts';
import { revisionProject } from './script-helpers.ts';

const { root, versions, cache, cleanup } = revisionProject('revise-chain-parts-');
afterAll(() => cleanup());

const COUNT = 40;
const PART = 8;

function write(i: number): string {
  const path = join(versions, `r${String(i).padStart(3, '0')}_step.ts`);
  writeFileSync(
    path,
    [
      `import type { MigrationOps } from 'prisma-revise';`,
      `export const revision = 'r${i}';`,
      `export const downRevision: string | null = ${i === 0 ? 'null' : `'r${i - 1}'`};`,
      ...(i === 13 ? [`export const irreversible = 'thirteen drops a column';`] : []),
      `export async function upgrade(op: MigrationOps): Promise<void> { return 'up ${i}' as never; }`,
      `export async function downgrade(op: MigrationOps): Promise<void> { return 'down ${i}' as never; }`,
      ``,
    ].join('\n'),
  );
  return path;
}

// Run order is not path order: the parts must follow the run.
const paths = Array.from({ length: COUNT }, (_, i) => write(i)).reverse();
const parts = () => readdirSync(cache).filter((name) => /\.p\d+\.bundle\.cjs$/.test(name)).sort();
const codeCaches = () => readdirSync(cache).filter((name) => name.endsWith('.v8cache')).sort();
const partOf = (module: RevisionModule) => /\.p(\d+)\.bundle\.cjs$/.exec(module.source.transformFile)?.[1];

beforeEach(async () => {
  rmSync(cache, { recursive: true, force: true });
});

async function loadAll(list: string[], use: 'up' | 'down' = 'up'): Promise<RevisionModule[]> {
  return (await loadRevisionModules(list, root, undefined, { partSize: PART, use })).map((r) => {
    if (r.status === 'rejected') throw r.reason;
    return r.value;
  });
}

describe('chain parts', () => {
  it('cuts the run into parts in run order; the downgrade of the same revisions uses the same parts', async () => {
    const modules = await loadAll(paths);
    expect(parts()).toHaveLength(COUNT / PART);
    expect(readdirSync(cache).filter((name) => name.endsWith('.parts.json'))).toHaveLength(1);
    // Consecutive revisions of the run share a part.
    expect(modules.map(partOf)).toEqual(paths.map((_, i) => String(Math.floor(i / PART))));
    expect(await modules[5]!.upgrade({} as never)).toBe(`up ${COUNT - 1 - 5}`);
    expect(modules[COUNT - 1 - 13]!.irreversible).toBe('thirteen drops a column');
    const before = parts();
    const down = await loadAll([...paths].reverse(), 'down');
    expect(parts()).toEqual(before);
    expect(down.map(partOf)).toEqual([...paths].reverse().map((_, i) => String(COUNT / PART - 1 - Math.floor(i / PART))));
    expect(await down[0]!.downgrade({} as never)).toBe('down 0');
  });

  it('loads a part when the run reaches it and lets the one before go, writing its code cache then', async () => {
    await loadAll(paths);
    await saveChainCodeCaches();
    rmSync(join(cache, codeCaches()[0]!));
    const [missing] = parts();
    expect(codeCaches()).not.toContain(`${missing}.v8cache`);
    const modules = await openRevisionModules(paths, root, undefined, { partSize: PART });
    expect(partOf(await modules.get(paths[0]!))).toBe('0');
    expect(codeCaches()).not.toContain(`${missing}.v8cache`);
    // Moving on to part 1 lets part 0 go: its cache is written now, not at the end of the run.
    expect(partOf(await modules.get(paths[PART]!))).toBe('1');
    expect(codeCaches()).toContain(`${missing}.v8cache`);
    expect(await (await modules.get(paths[PART + 1]!)).upgrade({} as never)).toBe(`up ${COUNT - 1 - PART - 1}`);
  });

  it('knows what is irreversible from the parts list, and a part that cannot be loaded gives way to its files', async () => {
    await loadAll(paths);
    for (const part of parts()) rmSync(join(cache, part));
    const modules = await openRevisionModules(paths, root, undefined, { partSize: PART });
    const thirteen = paths[COUNT - 1 - 13]!;
    expect(modules.irreversible(thirteen)).toBe('thirteen drops a column');
    expect(modules.irreversible(paths[0]!)).toBeUndefined();
    const alone = await modules.get(thirteen);
    expect(partOf(alone)).toBeUndefined();
    expect(alone.source.transformFile).toMatch(/r013_step-[0-9a-f]+\.mjs$/);
    expect(await alone.upgrade({} as never)).toBe('up 13');
  });

  it('a part whose file cannot be read and loaded alone fails that revision only, when its turn comes', async () => {
    await loadAll(paths);
    for (const part of parts()) rmSync(join(cache, part));
    const modules = await openRevisionModules(paths, root, undefined, { partSize: PART });
    const victim = paths[PART + 2]!;
    const text = readFileSync(victim, 'utf8');
    rmSync(victim);
    try {
      expect(await (await modules.get(paths[0]!)).upgrade({} as never)).toBe(`up ${COUNT - 1}`);
      await expect(modules.get(victim)).rejects.toThrow(/^Cannot read revision file .*r0\d\d_step\.ts/);
      expect(await (await modules.get(paths[PART + 3]!)).upgrade({} as never)).toBe(`up ${COUNT - 1 - PART - 3}`);
    } finally {
      writeFileSync(victim, text);
    }
  });
});
