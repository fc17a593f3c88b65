import type { Connection, Dialect } from '../types.js';
import { compilePostgres, quoteIdentifier, renderLiteral } from './ddl.js';
import { connectPostgres } from './driver.js';
import { introspectPostgres } from './introspector.js';
import { postgresRiskNotes } from './risk.js';
import { postgresTypeMap } from './type-map.js';

/** The schema migrations run in (the URL's `?schema=`), known to connections opened by this dialect. */
function defaultSchemaOf(connection: Connection): string {
  return (connection as { defaultSchema?: string }).defaultSchema ?? 'public';
}

export const postgresDialect: Dialect = {
  name: 'postgresql',
  transactionalDdl: true,
  typeMap: postgresTypeMap,
  preferBatch: false,
  connect: (url, options) => connectPostgres(postgresDialect, url, options),
  introspect: introspectPostgres,
  compile: compilePostgres,
  quoteIdentifier,
  renderLiteral,
  offlinePreamble: () => [],
  async prepareForMigration(connection) {
    // Prisma Migrate creates the target schema too (`CREATE SCHEMA IF NOT EXISTS "public"`).
    await connection.execute(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(defaultSchemaOf(connection))}`);
  },
  async beforeCommit() {},
  riskNotes: postgresRiskNotes,
};

export { PostgresConnection } from './driver.js';
export { parsePostgresUrl } from './url.js';
