import type { Dialect } from '../types.js';
import { compileMysql, quoteIdentifier, renderLiteral } from './ddl.js';
import { connectMysql } from './driver.js';
import { mysqlRiskNotes } from './risk.js';
import { mysqlTypeMap } from './type-map.js';

/**
 * Errors a DDL statement gives when its change is already made: table exists
 * (1050) / unknown table (1051), unknown column (1054), duplicate column
 * (1060), duplicate key name (1061), multiple primary keys (1068), can't drop
 * missing column or key (1091), no such table (1146: a table already renamed),
 * key does not exist (1176: an index already renamed), duplicate foreign key
 * name (1826), table can't be created (1005: MariaDB's duplicate foreign key).
 * Consulted only for the one statement a killed run may or may not have done.
 */
const ALREADY_APPLIED = new Set([1005, 1050, 1051, 1054, 1060, 1061, 1068, 1091, 1146, 1176, 1826]);

export const mysqlDialect: Dialect = {
  name: 'mysql',
  // MySQL and MariaDB commit before and after every DDL statement.
  transactionalDdl: false,
  typeMap: mysqlTypeMap,
  preferBatch: false,
  contextImpl: 'MySQLImpl',
  revisionBoundary: 'commit',
  bindMarker: () => '?',
  tableExistsQuery: (table) => ({
    sql: 'SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
    params: [table],
  }),
  connect: (url, options) => connectMysql(mysqlDialect, url, options),
  introspect: async (connection, options) => (await import('./introspector.js')).introspectMysql(connection, options),
  compile: compileMysql,
  quoteIdentifier,
  renderLiteral,
  offlinePreamble: () => [],
  async prepareForMigration() {},
  async beforeCommit() {},
  dataCompiler: 'mysql',
  riskNotes: mysqlRiskNotes,
  foreignKeysPinColumnTypes: true,
  implicitForeignKeyIndexes: true,
  alreadyApplied: (error) => ALREADY_APPLIED.has(Number((error as { errno?: number })?.errno)),
};

export { MysqlConnection } from './driver.js';
export { parseMysqlUrl } from './url.js';
