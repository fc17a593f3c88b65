/**
 * The revision header cache of loadScriptDirectory: unchanged files come from
 * the cache, edited / added / removed files are seen at once, and a damaged
 * cache is rebuilt.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScriptDirectory } from '../src/script/directory.js';

const dir = mkdtempSync(join(tmpdir(), 'revise-header-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (id: string, down: string | null, message = `step ${id}`) =>
  `/**\n * ${message}\n */\nexport const revision = '${id}';\nexport const downRevision = ${down ? `'${down}'` : 'null'};\nexport const branchLabels = null;\nexport const dependsOn = null;\n`;

describe('header cache', () => {
  it('serves unchanged files, sees edits, additions and removals, survives a damaged cache', async () => {
    const versions = join(dir, 'versions');
    const cacheDir = join(dir, 'cache');
    mkdirSync(versions);
    writeFileSync(join(versions, 'a_one.ts'), file('a', null));
    writeFileSync(join(versions, 'b_two.ts'), file('b', 'a'));
    const first = await loadScriptDirectory([versions], { cacheDir });
    expect(first.headIds).toEqual(['b']);
    // The graph summary and the headers, one file each.
    expect(readdirSync(cacheDir).sort()).toEqual([expect.stringMatching(/^graph-.*\.json$/), expect.stringMatching(/^headers-.*\.json$/)]);

    // From the cache: same answers, paths included.
    const second = await loadScriptDirectory([versions], { cacheDir });
    expect(second.get('b')).toEqual(first.get('b'));
    expect(second.get('b')!.path).toBe(join(versions, 'b_two.ts'));

    // An edit (new message, same length or not) is seen: mtime or size changes.
    writeFileSync(join(versions, 'b_two.ts'), file('b', 'a', 'renamed step'));
    utimesSync(join(versions, 'b_two.ts'), new Date(), new Date(Date.now() + 5000));
    expect((await loadScriptDirectory([versions], { cacheDir })).get('b')!.message).toBe('renamed step');

    // A new file and a removed one.
    writeFileSync(join(versions, 'c_three.ts'), file('c', 'b'));
    expect((await loadScriptDirectory([versions], { cacheDir })).headIds).toEqual(['c']);
    unlinkSync(join(versions, 'c_three.ts'));
    const afterRemoval = await loadScriptDirectory([versions], { cacheDir });
    expect(afterRemoval.headIds).toEqual(['b']);
    expect(afterRemoval.has('c')).toBe(false);

    // Damaged cache files are ignored and rewritten.
    for (const name of readdirSync(cacheDir)) writeFileSync(join(cacheDir, name), '{ not json');
    expect((await loadScriptDirectory([versions], { cacheDir })).headIds).toEqual(['b']);
    expect((await loadScriptDirectory([versions], { cacheDir })).all.map((r) => r.id)).toEqual(['a', 'b']);
    const headersFile = join(cacheDir, readdirSync(cacheDir).find((name) => name.startsWith('headers-'))!);
    expect(readFileSync(headersFile, 'utf8')).toContain('"files"');

    // Only the headers file damaged: the graph summary still answers, and the headers are mended on first use.
    writeFileSync(headersFile, '{ not json');
    const summaryOnly = await loadScriptDirectory([versions], { cacheDir });
    expect(summaryOnly.all.map((r) => r.id)).toEqual(['a', 'b']);
    expect(readFileSync(headersFile, 'utf8')).toContain('"files"');
  });
});
