import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readdir, unlink } from 'node:fs/promises';
import { SourceMap } from 'node:module';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ReviseError } from '../errors.js';
import { HASH_LENGTH, revisionCacheDir, TRANSFORM_VERSION, writeAtomically } from './cache-files.js';
import { ANY_CHAIN_PART, openChain, type Chain, type ChainOptions } from './chain.js';
import { persistCodeCaches } from './chain-script.js';
import { IMPORT_META_DEFINE, importMetaPlugin, loaderFor, withImportMeta } from './import-meta.js';
import { revisionModule, type RevisionModule, type RevisionSource } from './revision-module.js';

export type { RevisionModule, RevisionSource } from './revision-module.js';
export type { ChainOptions, KnownKeys } from './chain.js';

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
  const cacheDir = revisionCacheDir(projectRoot);
  const stem = basename(path).replace(/\.[^.]+$/, '');
  const transform = await cachedTransform(path, source, cacheDir, stem);
  if (!(await exists(transform.file))) {
    await writeAtomically(cacheDir, transform.file, await transform.code());
    await pruneStaleTransforms(cacheDir, stem, basename(transform.file));
  }
  const origin: RevisionSource = { path, transformFile: transform.file };
  return revisionModule(await importTransform(origin, cacheDir, transform), origin, database);
}

/** Below this many revisions a run imports each file's own transform; from it on, a chain (chain.ts). */
const CHAIN_MIN = 32;

/** The revisions of one run, by path. */
export interface RevisionModules {
  /** A revision's `irreversible` export, known before anything runs. */
  irreversible(path: string): boolean | string | undefined;
  /**
   * A revision's module. From a chain, its part is loaded when the run
   * reaches it (and the part before it let go), so a revision that no longer
   * loads as it did when the chain was built fails here, when its turn comes.
   */
  get(path: string): Promise<RevisionModule>;
}

/**
 * The revision files of one run (`paths` in run order): a chain when there
 * are many (chain.ts), else each file's own transform, all loaded now, the
 * first failure in run order thrown before anything runs. Whatever goes
 * wrong with the chain (a file that does not compile or throws at import, a
 * race with another process), the files are loaded one by one, which reports
 * the failing file as it always has.
 */
export async function openRevisionModules(paths: string[], projectRoot: string, database?: string, options: ChainOptions = {}): Promise<RevisionModules> {
  const chain = await chainOf(paths, projectRoot, database, options);
  if (chain) return { irreversible: (path) => chain.irreversible(path), get: (path) => chain.module(path) };
  // Loaded side by side: Node's module loader overlaps the reads and compiles of the files.
  const settled = await Promise.allSettled(paths.map((path) => loadRevisionModule(path, projectRoot, database)));
  const byPath = new Map<string, RevisionModule>();
  for (const [i, result] of settled.entries()) {
    if (result.status === 'rejected') throw result.reason;
    byPath.set(paths[i]!, result.value);
  }
  return { irreversible: (path) => byPath.get(path)?.irreversible, get: async (path) => byPath.get(path)! };
}

/** Every revision of `paths` loaded (a chain's parts all at once): one settled result each, in the order of `paths`. */
export async function loadRevisionModules(
  paths: string[],
  projectRoot: string,
  database?: string,
  options: ChainOptions = {},
): Promise<Array<PromiseSettledResult<RevisionModule>>> {
  const chain = await chainOf(paths, projectRoot, database, options);
  if (!chain) return Promise.allSettled(paths.map((path) => loadRevisionModule(path, projectRoot, database)));
  const results: Array<PromiseSettledResult<RevisionModule>> = [];
  for (const path of paths) results.push(await chain.module(path).then((value) => ({ status: 'fulfilled', value }) as const, (reason: unknown) => ({ status: 'rejected', reason }) as const));
  return results;
}

/** The chain of a run long enough for one; undefined for a short run, or when the chain cannot be had (then the files one by one). */
async function chainOf(paths: string[], projectRoot: string, database: string | undefined, options: ChainOptions): Promise<Chain | undefined> {
  if (paths.length < CHAIN_MIN) return undefined;
  const loadFile = (path: string) => loadRevisionModule(path, projectRoot, database);
  return openChain(paths, projectRoot, database, loadFile, options).catch(() => undefined);
}

/** Write the code caches of the script chains this run compiled and still holds (see chain-script.ts); after a run that succeeded. */
export function saveChainCodeCaches(): Promise<void> {
  return persistCodeCaches();
}

