import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { ensureBuilt, problemLines, runCli } from './support/e2e.js';

const dir = mkdtempSync(join(tmpdir(), 'revise-unknown-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('an unknown command is one Error: line, with a suggestion when one is close, and exit 2', () => {
  ensureBuilt();
  const typo = runCli(['upgrad', 'head'], { cwd: dir });
  expect(typo.status).toBe(2);
  expect(problemLines(typo.stderr)).toEqual(["Error: unknown command 'upgrad' (did you mean 'upgrade'?); see 'revise --help'"]);
  const unknown = runCli(['frob'], { cwd: dir });
  expect(unknown.status).toBe(2);
  expect(problemLines(unknown.stderr)).toEqual(["Error: unknown command 'frob'; see 'revise --help'"]);
});
