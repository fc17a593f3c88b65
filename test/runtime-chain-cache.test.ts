/**
 * What a chain run keeps between runs, and why none of it can run stale code:
 * the revisions' key recorded under the graph's stat stamps (loader.ts
 * KnownKeys, script/directory.ts), and a script chain's V8 code cache
 * (chain-script.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { loadRevisionModules, saveChainCodeCaches, type ChainOptions, type RevisionModule } from '../src/runtime/loader.ts';
import { derivedKeys, loadScriptDirectory } from '../src/script/directory.ts';
import { revisionProject } from './script-helpers.ts';

const { root, versions, cache, cleanup } = revisionProject('revise-chain-cache-');
afterAll(() => cleanup());

const COUNT = 40;

/** Revision i, whose upgrade returns `value` (a string of the same length keeps the file's size). */
function write(i: number, value = `up ${String(i).padStart(3, '0')}`, head = ''): string {
  const path = join(versions, `r${String(i).padStart(3, '0')}_step.ts`);
  writeFileSync(
    path,
    [
      `import type { MigrationOps } from 'prisma-revise';`,
      head,
      `export const revision = 'r${i}';`,
      `export const downRevision: string | null = null;`,
      `export async function upgrade(op: MigrationOps): Promise<void> { return '${value}' as never; }`,
      `export async function downgrade(op: MigrationOps): Promise<void> {}`,
      ``,
    ].join('\n'),
  );
  return path;
}

let paths: string[] = [];
beforeEach(() => {
  rmSync(cache, { recursive: true, force: true });
  rmSync(versions, { recursive: true, force: true });
  mkdirSync(versions, { recursive: true });
  paths = Array.from({ length: COUNT }, (_, i) => write(i));
});

async function loadAll(options: ChainOptions = {}): Promise<RevisionModule[]> {
  return (await loadRevisionModules(paths, root, undefined, options)).map((r) => {
    if (r.status === 'rejected') throw r.reason;
    return r.value;
  });
}
/** As the runner loads them: the chain's key known from the graph's stamps while no file changed. */
async function loadThroughGraph(): Promise<RevisionModule[]> {
  const map = await loadScriptDirectory([versions], { cacheDir: cache });
  return loadAll({ knownKeys: derivedKeys(map, 'chain-key') });
}
const keyRecords = () => readdirSync(cache).filter((name) => name.startsWith('chain-key-'));
const upgradeOf = async (modules: RevisionModule[], i: number) => (await modules[i]!.upgrade({} as never)) as unknown;
/** Run `edit` on `file` and set its access and modification times back exactly (`touch -r`, to the nanosecond). */
function keepingTimes(file: string, edit: () => void): void {
  const reference = `${file}.times`;
  execFileSync('touch', ['-r', file, reference]);
  edit();
  execFileSync('touch', ['-r', reference, file]);
  rmSync(reference);
}
const cached = (suffix: string) => readdirSync(cache).filter((name) => name.endsWith(suffix));

