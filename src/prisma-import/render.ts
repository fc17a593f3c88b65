import { renderRevisionHeader, renderRevisionPair, revisionImport } from '../script/write.js';
import type { PlannedDowngrade } from './downgrade.js';
import { PRISMA_CHECKSUM_EXPORT, PRISMA_MIGRATION_EXPORT } from './recorded.js';
import type { ReplayedMigration } from './replay.js';

export interface ImportedRevisionInput {
  id: string;
  downRevision: string | null;
  createDate: Date;
  replayed: ReplayedMigration;
  downgrade: PlannedDowngrade;
  /** Top-level lines written after the SQL (the `prismaNames` of the head revision). */
  extra?: string[];
  /** Why the downgrade could not be confirmed on the scratch database, if it could not. */
  unverified?: string;
}

/**
 * SQL as a template literal, character for character: at the top level of
 * the file (never indented), backslashes, backticks, `${` and carriage
 * returns escaped.
 */
export function sqlLiteral(sql: string): string {
  return '`' + sql.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${').replace(/\r/g, '\\r') + '`';
}

function sqlConst(name: string, doc: string, statements: string[]): string[] {
  if (statements.length === 0) return [];
  return [`/** ${doc} */`, `const ${name}: string[] = [`, ...statements.map((s) => `${sqlLiteral(s)},`), '];', ''];
}

/** `// WARNING:` / `// NOTE:` lines, one per sentence. */
const comments = (label: string, sentences: string[]) => sentences.map((s) => `// ${label}: ${s}`);

/**
 * The revision file of one imported Prisma migration: its SQL statement by
 * statement as the upgrade, the generated downgrade, the data hooks between
 * their steps, and the migration's name and checksum.
 */
export function renderImportedRevision(input: ImportedRevisionInput): string {
  const { replayed, downgrade } = input;
  const name = replayed.migration.name;
  const statements = replayed.statements;
  const anyOutside = statements.some((s) => s.outsideTransaction);
  const upgradeLines = [
    ...comments('NOTE', replayed.notes),
    ...(statements.length === 0
      ? []
      : anyOutside
        ? statements.map((s, i) => (s.outsideTransaction ? `await op.autocommitBlock(() => op.execute(upgradeSql[${i}]!));` : `await op.execute(upgradeSql[${i}]!);`))
        : ['for (const statement of upgradeSql) await op.execute(statement);']),
  ];
  const downgradeFirst = downgrade.first.length > 0 ? ['for (const statement of downgradeSqlFirst) await op.execute(statement);'] : [];
  const downgradeLast = downgrade.last.length > 0 ? ['for (const statement of downgradeSqlLast) await op.execute(statement);'] : [];
  const downgradeWarnings = [
    ...(input.unverified ? [`this downgrade ${input.unverified}.`] : []),
    ...downgrade.warnings,
  ];
  const pair = renderRevisionPair(
    { additive: upgradeLines, destructive: [] },
    {
      additive: [...comments('WARNING', downgradeWarnings), ...downgradeFirst, ...downgrade.steps.additive],
      destructive: [...downgrade.steps.destructive, ...downgradeLast],
      ...(downgrade.steps.frozen ? { frozen: downgrade.steps.frozen } : {}),
    },
  );
  const lines = renderRevisionHeader(
    {
      id: input.id,
      message: `${name}\n\nImported from Prisma Migrate: ${name}/migration.sql.`,
      downRevision: input.downRevision,
      createDate: input.createDate,
    },
    [revisionImport(pair)],
  );
  lines.push(
    '/** The Prisma Migrate migration this revision was imported from (`_prisma_migrations.migration_name`), and Prisma\'s checksum of its migration.sql. */',
    `export const ${PRISMA_MIGRATION_EXPORT} = '${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}';`,
    `export const ${PRISMA_CHECKSUM_EXPORT} = '${replayed.migration.checksum}';`,
    '',
  );
  if (downgrade.irreversible) {
    lines.push(`/** Why downgrade() refuses to run. */`, `export const irreversible = ${JSON.stringify(`migration ${name} cannot be undone: ${downgrade.irreversible}`)};`, '');
  }
  lines.push(
    ...sqlConst('upgradeSql', `migration.sql of ${name}, statement by statement, run in this revision's transaction.`, statements.map((s) => s.sql)),
    ...sqlConst(
      'downgradeSqlFirst',
      'Outside the table model, before the steps below: views, triggers, policies, constraints the migration made go; earlier functions and types come back.',
      downgrade.first,
    ),
    ...sqlConst(
      'downgradeSqlLast',
      'Outside the table model, after the steps below: functions and types the migration made go; earlier views, triggers, policies, constraints come back.',
      downgrade.last,
    ),
  );
  if (input.extra && input.extra.length > 0) lines.push(...input.extra, '');
  lines.push(...pair);
  return lines.join('\n');
}

/** `20240102030405_add_posts` -> that moment (local time, as Create Date prints it); else undefined. */
export function folderDate(name: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})/.exec(name);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(y, mo - 1, d, h, mi, s);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
