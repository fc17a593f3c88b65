/**
 * The validated-graph summary in the header cache: a load whose files all
 * kept their path, mtime and size answers a no-op upgrade from the cached
 * heads without building the graph, yet an in-place header edit, a new file
 * or a removed one is validated again, and a file set that failed to
 * validate is never trusted.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScriptDirectory, readDerivedText, writeDerivedText } from '../src/script/directory.js';

const root = mkdtempSync(join(tmpdir(), 'revise-graph-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const file = (id: string, down: string | null) =>
  `/**\n * step ${id}\n */\nexport const revision = '${id}';\nexport const downRevision = ${down ? `'${down}'` : 'null'};\nexport const branchLabels = null;\nexport const dependsOn = null;\n`;

let counter = 0;
function setup(): { versions: string; cacheDir: string; load: () => ReturnType<typeof loadScriptDirectory> } {
  const dir = join(root, `p${counter++}`);
  const versions = join(dir, 'versions');
  const cacheDir = join(dir, 'cache');
  mkdirSync(versions, { recursive: true });
  writeFileSync(join(versions, 'a1_one.ts'), file('a1', null));
  writeFileSync(join(versions, 'b1_two.ts'), file('b1', 'a1'));
  return { versions, cacheDir, load: () => loadScriptDirectory([versions], { cacheDir }) };
}

/** Rewrite a file in place with the same size, and move its mtime so the change is visible. */
function editInPlace(path: string, text: string, mtimeOffsetSeconds: number): void {
  writeFileSync(path, text);
  const when = new Date(Date.now() + mtimeOffsetSeconds * 1000);
  utimesSync(path, when, when);
}

describe('cached graph', () => {
  it('answers a no-op upgrade from the cache, and everything else after building the graph', async () => {
    const { versions, load } = setup();
    const first = await load();
    expect(first.planUpgrade(['b1'], 'head')).toEqual([]);

    const cached = await load();
    expect(cached.planUpgrade(['b1'], 'head')).toEqual([]);
    expect(cached.planUpgrade(['b1'], 'heads')).toEqual([]);
    // Not at head: the graph is built on demand and plans as usual.
    expect(cached.planUpgrade(['a1'], 'head').map((s) => s.revision.id)).toEqual(['b1']);
    expect(cached.get('a1')!.path).toBe(join(versions, 'a1_one.ts'));
    expect(cached.all.map((r) => r.id)).toEqual(['a1', 'b1']);

    // A row no file knows is still reported on a cache hit.
    const again = await load();
    expect(() => again.planUpgrade(['b1', 'zz'], 'head')).toThrow(/Can't locate revision identified by 'zz'/);
  });

  it('answers heads and the database-at-head questions from the summary, with the same answers as the graph', async () => {
    const { versions, cacheDir, load } = setup();
    writeFileSync(join(versions, 'c1_three.ts'), file('c1', 'a1').replace('branchLabels = null', "branchLabels = ['side']"));
    const built = await load();
    // The headers file is the only source of anything but the heads: without it, only the summary can answer.
    const headersFile = join(cacheDir, readdirSync(cacheDir).find((name) => name.startsWith('headers-'))!);
    writeFileSync(headersFile, '{ not json');
    const summary = await load();
    for (const map of [summary, built]) {
      expect(map.headIds).toEqual(['b1', 'c1']);
      expect(map.heads.map((r) => r.path)).toEqual([join(versions, 'b1_two.ts'), join(versions, 'c1_three.ts')]);
      expect(map.branchLabelsOf('c1')).toEqual(['side']);
      expect([map.isHead('c1'), map.isRealHead('c1'), map.isEffectiveHead('c1'), map.isBranchPoint('c1'), map.isMergePoint('c1')]).toEqual([
        true,
        true,
        false,
        false,
        false,
      ]);
      expect(map.children('b1')).toEqual([]);
      expect(map.allCurrent(['c1']).map((r) => r.id)).toEqual(['c1']);
    }
    expect(readFileSync(headersFile, 'utf8')).toBe('{ not json');
    // Anything below the heads builds the graph (and mends the headers file).
    expect(summary.isBranchPoint('a1')).toBe(true);
    expect(summary.allCurrent(['a1']).map((r) => r.id)).toEqual(['a1']);
    expect(readFileSync(headersFile, 'utf8')).toContain('"files"');
  });

  it('notices a header edited in place (same size) and keeps reporting the error until it is fixed', async () => {
    const { versions, load } = setup();
    await load();
    expect((await load()).headIds).toEqual(['b1']);

    // downRevision changed to a missing id, same length: only the mtime tells.
    const b = join(versions, 'b1_two.ts');
    editInPlace(b, file('b1', 'x9'), 5);
    await expect(load()).rejects.toThrow(/Revision x9 referenced from b1 .* is not present/);
    // The failed file set is not trusted next time either.
    await expect(load()).rejects.toThrow(/Revision x9 referenced from b1 .* is not present/);

    editInPlace(b, file('b1', 'a1'), 10);
    const fixed = await load();
    expect(fixed.planUpgrade(['b1'], 'head')).toEqual([]);
    expect(fixed.planUpgrade(['a1'], 'head').map((s) => s.revision.id)).toEqual(['b1']);
  });

  it('notices a new file and a removed one', async () => {
    const { versions, load } = setup();
    await load();
    await load();

    writeFileSync(join(versions, 'c1_three.ts'), file('c1', 'b1'));
    const added = await load();
    expect(added.headIds).toEqual(['c1']);
    const cachedAdded = await load();
    // The database at the old head now has one revision to run.
    expect(cachedAdded.planUpgrade(['b1'], 'head').map((s) => s.revision.id)).toEqual(['c1']);
    expect(cachedAdded.planUpgrade(['c1'], 'head')).toEqual([]);

    // A second file claiming an existing id is a load error, cache or not.
    writeFileSync(join(versions, 'd1_copy.ts'), file('c1', 'b1'));
    await expect(load()).rejects.toThrow(/Revision c1 is present more than once/);
    unlinkSync(join(versions, 'd1_copy.ts'));
    unlinkSync(join(versions, 'c1_three.ts'));
    await load();
    const removed = await load();
    expect(removed.planUpgrade(['b1'], 'head')).toEqual([]);
    expect(() => removed.planUpgrade(['c1'], 'head')).toThrow(/Can't locate revision identified by 'c1'/);
  });

  it('keeps several heads apart on a cache hit: `head` is ambiguous, `heads` plans the new one', async () => {
    const { versions, load } = setup();
    await load();
    // A new branch off a1: two heads, `head` is ambiguous, `heads` needs the new one.
    writeFileSync(join(versions, 'e1_branch.ts'), file('e1', 'a1'));
    await load();
    const cached = await load();
    expect(() => cached.planUpgrade(['b1'], 'head')).toThrow(/Multiple head revisions/);
    expect(cached.planUpgrade(['b1'], 'heads').map((s) => s.revision.id)).toEqual(['e1']);
    expect(cached.planUpgrade(['b1', 'e1'], 'heads')).toEqual([]);
  });
});

describe('derived text cache', () => {
  it('is served for the same files and variant only, and never without the cache', async () => {
    const { versions, load } = setup();
    const first = await load();
    expect(readDerivedText(first, 'listing', 'v1')).toBeUndefined();
    writeDerivedText(first, 'listing', 'v1', 'b1\na1');
    expect(readDerivedText(await load(), 'listing', 'v1')).toBe('b1\na1');
    // Another variant (other options, another version of revise) does not see it.
    expect(readDerivedText(await load(), 'listing', 'v2')).toBeUndefined();
    // Any change to the files retires it.
    editInPlace(join(versions, 'b1_two.ts'), file('b1', 'a1').replace('step b1', 'step B1'), 10);
    expect(readDerivedText(await load(), 'listing', 'v1')).toBeUndefined();
    // A graph loaded without the cache has nowhere to keep it.
    const uncached = await loadScriptDirectory([versions]);
    writeDerivedText(uncached, 'listing', 'v1', 'x');
    expect(readDerivedText(uncached, 'listing', 'v1')).toBeUndefined();
  });
});
