import { ReviseError } from '../errors.js';
import type { StatementResult } from './types.js';

/**
 * What the PostgreSQL and MySQL connections share: the transaction flag, and
 * refusing work once the connection dropped or the migration lock's own
 * session closed (the lock is gone, so another migrator may be running).
 */
export abstract class ServerConnection {
  private transactionOpen = false;
  private broken: Error | undefined;
  /** Why the migration lock's own connection closed while the lock was held. */
  private lockLostReason: string | undefined;

  protected constructor(
    /** `PostgreSQL` or `MySQL`, for messages. */
    private readonly serverName: string,
    private readonly serverAddress: string,
    private readonly beginStatement: string,
  ) {}

  abstract run<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<StatementResult<T>>;

  /** Sends a statement without the broken-connection guard (ROLLBACK must still go out after losing the lock). */
  protected abstract send(sql: string): Promise<unknown>;

  get inTransaction(): boolean {
    return this.transactionOpen;
  }

  async query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return (await this.run<T>(sql, params)).rows;
  }

  async execute(sql: string, params?: readonly unknown[]): Promise<void> {
    await this.run(sql, params);
  }

  async begin(): Promise<void> {
    await this.sendBegin();
    this.transactionOpen = true;
  }

  /** Opens the transaction on the server; a connection may defer it to its first statement (PostgreSQL). */
  protected async sendBegin(): Promise<void> {
    await this.execute(this.beginStatement);
  }

  async commit(): Promise<void> {
    // Refused before it is sent (e.g. the lock is lost), the transaction stays open for the caller's rollback.
    this.throwIfBroken();
    try {
      await this.sendCommit();
    } finally {
      this.transactionOpen = false;
    }
  }

  protected async sendCommit(): Promise<void> {
    await this.execute('COMMIT');
  }

  /** Without the broken-connection guard (see send). */
  protected async sendRollback(): Promise<void> {
    await this.send('ROLLBACK');
  }

  async rollback(): Promise<void> {
    try {
      // Still allowed after losing the lock: undoing the revision is exactly what must happen then.
      this.throwIfDisconnected();
      await this.sendRollback();
    } finally {
      this.transactionOpen = false;
    }
  }

  /** An idle connection that drops emits 'error': kept for the next call instead of crashing the process. */
  protected connectionLost(error: Error): void {
    this.broken = error;
  }

  /** Called by the migration lock when its own session closes while the lock is held. */
  protected readonly lockLost = (reason: string): void => {
    this.lockLostReason ??= reason;
  };

  protected throwIfBroken(): void {
    this.throwIfDisconnected();
    if (this.lockLostReason !== undefined) {
      throw new ReviseError(
        `lost the migration lock on ${this.serverName} at ${this.serverAddress} (its connection closed: ${this.lockLostReason}); ` +
          'stopped so that another migrator cannot run at the same time',
      );
    }
  }

  private throwIfDisconnected(): void {
    if (this.broken) throw new ReviseError(`lost the connection to ${this.serverName} at ${this.serverAddress}: ${this.broken.message}`);
  }
}
