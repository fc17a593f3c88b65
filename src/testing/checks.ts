import { relative } from 'node:path';
import type { Connection } from '../dialect/types.js';
import { ReviseError } from '../errors.js';
import type { DatabaseModel } from '../model/types.js';
import type { MigrationEnv } from '../runtime/runner.js';
import type { Revision } from '../script/revision.js';
import { createScratchDatabase } from './scratch.js';
import { compareRows, takeSnapshot, type Snapshot } from './snapshot.js';

/** One check's outcome, as the text, JSON and JUnit reports show it. */
export interface CheckResult {
  /** `single-head`, `upgrade-head`, `models-match`, `stairway`, `downgrade-base`, `data`. */
  check: string;
  revision?: string;
  /** The revision file, relative to the project root. */
  file?: string;
  status: 'passed' | 'failed' | 'skipped';
  /** Why it failed or was skipped: what differed, or the error. */
  message?: string;
  /** Things worth knowing that are not failures (data a revision knowingly does not restore, tables not seeded). */
  notes?: string[];
  ms: number;
}

export interface MigrationTestOptions {
  /** The heads the history must have (`--heads`); default: exactly one. */
  heads?: string[];
  /** Run with rows: `true` for rows made up from the table shapes, or a .sql / .ts seed file. */
  seed?: true | string;
  /** The server the scratch database is created on (PostgreSQL); default the project's URL. */
  serverUrl?: string;
  /** Progress lines (stderr). */
  log: (line: string) => void;
}

/**
 * pytest-alembic's checks on a scratch database: one head, upgrade from empty
 * to head, the models match the database at head, the stairway (every
 * revision up, down, up, the down leaving no trace), downgrade to an empty
 * database and, with rows, that every step keeps them. The scratch database
 * is created for the run and dropped after it.
 */
