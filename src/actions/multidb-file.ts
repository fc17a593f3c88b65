import { renderRevisionHeader, renderRevisionPair, revisionImport, writeRevisionSource, type RevisionHeaderInput, type RevisionSteps } from '../script/write.js';

/** One database's part of a multidb revision: its steps (with frozen shapes) and its recorded Prisma names. */
export interface DatabaseSteps {
  name: string;
  upgrade: RevisionSteps;
  downgrade: RevisionSteps;
  /** Top-level lines for this database: its `export const prismaNames_<db> = {...}`. */
  preamble?: string[];
}

export interface MultidbRevisionInput extends RevisionHeaderInput {
  /** Every database of the project, in package.json order; each gets its pair, empty or not. */
  databases: DatabaseSteps[];
}

/**
 * The text of a multidb revision (Alembic's multidb `script.py.mako`): the
 * usual header, then per database what the generic template writes once:
 * `prismaNames_<db>`, `upgrade_<db>(op)` / `downgrade_<db>(op)`, their data
 * hooks and frozen table shapes. `revise upgrade` runs each database's pair
 * against that database.
 */
export function renderMultidbRevisionFile(input: MultidbRevisionInput): string {
  const body: string[] = [];
  for (const db of input.databases) {
    if (db.preamble && db.preamble.length > 0) body.push(...db.preamble, '');
    body.push(...renderRevisionPair(db.upgrade, db.downgrade, `_${db.name}`));
  }
  return [...renderRevisionHeader(input, [revisionImport(body)]), ...body].join('\n');
}

/** Write a new multidb revision file into `dir` and return its path (refuses an id already there). */
export async function writeMultidbRevisionFile(dir: string, input: MultidbRevisionInput): Promise<string> {
  return writeRevisionSource(dir, input.id, input.message, renderMultidbRevisionFile(input));
}
