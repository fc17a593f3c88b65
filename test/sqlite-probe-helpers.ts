import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqliteDialect } from '../src/dialect/sqlite/index.js';
import type { CompileContext } from '../src/dialect/types.js';

/** Every project chainProject made, for cleanupChainProjects. */
const made: string[] = [];

/**
 * A project of revisions r1..rn (each on the one before) with these upgrade
 * bodies, and downgrade bodies where given, on a SQLite file of its own.
 * cleanupChainProjects removes every project this helper made.
 */
export function chainProject(prefix: string, ups: string[], downs: string[] = []): { cwd: string; url: string; file: string } {
  const cwd = mkdtempSync(join(tmpdir(), prefix));
  made.push(cwd);
  writeFileSync(join(cwd, 'package.json'), JSON.stringify({ name: 's', private: true, type: 'module' }));
  mkdirSync(join(cwd, 'migrations', 'versions'), { recursive: true });
  ups.forEach((body, i) =>
    writeFileSync(
      join(cwd, 'migrations', 'versions', `r${i + 1}_step.ts`),
      `export const revision = 'r${i + 1}';\nexport const downRevision = ${i === 0 ? 'null' : `'r${i}'`};\n` +
        `export async function upgrade(op: any) {\n  ${body}\n}\nexport async function downgrade(op: any) {\n  ${downs[i] ?? ''}\n}\n`,
    ),
  );
  const file = join(cwd, 'app.db');
  return { cwd, url: `file:${file}`, file };
}

export function cleanupChainProjects(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Runs `run`; how many queries the SQLite compiler's probe made that `counted` picks out. */
export async function countProbeQueries(counted: (sql: string) => boolean, run: () => Promise<unknown>): Promise<number> {
  let probes = 0;
  const original = sqliteDialect.compile;
  sqliteDialect.compile = (op, context: CompileContext) => {
    const probe = context.probe;
    if (!probe) return original(op, context);
    const query = (sql: string, params: unknown[]) => {
      if (counted(sql)) probes++;
      return probe.query(sql, params);
    };
    return original(op, { ...context, probe: { ...probe, query } });
  };
  try {
    await run();
  } finally {
    sqliteDialect.compile = original;
  }
  return probes;
}