export async function runMigrationTests(env: MigrationEnv, options: MigrationTestOptions): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const revisions = env.scripts.all;
  const fileOf = (rev: Revision) => relative(env.project.root, rev.path);
  type Outcome = Pick<CheckResult, 'status' | 'message' | 'notes' | 'revision' | 'file'>;
  const timed = async (base: Omit<CheckResult, 'status' | 'ms'>, fn: () => Promise<Outcome | void>) => {
    const started = Date.now();
    let outcome: Outcome;
    try {
      outcome = (await fn()) ?? { status: 'passed' };
    } catch (err) {
      const message = err instanceof Error ? err.message.split('\n')[0]! : String(err);
      // The runner names the revision that failed ("Revision <id> (...) failed: ..."): so does the report.
      const failing = base.revision === undefined ? /^Revision (\S+) /.exec(message)?.[1] : undefined;
      const rev = failing !== undefined && env.scripts.has(failing) ? env.scripts.get(failing) : undefined;
      outcome = { status: 'failed', message, ...(rev ? { revision: rev.id, file: fileOf(rev) } : {}) };
    }
    const result: CheckResult = { ...base, ...outcome, ms: Date.now() - started };
    if (result.notes?.length === 0) delete result.notes;
    results.push(result);
    return result;
  };

  await timed({ check: 'single-head' }, async () => {
    const heads = env.scripts.headIds;
    const wanted = options.heads;
    if (wanted && wanted.length > 0) {
      const ids = wanted.flatMap((h) => env.scripts.resolveMany(h).map((r) => r.id));
      if (ids.length !== heads.length || !ids.every((h) => heads.includes(h))) {
        return { status: 'failed', message: `the heads are ${heads.join(', ') || 'none'}, expected ${ids.join(', ')}` };
      }
      return;
    }
    if (heads.length > 1) return { status: 'failed', message: `${heads.length} heads (${heads.join(', ')}): merge them (revise merge heads) or name them with --heads` };
    if (heads.length === 0) return { status: 'skipped', message: 'no revisions' };
  });
  if (revisions.length === 0) return results;

  let scratch = await createScratchDatabase(env.dialect, options.serverUrl ?? env.url);
  options.log(`INFO  [revise.test] Scratch database ${scratch.label}`);
  const db: MigrationEnv = { ...env, url: scratch.url };
  /** A new empty scratch database in place of the current one (the stairway starts from empty). */
  const freshScratch = async () => {
    await connection?.close();
    connection = undefined;
    await scratch.drop();
    scratch = await createScratchDatabase(env.dialect, options.serverUrl ?? env.url);
    db.url = scratch.url;
    options.log(`INFO  [revise.test] Scratch database ${scratch.label}`);
  };
  const { runUpgrade, runDowngrade } = await import('../runtime/runner.js');
  const quiet = { out: () => undefined, log: () => undefined };
  const up = (target: string) => runUpgrade(db, target, quiet);
  const down = (target: string) => runDowngrade(db, target, quiet);
  let connection: Connection | undefined;
  const snap = async (rows: boolean): Promise<Snapshot> => {
    connection ??= await env.dialect.connect(scratch.url, { access: 'existing', ...(env.schemas ? { schemas: env.schemas } : {}) });
    return takeSnapshot(env.dialect, connection, { rows, excludeTables: env.project.excludeTables, ...(env.schemas ? { schemas: env.schemas } : {}) });
  };
  const irreversible = await irreversibleRevisions(env, revisions);

  try {
    const head = await timed({ check: 'upgrade-head' }, async () => {
      await up('heads');
    });
    if (head.status === 'failed') return results;

    await timed({ check: 'models-match' }, async () => {
      if (!env.project.schemaPath) return { status: 'skipped', message: 'no Prisma schema' };
      const { computeAutogenerate } = await import('../runtime/autogenerate-run.js');
      const { describeOperations } = await import('../actions/describe.js');
      const run = await computeAutogenerate(db, {});
      if (run.operations.length > 0) {
        return { status: 'failed', message: `the database at head differs from the Prisma schema: ${describeOperations(run.operations).join(', ')}` };
      }
    });

    if (typeof options.seed === 'string') await dataFromSeedFile(options.seed);

    const base = await timed({ check: 'downgrade-base' }, async () => {
      const blocking = revisions.filter((r) => irreversible.has(r.id));
      if (blocking.length > 0) {
        return { status: 'skipped', message: `irreversible: ${blocking.map((r) => `${r.id} (${fileOf(r)})${reasonOf(irreversible.get(r.id))}`).join(', ')}` };
      }
      await down('base');
      const left = await snap(false);
      if (left.model.tables.length + left.model.enums.length > 0) {
        return { status: 'failed', message: `downgrade base left ${[...left.model.tables, ...left.model.enums].map((t) => `"${t.name}"`).join(', ')}` };
      }
    });
    // The stairway starts from an empty database: where downgrade base did not get back to one, from a new one.
    if (base.status !== 'passed') await freshScratch();
    await stairway();
  } finally {
    await connection?.close();
    await scratch.drop();
  }
  return results;

  /** Every revision from base: up, down (no trace left), up again (the same schema); with generated rows, none lost. */
  async function stairway(): Promise<void> {
    let failedBefore = false;
    for (const rev of revisions) {
      const base = { check: 'stairway', revision: rev.id, file: fileOf(rev) };
      if (failedBefore) {
        results.push({ ...base, status: 'skipped', message: 'after an earlier failure', ms: 0 });
        continue;
      }
      const result = await timed(base, async () => {
        const notes: string[] = [];
        if (options.seed === true) {
          const { seedGeneratedRows } = await import('./seed.js');
          const { model } = await snap(false);
          const seeded = await seedGeneratedRows(env.dialect, connection!, model);
          if (seeded.seeded.length > 0) notes.push(`rows made up for ${seeded.seeded.map((t) => `"${t}"`).join(', ')}`);
          if (seeded.skipped.length > 0) notes.push(`not seeded: ${seeded.skipped.join(', ')}`);
        }
        const rows = options.seed === true;
        const before = await snap(rows);
        await step(`upgrade to ${rev.id}`, () => up(rev.id));
        const afterUp = await snap(rows);
        if (rows) {
          const { lost } = compareRows(before, afterUp);
          if (lost.length > 0) return { status: 'failed', message: `the upgrade lost rows: ${lost.join('; ')}`, notes };
        }
        if (irreversible.has(rev.id)) {
          return { status: 'skipped', message: `irreversible${reasonOf(irreversible.get(rev.id))}: upgraded, not downgraded`, notes };
        }
        await step(`downgrade from ${rev.id}`, () => down(rev.downRevisions[0] ?? 'base'));
        const afterDown = await snap(rows);
        const trace = await schemaDifference(afterDown.model, before.model);
        if (trace.length > 0) return { status: 'failed', message: `the downgrade left a trace (the schema differs from before the upgrade: ${trace.join(', ')})`, notes };
        if (rows) {
          const { lost, changed } = compareRows(before, afterDown);
          if (lost.length > 0) return { status: 'failed', message: `up + down lost rows: ${lost.join('; ')}`, notes };
          if (changed.length > 0) notes.push(`values not restored by the downgrade: ${changed.join('; ')}`);
        }
        await step(`upgrade to ${rev.id} again`, () => up(rev.id));
        const again = await snap(rows);
        const drift = await schemaDifference(again.model, afterUp.model);
        if (drift.length > 0) return { status: 'failed', message: `upgrading again built a different schema: ${drift.join(', ')}`, notes };
        return { status: 'passed', notes };
      });
      if (result.status === 'failed') failedBefore = true;
      if (result.status === 'skipped') {
        // An irreversible revision ends the round trips: nothing below it can be taken down again.
        for (const later of revisions.slice(revisions.indexOf(rev) + 1)) {
          results.push({ check: 'stairway', revision: later.id, file: fileOf(later), status: 'skipped', message: `after irreversible ${rev.id}`, ms: 0 });
        }
        return;
      }
    }
  }

  /** A seed file run at head; then every revision from head down: down and up again keep its rows. */
  async function dataFromSeedFile(seed: string): Promise<void> {
    const { runSeedFile } = await import('./seed.js');
    const seeded = await timed({ check: 'seed' }, async () => {
      await snap(false);
      await runSeedFile(seed, env.dialect, connection!, env.project.root);
    });
    if (seeded.status === 'failed') return;
    for (const rev of [...revisions].reverse()) {
      const base = { check: 'data', revision: rev.id, file: fileOf(rev) };
      if (irreversible.has(rev.id)) {
        results.push({ ...base, status: 'skipped', message: `irreversible${reasonOf(irreversible.get(rev.id))}`, ms: 0 });
        return;
      }
      const result = await timed(base, async () => {
        const notes: string[] = [];
        const before = await snap(true);
        await step(`downgrade from ${rev.id}`, () => down(rev.downRevisions[0] ?? 'base'));
        const afterDown = await snap(true);
        const lostDown = compareRows(before, afterDown).lost;
        if (lostDown.length > 0) return { status: 'failed', message: `the downgrade lost rows: ${lostDown.join('; ')}` };
        await step(`upgrade to ${rev.id}`, () => up(rev.id));
        const afterUp = await snap(true);
        const { lost, changed } = compareRows(before, afterUp, afterDown);
        if (lost.length > 0) return { status: 'failed', message: `down + up lost rows: ${lost.join('; ')}` };
        if (changed.length > 0) notes.push(`values not kept by down + up: ${changed.join('; ')}`);
        await step(`downgrade from ${rev.id}`, () => down(rev.downRevisions[0] ?? 'base'));
        return { status: 'passed', notes };
      });
      if (result.status === 'failed') {
        // Leave the database at head for the checks that follow.
        await up('heads').catch(() => undefined);
        return;
      }
    }
    await up('heads');
  }
}

