import { indent, renderRevisionHeader, writeRevisionSource, type RevisionHeaderInput } from '../script/write.js';

/** One database's pair in a multidb revision: source lines, additive before destructive. */
export interface DatabaseSteps {
  name: string;
  upgrade: { additive: string[]; destructive: string[] };
  downgrade: { additive: string[]; destructive: string[] };
}

export interface MultidbRevisionInput extends RevisionHeaderInput {
  /** Every database of the project, in package.json order; each gets its pair, empty or not. */
  databases: DatabaseSteps[];
}

function fn(name: string, steps: { additive: string[]; destructive: string[] }, database: string): string[] {
  const body =
    steps.additive.length + steps.destructive.length === 0
      ? ['  // no schema changes']
      : [
          ...steps.additive.map((s) => indent(s)),
          // Where a data migration goes: after the additive steps, before the destructive ones.
          ...(steps.destructive.length > 0 ? [`  // data migration for ${database} goes here`, ...steps.destructive.map((s) => indent(s))] : []),
        ];
  return [`export async function ${name}(op: MigrationOps): Promise<void> {`, ...body, '}', ''];
}

/**
 * The text of a multidb revision (Alembic's multidb `script.py.mako`): the
 * usual header, then `upgrade_<db>(op)` / `downgrade_<db>(op)` for every
 * database. `revise upgrade` runs each database's pair against that database.
 */
export function renderMultidbRevisionFile(input: MultidbRevisionInput): string {
  const lines = renderRevisionHeader(input, ["import type { MigrationOps } from 'prisma-revise';"]);
  for (const db of input.databases) {
    lines.push(...fn(`upgrade_${db.name}`, db.upgrade, db.name), ...fn(`downgrade_${db.name}`, db.downgrade, db.name));
  }
  return lines.join('\n');
}

/** Write a new multidb revision file into `dir` and return its path (refuses an id already there). */
export async function writeMultidbRevisionFile(dir: string, input: MultidbRevisionInput): Promise<string> {
  return writeRevisionSource(dir, input.id, input.message, renderMultidbRevisionFile(input));
}
