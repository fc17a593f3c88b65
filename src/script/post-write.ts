import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectConfig } from '../config/project.js';

/**
 * Alembic's post-write hooks: a new revision file goes through the project's
 * own formatter and linter, so it passes the checks the project runs on its
 * code. By default only tools the project has (its node_modules/.bin, and for
 * eslint a config file); a hook that fails leaves the file as written and
 * says so (the revision is still valid TypeScript).
 */
export function runPostWriteHooks(project: ProjectConfig, file: string, log: (line: string) => void): void {
  for (const hook of postWriteHooks(project)) {
    const command = commandFor(project.root, hook, file);
    if (!command) continue;
    const result = spawnSync(command.program, command.args, {
      cwd: project.root,
      encoding: 'utf8',
      shell: command.shell,
      env: { ...process.env, REVISION_SCRIPT_FILENAME: file },
    });
    const name = hook === 'prettier' || hook === 'eslint' ? hook : `'${hook}'`;
    if (result.status === 0) {
      log(`INFO  [revise.post_write] Ran ${name} on ${file}`);
    } else {
      const why = result.error?.message ?? `${result.stderr || result.stdout}`.trim().split('\n').slice(0, 3).join(' | ');
      log(`WARN  [revise.post_write] ${name} failed on ${file} (exit ${result.status ?? 'none'}): ${why}`);
    }
  }
}

/** The hooks in force: the configured list, or the project's prettier and eslint when it has them. */
export function postWriteHooks(project: ProjectConfig): string[] {
  if (project.postWriteHooks === false) return [];
  if (project.postWriteHooks) return project.postWriteHooks;
  // eslint --fix first, prettier last: prettier's layout is the one that stays.
  return ['eslint', 'prettier'].filter((tool) => localBin(project.root, tool) && (tool !== 'eslint' || hasEslintConfig(project.root)));
}

function localBin(root: string, tool: string): string | undefined {
  const bin = join(root, 'node_modules', '.bin', tool);
  return existsSync(bin) ? bin : undefined;
}

const ESLINT_CONFIG = /^(eslint\.config\.(js|mjs|cjs|ts|mts|cts)|\.eslintrc(\.(js|cjs|json|yaml|yml))?)$/;

function hasEslintConfig(root: string): boolean {
  return readdirSync(root).some((name) => ESLINT_CONFIG.test(name));
}

function commandFor(root: string, hook: string, file: string): { program: string; args: string[]; shell: boolean } | undefined {
  if (hook === 'prettier' || hook === 'eslint') {
    const bin = localBin(root, hook);
    if (!bin) return undefined;
    return { program: bin, args: hook === 'prettier' ? ['--write', file] : ['--fix', file], shell: false };
  }
  // A shell command: the file where it says REVISION_SCRIPT_FILENAME, else at the end.
  const quoted = `'${file.replace(/'/g, `'\\''`)}'`;
  const line = hook.includes('REVISION_SCRIPT_FILENAME') ? hook.replaceAll('REVISION_SCRIPT_FILENAME', quoted) : `${hook} ${quoted}`;
  return { program: line, args: [], shell: true };
}
