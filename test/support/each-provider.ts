/**
 * One end-to-end scenario described on every database revise speaks: a new
 * project on SQLite, and one on a temporary PostgreSQL database (skipped,
 * loudly, where no server answers; see pgAvailable).
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { makeProject, type E2EProject, type Provider } from './e2e.ts';
import { createTempDatabase, pgAvailable, type TempDatabase } from './postgres.ts';

const pg = await pgAvailable();

const DISPLAY: Record<Provider, string> = { sqlite: 'SQLite', postgresql: 'PostgreSQL' };

/** `title` gets the database's display name; the scenario reads its project through `project()` once `beforeAll` made it. */
export function describeOnEachProvider(
  title: (database: string) => string,
  scenario: (provider: Provider, project: () => E2EProject) => void,
): void {
  for (const provider of ['sqlite', 'postgresql'] as const) {
    describe.skipIf(provider === 'postgresql' && !pg)(title(DISPLAY[provider]), () => {
      let project: E2EProject | undefined;
      let db: TempDatabase | undefined;
      beforeAll(async () => {
        if (provider === 'postgresql') db = await createTempDatabase();
        project = makeProject({ provider, ...(db ? { url: db.url } : {}) });
      }, 180_000);
      afterAll(async () => {
        project?.cleanup();
        await db?.drop();
      });
      scenario(provider, () => project!);
    });
  }
}
