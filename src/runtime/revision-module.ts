import { ReviseError } from '../errors.js';
import type { MigrationOps } from '../operations/api.js';

/** What a revision file exports. */
export interface RevisionModule {
  upgrade(op: MigrationOps): Promise<void>;
  downgrade(op: MigrationOps): Promise<void>;
  /** `true` or a reason: the downgrade cannot restore what the upgrade removed. */
  irreversible?: boolean | string;
  /** Where the code came from: the revision file and the transform Node ran (see errorLocation). */
  source: RevisionSource;
}

export interface RevisionSource {
  /** The revision file as written. */
  path: string;
  /** The file Node imported: the cached transform with its inline source map (or the file itself, or a chain part). */
  transformFile: string;
}

/** A revision file's exports as a RevisionModule; refuses a file without its upgrade/downgrade pair. */
export function revisionModule(mod: Record<string, unknown>, origin: RevisionSource, database: string | undefined): RevisionModule {
  // multidb: each database has its own pair, upgrade_<database> / downgrade_<database> (Alembic's multidb template).
  // Or, the same pairs as objects: `export const upgrades = { catalog: async (op) => {...} }`.
  const [upName, downName] = database === undefined ? PLAIN_PAIR : [`upgrade_${database}`, `downgrade_${database}`];
  const upgrade = mod[upName] ?? (database === undefined ? undefined : (mod.upgrades as Record<string, unknown> | undefined)?.[database]);
  const downgrade = mod[downName] ?? (database === undefined ? undefined : (mod.downgrades as Record<string, unknown> | undefined)?.[database]);
  if (typeof upgrade !== 'function') throw notExported(origin.path, upName);
  if (typeof downgrade !== 'function') throw notExported(origin.path, downName);
  const revision: RevisionModule = { upgrade: upgrade as RevisionModule['upgrade'], downgrade: downgrade as RevisionModule['downgrade'], source: origin };
  const irreversible = mod.irreversible;
  if (typeof irreversible === 'boolean' || typeof irreversible === 'string') revision.irreversible = irreversible;
  return revision;
}

/** What revisionModule reads of a revision: for one database (multidb) its `_<database>` pair and the pair objects. */
export function revisionExports(database: string | undefined): string[] {
  const suffix = database === undefined ? '' : `_${database}`;
  return [`upgrade${suffix}`, `downgrade${suffix}`, ...(database === undefined ? [] : ['upgrades', 'downgrades']), 'irreversible'];
}

const PLAIN_PAIR = ['upgrade', 'downgrade'] as const;

function notExported(path: string, name: string): ReviseError {
  return new ReviseError(`Revision file ${path} does not export an async function ${name}(op)`);
}