/** `from './x'`, `import('../y')`, `import './z'`: anything resolved relative to the file. */
const RELATIVE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]\.\.?\//;

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
    const code = await bundle(path, cacheDir);
    return { file: join(cacheDir, `${stem}-${hashOf(code)}.mjs`), code: async () => code };
  }
  // JavaScript is copied as it is, unless its import.meta must name the file (see import-meta.ts).
  const transformed = /\.(c|m)?tsx?$/.test(path) || source.includes('import.meta');
  return {
    file: join(cacheDir, `${stem}-${hashOf(path, source)}.mjs`),
    code: async () => (transformed ? await transformSource(source, path) : source),
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
async function importTransform(source: RevisionSource, cacheDir: string, transform: CachedTransform): Promise<Record<string, unknown>> {
  const url = pathToFileURL(transform.file).href;
  for (let attempt = 0; ; attempt++) {
    try {
      // A fresh URL after a miss: Node caches a failed load under its URL, so the same URL would fail again.
      return (await import(attempt === 0 ? url : `${url}?rewritten=${attempt}`)) as Record<string, unknown>;
    } catch (error) {
      // Several processes with different versions of the file can each prune what another just wrote;
      // a few rewrites get through that, anything else (or a persistent miss) is a real failure.
      if (attempt >= IMPORT_ATTEMPTS - 1 || !isMissingFile(error, transform.file)) {
        // A throw at the file's top level has a frame in it; a missing package has none.
        const at = errorLocation(error, source);
        throw new ReviseError(`Cannot load revision file ${source.path}: ${firstLine(error)}${at === source.path ? '' : ` (at ${at})`}`);
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

async function bundle(path: string, cacheDir: string): Promise<string> {
  const { build } = await import('esbuild');
  const absWorkingDir = dirname(path);
  try {
    const result = await build({
      entryPoints: [path],
      absWorkingDir,
      // Never written (write: false); it places the source map's paths relative to the cache folder,
      // where the transform lives, so they point back at the revision and its helpers.
      outfile: join(cacheDir, `${basename(path)}.mjs`),
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      target: 'node20',
      write: false,
      sourcemap: 'inline',
      logLevel: 'silent',
      define: IMPORT_META_DEFINE,
      plugins: [importMetaPlugin()],
    });
    return result.outputFiles[0]!.text;
  } catch (error) {
    throw compileError(path, error, absWorkingDir);
  }
}

async function transformSource(source: string, path: string): Promise<string> {
  const { transform } = await import('esbuild');
  try {
    const result = await transform(withImportMeta(source, path), {
      loader: loaderFor(path),
      define: IMPORT_META_DEFINE,
      format: 'esm',
      target: 'node20',
      sourcefile: path,
      // Errors thrown inside a revision point at the .ts file's lines.
      sourcemap: 'inline',
    });
    return result.code;
  } catch (error) {
    throw compileError(path, error, dirname(path));
  }
}

/** esbuild's failure (TransformFailure / BuildFailure): its `errors` carry a location each. */
interface EsbuildFailure {
  errors?: Array<{ text: string; location?: { file: string; line: number; column: number } | null }>;
}

/**
 * esbuild's first error as one line, `Cannot compile revision file
 * <file>:<line>:<column>: <message>`. esbuild counts columns from 0; they are
 * shown from 1, as editors and Node's stack traces count them.
 */
function compileError(path: string, error: unknown, workingDir: string): ReviseError {
  const first = (error as EsbuildFailure | undefined)?.errors?.[0];
  if (!first) return new ReviseError(`Cannot compile revision file ${path}: ${firstLine(error)}`);
  const where = first.location
    ? `${resolve(workingDir, first.location.file)}:${first.location.line}:${first.location.column + 1}`
    : path;
  return new ReviseError(`Cannot compile revision file ${where}: ${first.text}`);
}

/** `    at fn (file:///x.mjs:12:9)`, `    at async fn (/x.ts:3:1)`, `    at file:///x.mjs:1:7` */
const STACK_FRAME = /^\s*at (?:.*?\()?(.+?):(\d+):(\d+)\)?$/;

/**
 * Where in its revision an error was thrown, as `<file>:<line>:<column>`
 * (1-based): the innermost stack frame in the revision file, or else in a
 * helper it bundles; the revision file alone when no frame is in either.
 * Frames in the cached transform are mapped back through its inline source
 * map here, only after a failure, so a run that succeeds never pays for
 * source maps (and Node's process-wide setting is left alone). Frames already
 * mapped (`node --enable-source-maps`) name the file itself.
 */
export function errorLocation(error: unknown, source: RevisionSource): string {
  const stack = error instanceof Error && typeof error.stack === 'string' ? error.stack : '';
  let map: SourceMap | null | undefined;
  let helper: string | undefined;
  for (const line of stack.split('\n')) {
    const frame = STACK_FRAME.exec(line);
    if (!frame) continue;
    const file = framePath(frame[1]!);
    const lineNumber = Number(frame[2]);
    const column = Number(frame[3]);
    if (file === source.path) return `${file}:${lineNumber}:${column}`;
    if (file !== source.transformFile) continue;
    if (map === undefined) map = inlineSourceMap(source.transformFile);
    // No map: a JavaScript revision, copied into the cache as it is, line for line.
    if (map === null) return `${source.path}:${lineNumber}:${column}`;
    const entry = map.findEntry(lineNumber - 1, column - 1);
    if (!('originalSource' in entry)) continue;
    const original = originalPath(entry.originalSource, source.transformFile);
    const at = `${original}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
    if (original === source.path) return at;
    helper ??= at;
  }
  return helper ?? source.path;
}

/** A stack frame's location as a path: `file://` URLs (with the loader's `?rewritten=n`) or plain paths. */
function framePath(location: string): string {
  if (!location.startsWith('file:')) return location;
  try {
    return fileURLToPath(location.replace(/[?#].*$/, ''));
  } catch {
    return location;
  }
}

function originalPath(source: string, transformFile: string): string {
  if (source.startsWith('file:')) return framePath(source);
  return isAbsolute(source) ? source : resolve(dirname(transformFile), source);
}

/**
 * The `//# sourceMappingURL=data:...;base64,` map esbuild appended to a
 * transform, or a chain bundle's `<file>.map` beside it; null when there is none.
 */
function inlineSourceMap(file: string): SourceMap | null {
  try {
    if (ANY_CHAIN_PART.test(basename(file))) return new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
    const text = readFileSync(file, 'utf8');
    const data = /\/\/# sourceMappingURL=data:application\/json;(?:charset=utf-8;)?base64,([A-Za-z0-9+/=]+)\s*$/.exec(text)?.[1];
    return data ? new SourceMap(JSON.parse(Buffer.from(data, 'base64').toString('utf8'))) : null;
  } catch {
    return null;
  }
}

async function exists(file: string): Promise<boolean> {
  return existsSync(file);
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n').find((l) => l.trim() !== '')?.trim() ?? message;
}
