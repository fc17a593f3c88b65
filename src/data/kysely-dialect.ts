import {
  Kysely,
  MysqlAdapter,
  MysqlIntrospector,
  MysqlQueryCompiler,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type DialectAdapter,
  type Dialect as KyselyDialect,
  type Driver,
  type QueryCompiler,
  type QueryResult,
} from 'kysely';
import type { Dialect, DialectName, StatementResult } from '../dialect/types.js';
import type { MigrationOps } from '../operations/api.js';
import { ReviseError } from '../errors.js';

/**
 * The typed handle a data hook receives: a Kysely instance typed by the table
 * shapes frozen in the revision file, running in the revision's own
 * connection and transaction (or written into the `--sql` script).
 */
export type RevisionDb<Tables> = Kysely<Tables>;

/**
 * A revision's data hook (`const upgradeData: DataHook<UpgradeTables> = async (op, db) => { ... }`):
 * its parameters are typed from here, so an empty skeleton declares none and
 * passes a project's `noUnusedParameters`.
 */
export type DataHook<Tables> = (op: MigrationOps, db: RevisionDb<Tables>) => Promise<void>;

/**
 * Where the handle's compiled statements go. The op executor provides it:
 * online it runs them on the revision's connection and returns what the
 * driver reports (rows, written-row count, SQLite's inserted rowid); offline
 * it writes them (literals inlined) to the script and returns no rows and no
 * counts.
 */
export interface DataStatementRunner {
  /** `read`: a SELECT (offline it is left out of the script: it could only print rows). */
  run(sql: string, params: readonly unknown[], read: boolean): Promise<StatementResult>;
}

interface CompilerKit {
  compiler: () => QueryCompiler;
  adapter: () => DialectAdapter;
  introspector: (db: Kysely<any>) => DatabaseIntrospector;
}

const KITS: Record<'sqlite' | 'postgres' | 'mysql', CompilerKit> = {
  sqlite: {
    compiler: () => new SqliteQueryCompiler(),
    adapter: () => new SqliteAdapter(),
    introspector: (db) => new SqliteIntrospector(db),
  },
  postgres: {
    compiler: () => new PostgresQueryCompiler(),
    adapter: () => new PostgresAdapter(),
    introspector: (db) => new PostgresIntrospector(db),
  },
  mysql: {
    compiler: () => new MysqlQueryCompiler(),
    adapter: () => new MysqlAdapter(),
    introspector: (db) => new MysqlIntrospector(db),
  },
};

/** Used only when a Dialect object does not say which compiler it wants. */
const DEFAULT_COMPILER: Record<DialectName, 'sqlite' | 'postgres' | 'mysql'> = { sqlite: 'sqlite', postgresql: 'postgres', mysql: 'mysql' };

/** A Kysely handle whose every query goes through `runner` (the revision's connection or the offline script). */
export function createRevisionDb<Tables>(dialect: Pick<Dialect, 'name' | 'dataCompiler'>, runner: DataStatementRunner): RevisionDb<Tables> {
  const kit = KITS[dialect.dataCompiler ?? DEFAULT_COMPILER[dialect.name]];
  return new Kysely<Tables>({ dialect: new RevisionKyselyDialect(kit, runner) });
}

class RevisionKyselyDialect implements KyselyDialect {
  constructor(
    private readonly kit: CompilerKit,
    private readonly runner: DataStatementRunner,
  ) {}

  createDriver(): Driver {
    return new RevisionDriver(new RevisionConnection(this.runner));
  }
  createQueryCompiler(): QueryCompiler {
    return this.kit.compiler();
  }
  createAdapter(): DialectAdapter {
    return this.kit.adapter();
  }
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return this.kit.introspector(db);
  }
}

/**
 * One connection, the revision's. Transactions belong to the runner: a data
 * hook already runs inside the revision's transaction, and committing from
 * inside it would break the all-or-nothing promise of a revision.
 */
class RevisionDriver implements Driver {
  constructor(private readonly connection: RevisionConnection) {}

  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return this.connection;
  }
  async beginTransaction(): Promise<void> {
    throw new ReviseError(
      "db.transaction() is not available in a data hook: it already runs in the revision's transaction (use op.autocommitBlock for work outside it)",
    );
  }
  async commitTransaction(): Promise<void> {}
  async rollbackTransaction(): Promise<void> {}
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}

class RevisionConnection implements DatabaseConnection {
  constructor(private readonly runner: DataStatementRunner) {}

  /** Counts as Kysely's own drivers report them, so `numUpdatedRows` and friends (and `sql` writes) are real. */
  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.runner.run(compiled.sql, compiled.parameters, compiled.query.kind === 'SelectQueryNode');
    return {
      rows: result.rows as R[],
      ...(result.affectedRows !== undefined ? { numAffectedRows: BigInt(result.affectedRows) } : {}),
      ...(result.insertId !== undefined ? { insertId: result.insertId } : {}),
    };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new ReviseError('streaming queries are not supported in data hooks; walk large tables with op.batched()');
  }
}
