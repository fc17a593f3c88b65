import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ReviseError } from '../errors.js';
import type { MigrationOps } from '../operations/api.js';

/** What a revision file exports. */
export interface RevisionModule {
  upgrade(op: MigrationOps): Promise<void>;
  downgrade(op: MigrationOps): Promise<void>;
  /** `true` or a reason: the downgrade cannot restore what the upgrade removed. */
  irreversible?: boolean | string;
}

/** Bumped when the transform options change, so stale cached output is not reused. */
const TRANSFORM_VERSION = '1';

/**
 * Load a revision file. TypeScript is transformed with esbuild (imported only
 * here, so runs with nothing to do never pay for it) into
 * `<projectRoot>/node_modules/.cache/revise/<hash>.mjs`: inside the project,
 * so bare imports such as 'prisma-revise' resolve from the project's own
 * node_modules. The name is a content hash: unchanged files are not
 * transformed again, and concurrent processes write identical files.
 */
export async function loadRevisionModule(path: string, projectRoot: string, database?: string): Promise<RevisionModule> {
  let source: string;
  try {
    // Synchronous on purpose: small files from the page cache, and no thread-pool round trips
    // when a run loads hundreds of revisions.
    source = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ReviseError(`Cannot read revision file ${path}: ${(error as Error).message}`);
  }
  const isTs = /\.(c|m)?tsx?$/.test(path);
  const cacheDir = join(projectRoot, 'node_modules', '.cache', 'revise');
  const stem = basename(path).replace(/\.[^.]+$/, '');
  let outFile: string;
  if (RELATIVE_IMPORT.test(source)) {
    // Relative imports (shared helpers) would not resolve from the cache
    // folder: bundle them in, leaving packages external. What they contain is
    // only known after the build, so the name hashes the output.
    const code = await bundle(path);
    outFile = join(cacheDir, `${stem}-${hashOf(code)}.mjs`);
    if (!(await exists(outFile))) await writeAtomically(cacheDir, outFile, code);
  } else {
    outFile = join(cacheDir, `${stem}-${hashOf(path, source)}.mjs`);
    if (!(await exists(outFile))) await writeAtomically(cacheDir, outFile, isTs ? await transformTs(source, path) : source);
  }

  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(outFile).href)) as Record<string, unknown>;
  } catch (error) {
    throw new ReviseError(`Cannot load revision file ${path}: ${firstLine(error)}`);
  }
  // multidb: each database has its own pair, upgrade_<database> / downgrade_<database> (Alembic's multidb template).
  // Or, the same pairs as objects: `export const upgrades = { catalog: async (op) => {...} }`.
  const suffix = database === undefined ? '' : `_${database}`;
  const fromObject = (name: 'upgrades' | 'downgrades'): unknown =>
    database === undefined ? undefined : (mod[name] as Record<string, unknown> | undefined)?.[database];
  const upgrade = mod[`upgrade${suffix}`] ?? fromObject('upgrades');
  const downgrade = mod[`downgrade${suffix}`] ?? fromObject('downgrades');
  for (const [name, fn] of [[`upgrade${suffix}`, upgrade], [`downgrade${suffix}`, downgrade]] as const) {
    if (typeof fn !== 'function') {
      throw new ReviseError(`Revision file ${path} does not export an async function ${name}(op)`);
    }
  }
  const irreversible = mod.irreversible;
  return {
    upgrade: upgrade as RevisionModule['upgrade'],
    downgrade: downgrade as RevisionModule['downgrade'],
    ...(typeof irreversible === 'boolean' || typeof irreversible === 'string' ? { irreversible } : {}),
  };
}

/** `from './x'`, `import('../y')`, `import './z'`: anything resolved relative to the file. */
const RELATIVE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]\.\.?\//;

function hashOf(...parts: string[]): string {
  const hash = createHash('sha256').update(TRANSFORM_VERSION);
  for (const part of parts) hash.update('\0').update(part);
  return hash.digest('hex').slice(0, 24);
}

/** Write then rename: another process importing the file never sees half of it. */
async function writeAtomically(dir: string, file: string, code: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, code);
  await rename(tmp, file);
}

async function bundle(path: string): Promise<string> {
  const { build } = await import('esbuild');
  try {
    const result = await build({
      entryPoints: [path],
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      target: 'node20',
      write: false,
      sourcemap: 'inline',
      logLevel: 'silent',
    });
    return result.outputFiles[0]!.text;
  } catch (error) {
    throw new ReviseError(`Cannot compile revision file ${path}: ${firstLine(error)}`);
  }
}

async function transformTs(source: string, path: string): Promise<string> {
  const { transform } = await import('esbuild');
  try {
    const result = await transform(source, {
      loader: path.endsWith('x') ? 'tsx' : 'ts',
      format: 'esm',
      target: 'node20',
      sourcefile: path,
      // Errors thrown inside a revision point at the .ts file's lines.
      sourcemap: 'inline',
    });
    return result.code;
  } catch (error) {
    throw new ReviseError(`Cannot compile revision file ${path}: ${firstLine(error)}`);
  }
}

async function exists(file: string): Promise<boolean> {
  return existsSync(file);
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n').find((l) => l.trim() !== '')?.trim() ?? message;
}
