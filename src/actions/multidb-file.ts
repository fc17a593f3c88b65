import { formatCreateDate, writeRevisionSource } from '../script/write.js';

/** One database's pair in a multidb revision: source lines, additive before destructive. */
export interface DatabaseSteps {
  name: string;
  upgrade: { additive: string[]; destructive: string[] };
  downgrade: { additive: string[]; destructive: string[] };
}

export interface MultidbRevisionInput {
  id: string;
  message: string;
  downRevision: string | string[] | null;
  branchLabels?: string[] | null;
  dependsOn?: string[] | null;
  createDate: Date;
  /** Every database of the project, in package.json order; each gets its pair, empty or not. */
  databases: DatabaseSteps[];
}

const quote = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function list(value: string[] | null | undefined): string {
  return !value || value.length === 0 ? 'null' : `[${value.map(quote).join(', ')}]`;
}

function indent(statement: string): string {
  return statement
    .split('\n')
    .map((line) => (line.trim() === '' ? '' : `  ${line}`))
    .join('\n');
}

function fn(name: string, steps: { additive: string[]; destructive: string[] }, database: string): string[] {
  const body =
    steps.additive.length + steps.destructive.length === 0
      ? ['  // no schema changes']
      : [
          ...steps.additive.map(indent),
          // Where a data migration goes: after the additive steps, before the destructive ones.
          ...(steps.destructive.length > 0 ? [`  // data migration for ${database} goes here`, ...steps.destructive.map(indent)] : []),
        ];
  return [`export async function ${name}(op: MigrationOps): Promise<void> {`, ...body, '}', ''];
}

/**
 * The text of a multidb revision (Alembic's multidb `script.py.mako`): the
 * usual header, then `upgrade_<db>(op)` / `downgrade_<db>(op)` for every
 * database. `revise upgrade` runs each database's pair against that database.
 */
export function renderMultidbRevisionFile(input: MultidbRevisionInput): string {
  const downs = input.downRevision === null ? [] : typeof input.downRevision === 'string' ? [input.downRevision] : input.downRevision;
  const message = (input.message.trim() || 'empty message').replace(/\*\//g, '*\\/');
  const doc = [
    ...message.split(/\r?\n/),
    '',
    `Revision ID: ${input.id}`,
    `Revises: ${downs.join(', ')}`.trimEnd(),
    `Create Date: ${formatCreateDate(input.createDate)}`,
  ];
  const lines = [
    '/**',
    ...doc.map((line) => (line === '' ? ' *' : ` * ${line}`)),
    ' */',
    "import type { MigrationOps } from 'prisma-revise';",
    '',
    `export const revision = ${quote(input.id)};`,
    `export const downRevision: string | string[] | null = ${downs.length === 1 ? quote(downs[0]!) : list(downs)};`,
    `export const branchLabels: string[] | null = ${list(input.branchLabels)};`,
    `export const dependsOn: string[] | null = ${list(input.dependsOn)};`,
    '',
  ];
  for (const db of input.databases) {
    lines.push(...fn(`upgrade_${db.name}`, db.upgrade, db.name), ...fn(`downgrade_${db.name}`, db.downgrade, db.name));
  }
  return lines.join('\n');
}

/** Write a new multidb revision file into `dir` and return its path (refuses an id already there). */
export async function writeMultidbRevisionFile(dir: string, input: MultidbRevisionInput): Promise<string> {
  return writeRevisionSource(dir, input.id, input.message, renderMultidbRevisionFile(input));
}
