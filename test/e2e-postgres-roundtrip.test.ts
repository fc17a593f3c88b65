/**
 * The real CLI on a PostgreSQL database: the same schema evolution as on
 * SQLite, plus enum types (values added and removed), @db.* native types and
 * lists. Skipped loudly when no server answers.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { makeProject, type E2EProject } from './support/e2e.ts';
import { commonSteps, defineRoundtrip, postgresExtraSteps } from './support/e2e-roundtrip.ts';
import { createTempDatabase, pgAvailable, type TempDatabase } from './support/postgres.ts';

const available = await pgAvailable();

describe.skipIf(!available)('e2e round trip on PostgreSQL', () => {
  let project: E2EProject;
  const databases: TempDatabase[] = [];
  beforeAll(async () => {
    const db = await createTempDatabase();
    databases.push(db);
    project = makeProject({ provider: 'postgresql', url: db.url });
  }, 180_000);
  afterAll(async () => {
    project?.cleanup();
    for (const db of databases) await db.drop();
  });

  defineRoundtrip({
    provider: 'postgresql',
    steps: [...commonSteps('postgresql'), ...postgresExtraSteps()],
    project: () => project,
    freshUrl: async () => {
      const db = await createTempDatabase();
      databases.push(db);
      return db.url;
    },
  });
});
