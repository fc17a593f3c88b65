import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ReviseError } from '../errors.js';
import type { CheckResult } from '../testing/checks.js';
import { resolveIO, type ActionOptions } from './context.js';
import { openEnvs } from './scripts.js';

export interface TestOptions extends ActionOptions {
  /** The heads the history must have; default exactly one. */
  heads?: string[];
  /** With rows: `true` for rows made up from the table shapes, or a .sql / .ts seed file. */
  seed?: true | string;
  /** Print the results as JSON on stdout. */
  json?: boolean;
  /** Also write a JUnit XML report to this file. */
  junit?: string;
}

/**
 * `revise test`: pytest-alembic's checks on a scratch database created for
 * the run and dropped after it (the project's own database is never
 * migrated). Throws a ReviseError (exit 1) when any check fails; irreversible
 * revisions are reported as skipped.
 */
export async function test(options: TestOptions = {}): Promise<CheckResult[]> {
  const { cwd, out, log } = resolveIO(options);
  const seed = typeof options.seed === 'string' ? resolve(cwd, options.seed) : options.seed;
  const envs = await openEnvs(options);
  const { runMigrationTests } = await import('../testing/checks.js');
  const { junitReport, summary, textReport } = await import('../testing/report.js');
  let results: CheckResult[] = [];
  for (const env of envs) {
    const prefix = env.database !== undefined ? `${env.database}: ` : '';
    const found = await runMigrationTests(env, {
      ...(options.heads ? { heads: options.heads } : {}),
      ...(seed !== undefined ? { seed } : {}),
      log,
    });
    results = results.concat(found.map((r) => (prefix ? { ...r, check: `${prefix}${r.check}` } : r)));
  }
  if (options.junit) writeFileSync(resolve(cwd, options.junit), junitReport(results));
  if (options.json) out(JSON.stringify({ results, summary: summary(results) }, null, 2));
  else for (const line of textReport(results)) out(line);
  const failed = results.filter((r) => r.status === 'failed');
  if (failed.length > 0) throw new ReviseError(`revise test: ${failed.length} check(s) failed (${summary(results)})`);
  return results;
}
