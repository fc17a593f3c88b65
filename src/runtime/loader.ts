import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, rename, unlink, writeFile } from 'node:fs/promises';
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
 * `<projectRoot>/node_modules/.cache/revise/<stem>-<hash>.mjs`: inside the
 * project, so bare imports such as 'prisma-revise' resolve from the project's
 * own node_modules. The hash covers the content: unchanged files are not
 * transformed again, and concurrent processes write identical files. Writing
 * a new transform removes the stem's older ones, so edits do not pile up.
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
  const cacheDir = join(projectRoot, 'node_modules', '.cache', 'revise');
  const stem = basename(path).replace(/\.[^.]+$/, '');
  const transform = await cachedTransform(path, source, cacheDir, stem);
  if (!(await exists(transform.file))) {
    await writeAtomically(cacheDir, transform.file, await transform.code());
    await pruneStaleTransforms(cacheDir, stem, basename(transform.file));
  }
  const mod = await importTransform(path, cacheDir, transform);

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

const HASH_LENGTH = 24;

/** `<stem>-<hash>.mjs` exactly as the loader names it; the stem is everything before the last `-<hash>`. */
const TRANSFORM_NAME = new RegExp(`^(.+)-[0-9a-f]{${HASH_LENGTH}}\\.mjs$`);

/** Where a revision's transform lives in the cache, and how to produce its code. */
interface CachedTransform {
  file: string;
  code: () => Promise<string>;
}

async function cachedTransform(path: string, source: string, cacheDir: string, stem: string): Promise<CachedTransform> {
  if (RELATIVE_IMPORT.test(source)) {
    // Relative imports (shared helpers) would not resolve from the cache
    // folder: bundle them in, leaving packages external. What they contain is
    // only known after the build, so the name hashes the output.
    const code = await bundle(path);
    return { file: join(cacheDir, `${stem}-${hashOf(code)}.mjs`), code: async () => code };
  }
  const isTs = /\.(c|m)?tsx?$/.test(path);
  return {
    file: join(cacheDir, `${stem}-${hashOf(path, source)}.mjs`),
    code: async () => (isTs ? await transformTs(source, path) : source),
  };
}

/**
 * Another process that read a newer version of the revision may prune this
 * transform between our existence check and the import. Rather than keep stale
 * files for a grace period (a transform written months ago is just as likely
 * to be imported right now), a transform found missing at import is written
 * again and imported once more. The retry does not prune, so two processes
 * that disagree on the content cannot keep removing each other's file.
 */
async function importTransform(path: string, cacheDir: string, transform: CachedTransform): Promise<Record<string, unknown>> {
  const url = pathToFileURL(transform.file).href;
  for (let attempt = 0; ; attempt++) {
    try {
      // A fresh URL after a miss: Node caches a failed load under its URL, so the same URL would fail again.
      return (await import(attempt === 0 ? url : `${url}?rewritten=${attempt}`)) as Record<string, unknown>;
    } catch (error) {
      // Several processes with different versions of the file can each prune what another just wrote;
      // a few rewrites get through that, anything else (or a persistent miss) is a real failure.
      if (attempt >= IMPORT_ATTEMPTS - 1 || !isMissingFile(error, transform.file)) {
        throw new ReviseError(`Cannot load revision file ${path}: ${firstLine(error)}`);
      }
    }
    await writeAtomically(cacheDir, transform.file, await transform.code());
  }
}

/** How many times a transform pruned under our feet is written again and imported. */
const IMPORT_ATTEMPTS = 5;

/**
 * The transform itself was gone: before Node resolved it (ERR_MODULE_NOT_FOUND
 * naming it) or between resolving and reading it (ENOENT on it). A missing
 * package the revision imports is not this, and fails at once.
 */
function isMissingFile(error: unknown, file: string): boolean {
  const { code, path, message } = (error ?? {}) as NodeJS.ErrnoException;
  if (code === 'ENOENT') return path === file || (typeof message === 'string' && message.includes(file));
  return code === 'ERR_MODULE_NOT_FOUND' && typeof message === 'string' && message.includes(file);
}

/**
 * The transforms in each cache folder, by stem: listed once per process (a
 * listing per written file would cost a run that transforms n revisions n
 * listings of up to n names), then kept current by this process's own writes.
 * Files other processes write meanwhile are left for a later run to prune.
 */
const transformsByStem = new Map<string, Promise<Map<string, string[]>>>();

/** Remove the stem's other transforms. Best effort: a failure here (permissions, a race) never fails a migration. */
async function pruneStaleTransforms(cacheDir: string, stem: string, current: string): Promise<void> {
  const byStem = await listTransforms(cacheDir);
  const stale = (byStem.get(stem) ?? []).filter((name) => name !== current);
  byStem.set(stem, [current]);
  await Promise.all(stale.map((name) => unlink(join(cacheDir, name)).catch(() => undefined)));
}

function listTransforms(cacheDir: string): Promise<Map<string, string[]>> {
  let listing = transformsByStem.get(cacheDir);
  if (listing === undefined) {
    listing = readdir(cacheDir).then(groupByStem, () => new Map<string, string[]>());
    transformsByStem.set(cacheDir, listing);
  }
  return listing;
}

/** Only `<stem>-<hash>.mjs` names count: headers, graph summaries and temporary files are never touched. */
function groupByStem(names: string[]): Map<string, string[]> {
  const byStem = new Map<string, string[]>();
  for (const name of names) {
    const stem = TRANSFORM_NAME.exec(name)?.[1];
    if (stem === undefined) continue;
    const names = byStem.get(stem);
    if (names === undefined) byStem.set(stem, [name]);
    else names.push(name);
  }
  return byStem;
}

function hashOf(...parts: string[]): string {
  const hash = createHash('sha256').update(TRANSFORM_VERSION);
  for (const part of parts) hash.update('\0').update(part);
  return hash.digest('hex').slice(0, HASH_LENGTH);
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
