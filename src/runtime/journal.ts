import type { Connection, Statement } from '../dialect/types.js';
import type { Operation } from '../operations/types.js';

/**
 * Progress of a revision on a database whose DDL is not transactional
 * (MySQL commits around every DDL statement), kept in the database itself so
 * that a failure, or a kill at any moment, is followed by an `upgrade` that
 * resumes where the revision stopped instead of repeating what already ran.
 *
 * One row per (revision, direction) in `revise_progress`, beside
 * `alembic_version` (which stays exactly Alembic's): how many operations ran
 * in full, and for the operation under way its statements as first compiled
 * (a resumed run replays those, not a new compilation against a changed
 * table) and how many of them ran. The row is written before and after each
 * DDL statement; a statement marked in flight ran or not, and a resumed run
 * that finds it already applied (the dialect says so from the error) goes on.
 * The row is deleted in the transaction that moves alembic_version.
 *
 * Data hooks: their writes are committed with the progress row written
 * before the first DDL statement after them (`dataDone`), so a resumed run
 * skips them rather than running them twice.
 */

export const JOURNAL_TABLE = 'revise_progress';

export interface JournalState {
  opsDone: number;
  statementsDone: number;
  /** The statements of the operation under way, as first compiled. */
  pending?: Statement[];
  /** `pending[statementsDone]` was started and may or may not have run. */
  inFlight: boolean;
  /** The data hook ran and its writes are committed. */
  dataDone: boolean;
  /** One line per operation that ran in full (for messages). */
  ran: string[];
  /** The operation count when the data hook first wrote (its writes are skipped on resume). */
  dataAt?: number;
}

export class RevisionJournal {
  private constructor(
    private readonly connection: Connection,
    private readonly revision: string,
    private readonly direction: 'up' | 'down',
    /** What an earlier, interrupted run left (resume from it). */
    readonly resumed: JournalState | undefined,
    public state: JournalState,
  ) {}

  /** The journal of `revision` in `direction`: the table and the row created when missing. */
  static async open(connection: Connection, revision: string, direction: 'up' | 'down'): Promise<RevisionJournal> {
    const d = connection.dialect;
    const table = d.quoteIdentifier(JOURNAL_TABLE);
    if ((await connection.query(d.tableExistsQuery(JOURNAL_TABLE).sql, d.tableExistsQuery(JOURNAL_TABLE).params)).length === 0) {
      await connection.execute(
        `CREATE TABLE ${table} (revision VARCHAR(32) NOT NULL, direction VARCHAR(4) NOT NULL, state TEXT NOT NULL, PRIMARY KEY (revision, direction))`,
      );
    }
    const m = (i: number) => d.bindMarker(i);
    const rows = await connection.query<{ state: string }>(`SELECT state FROM ${table} WHERE revision = ${m(1)} AND direction = ${m(2)}`, [
      revision,
      direction,
    ]);
    const resumed = rows[0] ? (JSON.parse(rows[0].state) as JournalState) : undefined;
    const fresh: JournalState = { opsDone: 0, statementsDone: 0, inFlight: false, dataDone: false, ran: [] };
    if (!resumed) {
      await connection.execute(`INSERT INTO ${table} (revision, direction, state) VALUES (${m(1)}, ${m(2)}, ${m(3)})`, [
        revision,
        direction,
        JSON.stringify(fresh),
      ]);
    }
    // The DDL above committed the revision's transaction: open a real one again for what follows (data hooks).
    if (connection.inTransaction) {
      await connection.commit();
      await connection.begin();
    }
    return new RevisionJournal(connection, revision, direction, resumed, resumed ? { ...resumed } : fresh);
  }

  /** The operation under way (not persisted): named when the revision fails. */
  current: string | undefined;

  /** Writes the state (inside the connection's open transaction when there is one, which it then commits). */
  async save(state: JournalState): Promise<void> {
    this.state = state;
    const d = this.connection.dialect;
    const m = (i: number) => d.bindMarker(i);
    await this.connection.execute(
      `UPDATE ${d.quoteIdentifier(JOURNAL_TABLE)} SET state = ${m(1)} WHERE revision = ${m(2)} AND direction = ${m(3)}`,
      [JSON.stringify(state), this.revision, this.direction],
    );
    if (this.connection.inTransaction) {
      await this.connection.commit();
      await this.connection.begin();
    }
  }

