import type { MigrationEnv } from '../runtime/runner.js';
import type { RevisionMap } from '../script/graph.js';
import type { ActionOptions } from './context.js';
import { resolveIO } from './context.js';

/** The revision graph without a database (history, heads, show...): no URL is resolved, nothing connects. */
export async function openScripts(options: ActionOptions) {
  const { cwd } = resolveIO(options);
  const [{ loadProjectConfig }, { loadScriptDirectory }] = await Promise.all([
    import('../config/project.js'),
    import('../script/directory.js'),
  ]);
  const project = await loadProjectConfig({ cwd, ...(options.schema !== undefined ? { schema: options.schema } : {}) });
  const scripts: RevisionMap = await loadScriptDirectory(project.versionPaths);
  return { project, scripts };
}

/** Project, URL, dialect and graph: what commands that touch the database need. */
export async function openEnv(options: ActionOptions): Promise<MigrationEnv> {
  const { cwd } = resolveIO(options);
  const { openMigrationEnv } = await import('../runtime/runner.js');
  return openMigrationEnv({ cwd, ...(options.url !== undefined ? { url: options.url } : {}), ...(options.schema !== undefined ? { schema: options.schema } : {}) });
}

/** The heads recorded in the database's alembic_version table ([] when none). */
export async function databaseHeads(env: MigrationEnv): Promise<string[]> {
  const { readCurrentHeads } = await import('../runtime/runner.js');
  return readCurrentHeads(env);
}
