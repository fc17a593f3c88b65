/**
 * The console output of the CLI: stdout to a pipe or file is written in
 * blocks (one system call per line made `history` on thousands of revisions
 * slow), yet nothing is lost at exit, a reader that is slow to drain the pipe
 * still gets everything, and stderr lines stay in order with stdout lines.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureBuilt, REPO_ROOT } from './support/e2e.js';

const dir = mkdtempSync(join(tmpdir(), 'revise-output-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const outputModule = pathToFileURL(join(REPO_ROOT, 'dist', 'cli', 'output.js')).href;

/** A process that prints through consoleOutput: `lines` stdout lines with a stderr line after every `logEvery`. */
function script(lines: number, logEvery: number): string {
  return `const { consoleOutput } = await import(${JSON.stringify(outputModule)});
for (let i = 0; i < ${lines}; i++) {
  consoleOutput.out('out ' + i);
  if ((i + 1) % ${logEvery} === 0) consoleOutput.log('log ' + i);
}`;
}

describe('console output', () => {
  it('keeps stdout and stderr lines in order when both go to one file', () => {
    ensureBuilt();
    const file = join(dir, 'both.txt');
    const fd = openSync(file, 'w');
    try {
      const res = spawnSync(process.execPath, ['--input-type=module', '-e', script(3000, 1000)], { stdio: ['ignore', fd, fd] });
      expect(res.status).toBe(0);
    } finally {
      closeSync(fd);
    }
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(3003);
    expect(lines[1000]).toBe('log 999');
    expect(lines[1001]).toBe('out 1000');
    expect(lines.at(-1)).toBe('log 2999');
  });

  it('delivers everything through a pipe, even past its buffer and to a slow reader', () => {
    ensureBuilt();
    // ~1 MB of stdout with no stderr line to flush it: only the block writes and the exit flush deliver it.
    const res = spawnSync('sh', ['-c', `"${process.execPath}" --input-type=module -e "$SCRIPT" | (sleep 0.5; wc -l)`], {
      env: { ...process.env, SCRIPT: script(100_000, 1_000_000) },
      encoding: 'utf8',
    });
    expect(res.status).toBe(0);
    expect(Number(res.stdout.trim())).toBe(100_000);
  });
});