  /** Removes the row: run in the transaction that records the revision in alembic_version. */
  async clear(): Promise<void> {
    const d = this.connection.dialect;
    const m = (i: number) => d.bindMarker(i);
    await this.connection.execute(`DELETE FROM ${d.quoteIdentifier(JOURNAL_TABLE)} WHERE revision = ${m(1)} AND direction = ${m(2)}`, [
      this.revision,
      this.direction,
    ]);
  }

  /** Revisions left half-applied by an interrupted run (none where the table does not exist). */
  static async halfApplied(connection: Connection): Promise<string[]> {
    const d = connection.dialect;
    const exists = d.tableExistsQuery(JOURNAL_TABLE);
    if ((await connection.query(exists.sql, exists.params)).length === 0) return [];
    return (await connection.query<{ revision: string }>(`SELECT revision FROM ${d.quoteIdentifier(JOURNAL_TABLE)}`)).map((r) => r.revision);
  }

  /** Upgrades an interrupted run left half-applied, with their progress. */
  static async halfAppliedUpgrades(connection: Connection): Promise<Array<{ revision: string; state: JournalState }>> {
    const d = connection.dialect;
    const exists = d.tableExistsQuery(JOURNAL_TABLE);
    if ((await connection.query(exists.sql, exists.params)).length === 0) return [];
    const rows = await connection.query<{ revision: string; state: string }>(
      `SELECT revision, state FROM ${d.quoteIdentifier(JOURNAL_TABLE)} WHERE direction = ${d.bindMarker(1)}`,
      ['up'],
    );
    return rows.map((r) => ({ revision: r.revision, state: JSON.parse(r.state) as JournalState }));
  }

  /** Forgets a half-applied revision (after reverting it). */
  static async forget(connection: Connection, revision: string, direction: 'up' | 'down'): Promise<void> {
    const d = connection.dialect;
    await connection.execute(
      `DELETE FROM ${d.quoteIdentifier(JOURNAL_TABLE)} WHERE revision = ${d.bindMarker(1)} AND direction = ${d.bindMarker(2)}`,
      [revision, direction],
    );
  }

  /** Drops the table once no revision is half-applied (called after a run that succeeded). */
  static async dropIfEmpty(connection: Connection): Promise<void> {
    const d = connection.dialect;
    const exists = d.tableExistsQuery(JOURNAL_TABLE);
    if ((await connection.query(exists.sql, exists.params)).length === 0) return;
    const rows = await connection.query(`SELECT 1 FROM ${d.quoteIdentifier(JOURNAL_TABLE)}`);
    if (rows.length === 0) await connection.execute(`DROP TABLE ${d.quoteIdentifier(JOURNAL_TABLE)}`);
  }
}

/** An operation in a few words, for the messages of a half-applied revision: `addColumn Post.title`. */
export function describeOperation(op: Operation): string {
  const table = 'table' in op && op.table && typeof op.table === 'object' && 'name' in op.table ? (op.table as { name: string }).name : undefined;
  switch (op.kind) {
    case 'createTable':
    case 'dropTable':
      return `${op.kind} ${op.table.name}`;
    case 'renameTable':
      return `renameTable ${op.from} -> ${op.to}`;
    case 'addColumn':
    case 'dropColumn':
      return `${op.kind} ${table}.${op.column.name}`;
    case 'alterColumn':
      return `alterColumn ${table}.${op.to.name}`;
    case 'renameColumn':
      return `renameColumn ${table}.${op.from} -> ${op.to}`;
    case 'createIndex':
    case 'dropIndex':
      return `${op.kind} ${op.index.name}`;
    case 'renameIndex':
      return `renameIndex ${op.from} -> ${op.to}`;
    case 'addForeignKey':
    case 'dropForeignKey':
      return `${op.kind} ${op.foreignKey.name}`;
    case 'execute':
      return `execute ${op.sql.replace(/\s+/g, ' ').slice(0, 40)}${op.sql.length > 40 ? '...' : ''}`;
    default:
      return table ? `${op.kind} ${table}` : op.kind;
  }
}
