/**
 * Throwaway projects for the data-migration tests, driven through the
 * programmatic API (the same functions the CLI commands call): autogenerate
 * writes the revision, the test fills in the data hooks, the runtime runs it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as api from '../src/index.ts';

export type Provider = 'sqlite' | 'postgresql';
export const REPO = resolve(import.meta.dirname, '..');

export interface DataProject {
  dir: string;
  url: string;
  provider: Provider;
  logs: string[];
  out: string[];
  writeSchema(models: string): void;
  autogenerate(message: string, revId: string, renames?: string[]): Promise<string>;
  revision(message: string, revId: string): Promise<string>;
  upgrade(target?: string): Promise<void>;
  downgrade(target: string): Promise<void>;
  /** Offline script of `upgrade <range> --sql`. */
  upgradeSql(range: string): Promise<string>;
  versionFiles(): string[];
  cleanup(): void;
}

export async function makeDataProject(provider: Provider, url?: string): Promise<DataProject> {
  const dir = mkdtempSync(join(tmpdir(), `revise-data-${provider}-`));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'data-app', private: true, type: 'module' }));
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(REPO, join(dir, 'node_modules', 'prisma-revise'), 'dir');
  mkdirSync(join(dir, 'prisma'));
  const dbUrl = url ?? `file:${join(dir, 'app.db')}`;
  const logs: string[] = [];
  const out: string[] = [];
  const io = { cwd: dir, url: dbUrl, out: (l: string) => void out.push(l), log: (l: string) => void logs.push(l) };
  const header = `datasource db {\n  provider = "${provider}"\n}\n`;
  const project: DataProject = {
    dir,
    url: dbUrl,
    provider,
    logs,
    out,
    writeSchema: (models) => writeFileSync(join(dir, 'prisma', 'schema.prisma'), `${header}\n${models.trim()}\n`),
    async autogenerate(message, revId, renames) {
      const result = await api.revision({ ...io, message, revId, autogenerate: true, ...(renames ? { renames } : {}) });
      if (!result.path) throw new Error(`autogenerate found nothing for "${message}"`);
      return result.path;
    },
    async revision(message, revId) {
      const result = await api.revision({ ...io, message, revId });
      return result.path!;
    },
    upgrade: (target = 'head') => api.upgrade({ ...io, target }),
    downgrade: (target) => api.downgrade({ ...io, target }),
    async upgradeSql(range) {
      const lines: string[] = [];
      await api.upgrade({ ...io, out: (l) => void lines.push(l), target: range, sql: true });
      return lines.join('\n');
    },
    versionFiles: () =>
      readdirSync(join(dir, 'migrations', 'versions'))
        .filter((f) => f.endsWith('.ts'))
        .map((f) => join(dir, 'migrations', 'versions', f)),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
  await api.init({ cwd: dir, out: () => undefined, log: () => undefined });
  return project;
}

/** Replace the empty body of a data hook (`upgradeData` / `downgradeData`) in a revision file. */
export function fillHook(path: string, hook: 'upgradeData' | 'downgradeData', body: string): void {
  const text = readFileSync(path, 'utf8');
  const pattern = new RegExp(`(const ${hook}: DataHook<\\w+> = )\\(\\) => Promise\\.resolve\\(\\);`);
  if (!pattern.test(text)) throw new Error(`no empty ${hook} in ${path}`);
  // Only the parameters the body uses, as a user with noUnusedParameters writes them.
  const params = /\bdb\b/.test(body) ? `${/\bop\b/.test(body) ? 'op' : '_op'}, db` : 'op';
  writeFileSync(path, text.replace(pattern, `$1async (${params}) => {\n${body.replace(/^\n+|\s+$/g, '')}\n};`));
}

/**
 * Type-check revision files the way a user's editor would: strict, with
 * 'prisma-revise' resolved to this repository's source. Returns the errors
 * reported in those files (others' files are not this test's business).
 */
export function typecheck(files: string[], compilerOptions: Record<string, unknown> = {}): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'revise-data-tsc-'));
  try {
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          // Generated revisions must pass the strict settings users commonly have.
          noUnusedLocals: true,
          noEmit: true,
          skipLibCheck: true,
          types: ['node'],
          typeRoots: [join(REPO, 'node_modules', '@types')],
          baseUrl: REPO,
          paths: { 'prisma-revise': [join(REPO, 'src', 'index.ts')], kysely: [join(REPO, 'node_modules', 'kysely')] },
          ...compilerOptions,
        },
        files,
      }),
    );
    const result = spawnSync(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(dir, 'tsconfig.json')], {
      encoding: 'utf8',
      cwd: REPO,
    });
    const output = `${result.stdout}${result.stderr}`;
    // tsc reports paths relative to its working directory: make them absolute before matching.
    const absolute = output.split('\n').map((line) => line.replace(/^(.+?\.ts)(?=\(\d+,\d+\))/, (file) => resolve(REPO, file)));
    return absolute.filter((line) => files.some((f) => line.startsWith(`${f}(`)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
