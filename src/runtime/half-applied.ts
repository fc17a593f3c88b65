import type { Connection } from '../dialect/types.js';
import { ReviseError } from '../errors.js';
import type { RevisionModule } from './loader.js';
import type { MigrationEnv } from './runner.js';
import { VERSION_TABLE } from './version-table.js';

/**
 * `downgrade` on a database where an upgrade stopped halfway (non-
 * transactional DDL, see journal.ts): before anything else, undo only what
 * that upgrade did. A revision's `downgrade()` undoes its `upgrade()` in
 * reverse, operation for operation (autogenerate writes it so), so when the
 * upgrade ran k of its n operations the last k operations of the downgrade
 * are run; the downgrade's data hook only if the upgrade's ran. A downgrade
 * that does not mirror its upgrade operation for operation is refused.
 */
export async function revertHalfAppliedUpgrades(
  env: MigrationEnv,
  connection: Connection,
  current: string[],
  log: (line: string) => void,
): Promise<void> {
  const { RevisionJournal } = await import('./journal.js');
  const pending = (await RevisionJournal.halfAppliedUpgrades(connection)).filter((p) => !current.includes(p.revision));
  if (pending.length === 0) return;
  const [{ loadRevisionModule }, { createOps }] = await Promise.all([import('./loader.js'), import('./executor.js')]);
  for (const { revision, state } of pending) {
    const script = env.scripts.get(revision);
    if (!script) throw new ReviseError(`Revision ${revision} is half-applied but its file is gone; put it back to revert it`);
    const module = await loadRevisionModule(script.path, env.project.root, env.database);
    const upgradeOps = await countOperations(env, module, 'up');
    const downgradeOps = await countOperations(env, module, 'down');
    const ran = state.opsDone + (state.pending && state.statementsDone > 0 ? 1 : 0);
    if (upgradeOps !== downgradeOps) {
      throw new ReviseError(
        `Revision ${revision} is half-applied (${ran} of its ${upgradeOps} upgrade operations ran: ${state.ran.join(', ') || 'none in full'}) ` +
          `and its downgrade() has ${downgradeOps} operations, so revise cannot tell which of them undo what ran; ` +
          `run upgrade to finish it, or undo those operations by hand and delete its row from revise_progress`,
      );
    }
    log(`INFO  [revise] Reverting the ${ran} operation(s) of half-applied upgrade ${revision} that ran`);
    await connection.begin();
    const ops = createOps({
      dialect: env.dialect,
      connection,
      excludeTables: [VERSION_TABLE, ...(env.project.excludeTables ?? [])],
      skip: { ops: downgradeOps - ran, data: !state.dataDone },
    });
    try {
      await module.downgrade(ops);
      if (!connection.inTransaction) await connection.begin();
      await RevisionJournal.forget(connection, revision, 'up');
      await connection.commit();
    } catch (error) {
      if (connection.inTransaction) await connection.rollback().catch(() => undefined);
      throw new ReviseError(`Reverting half-applied revision ${revision} failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
  }
  await RevisionJournal.dropIfEmpty(connection);
}

/** How many operations a revision's upgrade() or downgrade() calls: a dry run that writes nowhere. */
async function countOperations(env: MigrationEnv, module: RevisionModule, direction: 'up' | 'down'): Promise<number> {
  const { createOps } = await import('./executor.js');
  let count = 0;
  const ops = createOps({ dialect: env.dialect, sink: { write() {} }, shapes: new Map(), onOperation: () => void count++ });
  await (direction === 'up' ? module.upgrade(ops) : module.downgrade(ops));
  return count;
}
