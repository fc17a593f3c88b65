import type { Dialect } from '../dialect/types.js';
import { ReviseError, maskUrl } from '../errors.js';

export type Provider = 'sqlite' | 'postgresql' | 'mysql';

/** The dialect for a provider. Imported lazily so only the one in use (and its driver) is ever loaded. */
export async function loadDialect(provider: Provider): Promise<Dialect> {
  switch (provider) {
    case 'sqlite':
      return (await import('../dialect/sqlite/index.js')).sqliteDialect;
    case 'postgresql':
      return (await import('../dialect/postgres/index.js')).postgresDialect;
    case 'mysql':
      return (await import('../dialect/mysql/index.js')).mysqlDialect;
    default:
      throw new ReviseError(`Unsupported provider "${String(provider)}" (revise supports sqlite, postgresql and mysql)`);
  }
}

/** Which provider a database URL is for, from its scheme. */
export function providerOfUrl(url: string): Provider {
  const lower = url.trim().toLowerCase();
  if (lower.startsWith('postgresql://') || lower.startsWith('postgres://')) return 'postgresql';
  if (lower.startsWith('file:') || lower.startsWith('sqlite:')) return 'sqlite';
  if (lower.startsWith('mysql://') || lower.startsWith('mariadb://')) return 'mysql';
  throw new ReviseError(
    `Cannot tell the database from the URL ${maskUrl(url)}: expected file:... (SQLite), postgresql://... (PostgreSQL) or mysql://... (MySQL, MariaDB)`,
  );
}
