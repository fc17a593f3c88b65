import type { Connection, Dialect } from '../types.js';
import { compilePostgres, quoteIdentifier, renderLiteral } from './ddl.js';
import { connectPostgres } from './driver.js';
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
  contextImpl: 'PostgresqlImpl',
  // A real commit per revision, so one revision's locks are not held through the rest of the run.
  revisionBoundary: 'commit',
  bindMarker: (index) => `$${index}`,
  tableExistsQuery: (table, schema) =>
    schema
      ? { sql: 'SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2', params: [schema, table] }
      : { sql: 'SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1', params: [table] },
  connect: (url, options) => connectPostgres(postgresDialect, url, options),
  // Loaded on first use: a no-op `upgrade head` never introspects.
  introspect: async (connection, options) => (await import('./introspector.js')).introspectPostgres(connection, options),
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
