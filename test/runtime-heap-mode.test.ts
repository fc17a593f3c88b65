/**
 * heap-mode.ts: inside a run V8's young generation stays at its starting
 * size however much survives; outside (before, and after the run put the
 * process back) it grows as V8 grows it. In a fresh Node process, so that
 * nothing before has grown it already.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const heapMode = pathToFileURL(join(import.meta.dirname, '..', 'dist', 'runtime', 'heap-mode.js')).href;

/** Young generation size (MB) after keeping `mb` of small objects alive, inside withSmallHeap or not. */
function youngAfterKeeping(inside: boolean, after = false): number {
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8';
    import { withSmallHeap } from ${JSON.stringify(heapMode)};
    const young = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 1048576;
    const kept = [];
    const keep = async () => { for (let i = 0; i < 600000; i++) kept.push({ i, name: 'n' + i }); };
    ${inside ? 'await withSmallHeap(keep);' : after ? 'await withSmallHeap(async () => {}); await keep();' : 'await keep();'}
    console.log(young());
  `;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return Number(run.stdout.trim());
}

describe('a small heap while a run applies revisions', () => {
  it('keeps the young generation at its starting size inside a run, and lets it grow outside', () => {
    const grown = youngAfterKeeping(false);
    const inside = youngAfterKeeping(true);
    const afterRun = youngAfterKeeping(false, true);
    expect(inside).toBeLessThanOrEqual(2);
    expect(grown).toBeGreaterThan(inside);
    expect(afterRun).toBeGreaterThan(inside);
  });
});
