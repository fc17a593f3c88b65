/** PostgreSQL projects holding a Prisma history to import, on temporary databases a suite drops when it is done. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeProject, type E2EProject } from './e2e.ts';
import { writeHistory, type HistoryStep } from './prisma-history.ts';
import { createTempDatabase, type TempDatabase } from './postgres.ts';

export interface PgImportProject {
  project: E2EProject;
  /** The project's own database (its URL is the project's). */
  home: TempDatabase;
  migrationsDir: string;
  /** The schema after the last migration, written as the project's schema. */
  finalSchema: string;
}

export function pgImportProjects(): {
  temp(): Promise<TempDatabase>;
  project(history: HistoryStep[]): Promise<PgImportProject>;
  cleanup(): Promise<void>;
} {
  const databases: TempDatabase[] = [];
  const projects: E2EProject[] = [];
  const temp = async () => {
    const db = await createTempDatabase();
    databases.push(db);
    return db;
  };
  return {
    temp,
    async project(history) {
      const home = await temp();
      const project = makeProject({ provider: 'postgresql', url: home.url });
      projects.push(project);
      const migrationsDir = join(project.dir, 'prisma', 'migrations');
      const finalSchema = await writeHistory(migrationsDir, 'postgresql', history);
      writeFileSync(project.schemaPath, finalSchema);
      return { project, home, migrationsDir, finalSchema };
    },
    async cleanup() {
      for (const project of projects.splice(0)) project.cleanup();
      for (const db of databases.splice(0)) await db.drop();
    },
  };
}