/** An error of one step, saying which step it was. */
async function step(what: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    throw new ReviseError(`${what} failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
}

/** What would turn `now` back into `wanted`, in autogenerate's words ("added table 'Post'"); [] when they match (column order aside). */
async function schemaDifference(now: DatabaseModel, wanted: DatabaseModel): Promise<string[]> {
  const [{ compareModels }, { describeOperations }] = await Promise.all([import('../autogenerate/compare.js'), import('../actions/describe.js')]);
  return describeOperations(compareModels(now, wanted, { preferBatch: false }));
}

/** Revisions whose file says the downgrade cannot restore what the upgrade removed (`export const irreversible`). */
async function irreversibleRevisions(env: MigrationEnv, revisions: Revision[]): Promise<Map<string, boolean | string>> {
  const { loadRevisionModule } = await import('../runtime/loader.js');
  const out = new Map<string, boolean | string>();
  for (const rev of revisions) {
    const mod = await loadRevisionModule(rev.path, env.project.root, env.database);
    if (mod.irreversible) out.set(rev.id, mod.irreversible);
  }
  return out;
}

function reasonOf(irreversible: boolean | string | undefined): string {
  return typeof irreversible === 'string' && irreversible.trim() !== '' ? `: ${irreversible.trim()}` : '';
}

export function describe(result: CheckResult): string {
  const where = result.revision ? ` ${result.revision}${result.file ? ` (${result.file})` : ''}` : '';
  return `${result.check}${where}${result.message ? `: ${result.message}` : ''}`;
}
