import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { expect } from 'vitest';
import type { MigrationStep } from '../src/script/graph.ts';
import type { Revision } from '../src/script/revision.ts';

/** A revision as the graph sees it, without a file. */
export function rev(
  id: string,
  down: string | string[] | null,
  extra: { labels?: string[]; dependsOn?: string[]; message?: string } = {},
): Revision {
  return {
    id,
    downRevisions: down === null ? [] : typeof down === 'string' ? [down] : down,
    branchLabels: extra.labels ?? [],
    dependsOn: extra.dependsOn ?? [],
    message: extra.message ?? `revision ${id}`,
    path: `/versions/${id}_x.ts`,
  };
}

/**
 * Apply steps to a simulated alembic_version table the way the runtime does
 * (DELETE each deleteHeads row, INSERT each insertHeads row), checking every
 * row deleted exists and every row inserted is new. Returns the rows after
 * each step, keyed by revision id.
 */
export function applySteps(start: string[], steps: MigrationStep[]): { rows: string[]; after: Map<string, string[]> } {
  const rows = new Set(start);
  const after = new Map<string, string[]>();
  for (const step of steps) {
    for (const id of step.deleteHeads) {
      expect(rows.has(id), `step ${step.revision.id} deletes missing row ${id}`).toBe(true);
      rows.delete(id);
    }
    for (const id of step.insertHeads) {
      expect(rows.has(id), `step ${step.revision.id} inserts existing row ${id}`).toBe(false);
      rows.add(id);
    }
    after.set(step.revision.id, [...rows].sort());
  }
  return { rows: [...rows].sort(), after };
}

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A temporary ESM project whose revisions can import types from
 * 'prisma-revise' (linked to this repository): its root, empty versions
 * folder and revise's cache folder under node_modules (not created).
 */
export function revisionProject(prefix: string): { root: string; versions: string; cache: string; cleanup: () => void } {
  const { dir: root, cleanup } = tempDir(prefix);
  const versions = join(root, 'migrations', 'versions');
  mkdirSync(versions, { recursive: true });
  mkdirSync(join(root, 'node_modules'), { recursive: true });
  symlinkSync(resolve(import.meta.dirname, '..'), join(root, 'node_modules', 'prisma-revise'), 'dir');
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: basename(root), private: true, type: 'module' }));
  return { root, versions, cache: join(root, 'node_modules', '.cache', 'revise'), cleanup };
}