describe('chain caches', () => {
  it('revisions that import only types run as a script chain; its code cache is written after a run and then kept', async () => {
    const modules = await loadAll();
    expect(modules[0]!.source.transformFile).toMatch(/chain-[0-9a-f]+\.p0\.bundle\.cjs$/);
    expect(await upgradeOf(modules, 7)).toBe('up 007');
    expect(cached('.v8cache')).toEqual([]);
    await saveChainCodeCaches();
    const [cacheFile] = cached('.v8cache');
    expect(cacheFile).toBe(`${cached('.bundle.cjs')[0]}.v8cache`);
    const written = statSync(join(cache, cacheFile!)).mtimeMs;
    // The next load takes the cache (it is not made again) and runs the same code.
    expect(await upgradeOf(await loadAll(), 8)).toBe('up 008');
    await saveChainCodeCaches();
    expect(statSync(join(cache, cacheFile!)).mtimeMs).toBe(written);
    // A downgrade calls other functions: the cache is made again, with both, and then kept for either.
    const uses = () => new Float64Array(readFileSync(join(cache, cacheFile!)).buffer.slice(0, 32))[3];
    expect(uses()).toBe(1);
    await (await loadAll({ use: 'down' }))[8]!.downgrade({} as never);
    await saveChainCodeCaches();
    expect(uses()).toBe(3);
    const both = statSync(join(cache, cacheFile!)).mtimeMs;
    for (const use of ['up', 'down'] as const) {
      await loadAll({ use });
      await saveChainCodeCaches();
    }
    expect(statSync(join(cache, cacheFile!)).mtimeMs).toBe(both);
  });

  it('a chain rebuilt under the same name never runs the code cached from the one before', async () => {
    await upgradeOf(await loadAll(), 7);
    await saveChainCodeCaches();
    const chain = join(cache, cached('.bundle.cjs')[0]!);
    // Same length, other code: V8 alone would take the old cache (it checks the source's length).
    const text = readFileSync(chain, 'utf8');
    expect(text).toContain('"up 007"');
    writeFileSync(chain, text.replace('"up 007"', '"UP 007"'));
    expect(await upgradeOf(await loadAll(), 7)).toBe('UP 007');
  });

  it('a revision that imports a package, or awaits at its top level, makes a module chain', async () => {
    write(3, 'up 003', `import { basename } from 'node:path';\nexport const base = basename('/a/b');`);
    let modules = await loadAll();
    expect(modules[3]!.source.transformFile).toMatch(/chain-[0-9a-f]+\.p0\.bundle\.mjs$/);
    expect(await upgradeOf(modules, 3)).toBe('up 003');
    write(3, 'up 003', `export const ready = await Promise.resolve(1);`);
    modules = await loadAll();
    expect(modules[3]!.source.transformFile).toMatch(/chain-[0-9a-f]+\.p0\.bundle\.mjs$/);
    expect(await upgradeOf(modules, 4)).toBe('up 004');
    // import.meta beyond url/dirname/filename (resolve) exists only in a module.
    write(3, 'up 003', `export const resolved = typeof import.meta.resolve;`);
    modules = await loadAll();
    expect(modules[3]!.source.transformFile).toMatch(/chain-[0-9a-f]+\.p0\.bundle\.mjs$/);
    // The module chain replaced the script chain and left no cache of its own.
    const part = basename(modules[3]!.source.transformFile);
    expect(readdirSync(cache).sort()).toEqual([part, `${part}.map`, part.replace(/\.p0\.bundle\.mjs$/, '.parts.json')].sort());
    await saveChainCodeCaches();
    expect(cached('.v8cache')).toEqual([]);
  });

  it('files older than two seconds are known by their stamps; an edit keeping size and mtime is still seen', async () => {
    await sleep(2_100);
    expect(await upgradeOf(await loadThroughGraph(), 5)).toBe('up 005');
    const [record] = keyRecords();
    const key = readFileSync(join(cache, record!), 'utf8').split('\n')[1];
    expect(cached('.bundle.cjs')).toEqual([`chain-${key}.p0.bundle.cjs`]);
    expect(await upgradeOf(await loadThroughGraph(), 5)).toBe('up 005');
    // Same size, mtime set back to the nanosecond: only the ctime (and so the stamp) tells.
    keepingTimes(paths[5]!, () => write(5, 'UP 005'));
    expect(await upgradeOf(await loadThroughGraph(), 5)).toBe('UP 005');
    // The graph's own cache (headers, heads) the same way: a revision id changed so is seen.
    await sleep(2_100);
    await loadThroughGraph();
    keepingTimes(paths[6]!, () => writeFileSync(paths[6]!, readFileSync(paths[6]!, 'utf8').replace("'r6'", "'x6'")));
    const map = await loadScriptDirectory([versions], { cacheDir: cache });
    expect(map.get('r6')).toBeUndefined();
    expect(map.get('x6')?.path).toBe(paths[6]);
  });

  it('files changed in the last two seconds are read each time, and nothing is recorded under their stamps', async () => {
    expect(await upgradeOf(await loadThroughGraph(), 5)).toBe('up 005');
    expect(keyRecords()).toEqual([]);
    keepingTimes(paths[5]!, () => write(5, 'UP 005'));
    expect(await upgradeOf(await loadThroughGraph(), 5)).toBe('UP 005');
  });
});
