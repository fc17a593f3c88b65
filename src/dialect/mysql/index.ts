import type { Dialect } from '../types.js';
import { compileMysql, quoteIdentifier, renderLiteral } from './ddl.js';
import { connectMysql } from './driver.js';
import { mysqlRiskNotes } from './risk.js';
import { mysqlTypeMap } from './type-map.js';

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
};

export { MysqlConnection } from './driver.js';
export { parseMysqlUrl } from './url.js';
