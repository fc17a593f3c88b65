import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { mkdir, readdir, rename, unlink, writeFile } from 'node:fs/promises';
import { SourceMap } from 'node:module';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ReviseError } from '../errors.js';
import type { MigrationOps } from '../operations/api.js';
import { persistCodeCaches, runChainScript, SCRIPT_SUFFIX, type ChainUse } from './chain-script.js';
import { IMPORT_META_DEFINE, importMetaPlugin, loaderFor, mentioningImportMeta, withImportMeta } from './import-meta.js';

/** What a revision file exports. */
export interface RevisionModule {
  upgrade(op: MigrationOps): Promise<void>;
  downgrade(op: MigrationOps): Promise<void>;
  /** `true` or a reason: the downgrade cannot restore what the upgrade removed. */
  irreversible?: boolean | string;
  /** Where the code came from: the revision file and the transform Node ran (see errorLocation). */
  source: RevisionSource;
}

export interface RevisionSource {
  /** The revision file as written. */
  path: string;
  /** The file Node imported: the cached transform with its inline source map (or the file itself). */
  transformFile: string;
}

/** Bumped when the transform options change, so stale cached output is not reused. */
const TRANSFORM_VERSION = '2';

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
  const origin: RevisionSource = { path, transformFile: transform.file };
  return revisionModule(await importTransform(origin, cacheDir, transform), origin, database);
}

/** A revision file's exports as a RevisionModule; refuses a file without its upgrade/downgrade pair. */
function revisionModule(mod: Record<string, unknown>, origin: RevisionSource, database: string | undefined): RevisionModule {
  // multidb: each database has its own pair, upgrade_<database> / downgrade_<database> (Alembic's multidb template).
  // Or, the same pairs as objects: `export const upgrades = { catalog: async (op) => {...} }`.
  const [upName, downName] = database === undefined ? PLAIN_PAIR : [`upgrade_${database}`, `downgrade_${database}`];
  const upgrade = mod[upName] ?? (database === undefined ? undefined : (mod.upgrades as Record<string, unknown> | undefined)?.[database]);
  const downgrade = mod[downName] ?? (database === undefined ? undefined : (mod.downgrades as Record<string, unknown> | undefined)?.[database]);
  if (typeof upgrade !== 'function') throw notExported(origin.path, upName);
  if (typeof downgrade !== 'function') throw notExported(origin.path, downName);
  const revision: RevisionModule = { upgrade: upgrade as RevisionModule['upgrade'], downgrade: downgrade as RevisionModule['downgrade'], source: origin };
  const irreversible = mod.irreversible;
  if (typeof irreversible === 'boolean' || typeof irreversible === 'string') revision.irreversible = irreversible;
  return revision;
}

const PLAIN_PAIR = ['upgrade', 'downgrade'] as const;

function notExported(path: string, name: string): ReviseError {
  return new ReviseError(`Revision file ${path} does not export an async function ${name}(op)`);
}

/** Below this many revisions a run imports each file's own transform; from it on, one chain bundle. */
const CHAIN_MIN = 32;

/**
 * Load the revision files of one run. Many of them (a database built from
 * base) are bundled into one, `chain-<hash>.bundle.cjs` beside the
 * transforms (a script with a code cache, chain-script.ts; `.bundle.mjs`, a
 * module, when a revision imports a package or awaits at its top level), and
 * loaded at once: Node resolving, reading, compiling and linking a thousand
 * small modules costs more than the migrations they run. The hash covers
 * every file's path and content (known from their stat stamps while they are
 * unchanged, KnownKeys), so any edit (or another set of revisions)
 * makes a new chain; writing one removes the older ones.
 * Whatever goes wrong with the chain (a file that does not compile or
 * throws at import, a race with another process), the files are loaded one
 * by one, which reports the failing file as it always has. Results are in
 * the order of `paths`, one settled promise each.
 */
export async function loadRevisionModules(
  paths: string[],
  projectRoot: string,
  database?: string,
  options: ChainOptions = {},
): Promise<Array<PromiseSettledResult<RevisionModule>>> {
  if (paths.length >= CHAIN_MIN) {
    const chained = await loadChain(paths, projectRoot, database, options).catch(() => undefined);
    if (chained) return chained.map((value) => ({ status: 'fulfilled', value }));
  }
  // Loaded side by side: Node's module loader overlaps the reads and compiles of the files.
  return Promise.allSettled(paths.map((path) => loadRevisionModule(path, projectRoot, database)));
}

/**
 * Keys derived from the revision files' content, remembered under their stat
 * stamps (the graph's, see script/directory.ts): while no file changed, a
 * chain's name is known without reading them all. `variant` names what the
 * key is of.
 */
export interface KnownKeys {
  get(variant: string): string | undefined;
  /** Recorded only under stamps that can be trusted later (see RACY_MS there). */
  set(variant: string, key: string): void;
}

/** What a chain run may know beforehand: its key (KnownKeys) and which functions it calls (the code cache keeps those). */
export interface ChainOptions {
  knownKeys?: KnownKeys;
  use?: ChainUse;
}

/** Bumped when the chain's build options change, so an older chain is not reused. */
const CHAIN_VERSION = '5';

/** `chain-<hash>.bundle.cjs` or `.mjs` (with its `.map`, a script's `.v8cache`, and `chain-<hash>.helpers.json`), or `chain.<database>-<hash>...` for one database of a multidb project. */
function chainPattern(database: string | undefined): RegExp {
  const prefix = database === undefined ? 'chain' : `chain\\.${database.replace(/[^A-Za-z0-9_]/g, (c) => `\\${c}`)}`;
  return new RegExp(`^${prefix}-[0-9a-f]+\\.(bundle\\.[cm]js(\\.map|\\.v8cache)?|helpers\\.json)$`);
}

/**
 * The chain is named by the hash of the revision files and of every other
 * file it bundles (helpers they import, however: relative paths, tsconfig
 * aliases). Which helpers those are is only known from a build, so a build
 * leaves their list in `<stem>-<revisions hash>.helpers.json`; a later run
 * hashes the files that list names, and an edit of any of them makes a new
 * chain, as an edit of a revision does.
 */
async function loadChain(paths: string[], projectRoot: string, database: string | undefined, { knownKeys, use = 'up' }: ChainOptions): Promise<RevisionModule[]> {
  const cacheDir = join(projectRoot, 'node_modules', '.cache', 'revise');
  // By path, not run order: an upgrade and the downgrade of the same revisions share one chain.
  const sorted = [...new Set(paths)].sort();
  const tag = `chain ${CHAIN_VERSION} ${TRANSFORM_VERSION} ${database ?? ''}`;
  const stem = database === undefined ? 'chain' : `chain.${database}`;
  // Unchanged files are not read again: their key is the one known under their stamps.
  const variant = createHash('sha256').update(tag).update(sorted.join('\0')).digest('hex');
  let revisionsKey = knownKeys?.get(variant);
  let metaRevisions: string[] | undefined;
  if (revisionsKey === undefined || !/^[0-9a-f]+$/.test(revisionsKey)) {
    const hash = createHash('sha256').update(tag);
    metaRevisions = hashContents(hash, sorted);
    revisionsKey = hash.digest('hex').slice(0, HASH_LENGTH);
    knownKeys?.set(variant, revisionsKey);
  }
  const helpersFile = join(cacheDir, `${stem}-${revisionsKey}.helpers.json`);
  const baseFor = (helpers: string[]) => join(cacheDir, `${stem}-${chainKey(revisionsKey, helpers)}`);
  let file = existingChain(baseFor(readHelperList(helpersFile)));
  if (file === undefined) {
    const revisions = new Set(sorted);
    const metaFiles = metaRevisions ?? (await mentioningImportMeta(sorted));
    // The map's paths are relative to the chain's folder; its name is only known after the build.
    const outfile = join(cacheDir, `${stem}.bundle`);
    const build = async (format: 'esm' | 'cjs') => {
      let built = await bundleChain(sorted, cacheDir, outfile, database, metaFiles, format);
      const helpers = built.inputs.filter((input) => !revisions.has(input)).sort();
      // A helper's import.meta is only known once the build found the helper: then once more, with it.
      const metaHelpers = await mentioningImportMeta(helpers);
      if (metaHelpers.length > 0) built = await bundleChain(sorted, cacheDir, outfile, database, [...metaFiles, ...metaHelpers], format);
      return { ...built, helpers };
    };
    // A script when nothing is imported (see chain-script.ts); else a module, as top-level await or imports need.
    const script = await build('cjs').catch(() => undefined);
    const built = script?.standalone ? script : await build('esm');
    const { code, map, helpers } = built;
    file = baseFor(helpers) + (built === script ? SCRIPT_SUFFIX : MODULE_SUFFIX);
    // The list, then the map, then the chain: a chain that exists always has both.
    if (helpers.length > 0) await writeAtomically(cacheDir, helpersFile, JSON.stringify(helpers));
    await writeAtomically(cacheDir, `${file}.map`, map);
    await writeAtomically(cacheDir, file, code);
    const names = await readdir(cacheDir).catch(() => [] as string[]);
    const keep = [basename(file), `${basename(file)}.map`, `${basename(file)}.v8cache`, basename(helpersFile)];
    const ours = chainPattern(database);
    await Promise.all(
      names.filter((name) => ours.test(name) && !keep.includes(name)).map((name) => unlink(join(cacheDir, name)).catch(() => undefined)),
    );
  }
  const transformFile = file;
  const index = new Map(sorted.map((path, i) => [path, i]));
  if (file.endsWith(SCRIPT_SUFFIX)) {
    const chain = runChainScript(file, use) as Array<Record<string, unknown>>;
    return paths.map((path) => revisionModule(chain[index.get(path)!]!, { path, transformFile }, database));
  }
  const chain = (await import(pathToFileURL(file).href)) as Record<string, Record<string, unknown>>;
  return paths.map((path) => revisionModule(chain[`r${index.get(path)!}`]!, { path, transformFile }, database));
}

const MODULE_SUFFIX = '.bundle.mjs';

/** The chain built under this name, as a script or as a module; undefined when there is none yet. */
function existingChain(base: string): string | undefined {
  for (const suffix of [SCRIPT_SUFFIX, MODULE_SUFFIX]) if (existsSync(base + suffix)) return base + suffix;
  return undefined;
}

/** Write the code caches of the script chains this run compiled (see chain-script.ts); after a run that succeeded. */
export function saveChainCodeCaches(): Promise<void> {
  return persistCodeCaches((file, data) => writeAtomically(dirname(file), file, data));
}

/** The helper files a chain's last build bundled; none when no build left a list (or it cannot be read). */
function readHelperList(file: string): string[] {
  try {
    const list: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return Array.isArray(list) && list.every((entry) => typeof entry === 'string') ? list : [];
  } catch {
    return [];
  }
}

/** The revisions' hash alone when nothing else is bundled; else with each helper's path and content (a missing one counts as such). */
function chainKey(revisionsKey: string, helpers: string[]): string {
  if (helpers.length === 0) return revisionsKey;
  const hash = createHash('sha256').update(revisionsKey);
  for (const helper of helpers) {
    hash.update('\0').update(helper).update('\0');
    try {
      hash.update(readFileSync(helper));
    } catch {
      hash.update('\0missing');
    }
  }
  return hash.digest('hex').slice(0, HASH_LENGTH);
}

/** Any chain bundle, of any database. */
const ANY_CHAIN = /^chain(\.[^/]+)?-[0-9a-f]+\.bundle\.[cm]js$/;

/**
 * Every file's path and content into `hash`, read through one buffer: a
 * buffer per file would be thousands of short-lived allocations outside the
 * JavaScript heap, most of a long run's peak memory at this point. Returns
 * the files that mention `import.meta` (see import-meta.ts).
 */
function hashContents(hash: ReturnType<typeof createHash>, paths: string[]): string[] {
  const mentioning: string[] = [];
  let buffer = Buffer.allocUnsafe(64 * 1024);
  for (const path of paths) {
    hash.update('\0').update(path).update('\0');
    const fd = openSync(path, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size > buffer.length) buffer = Buffer.allocUnsafe(size);
      let read = 0;
      for (let n; read < size && (n = readSync(fd, buffer, read, size - read, read)) > 0; ) read += n;
      const content = buffer.subarray(0, read);
      hash.update(content);
      if (content.includes('import.meta')) mentioning.push(path);
    } finally {
      closeSync(fd);
    }
  }
  return mentioning;
}

/** The chain's generated entry module, as its source map and metafile name it. */
const CHAIN_ENTRY = 'revision-chain.mjs';

/** What revisionModule reads of a revision: for one database (multidb) its `_<database>` pair and the pair objects. */
function revisionExports(database: string | undefined): string[] {
  const suffix = database === undefined ? '' : `_${database}`;
  return [`upgrade${suffix}`, `downgrade${suffix}`, ...(database === undefined ? [] : ['upgrades', 'downgrades']), 'irreversible'];
}

/**
 * One ESM bundle exporting, as `r<i>`, a plain object with what the runner
 * reads of each revision (revisionExports); packages stay imports, as in each
 * file's transform. Reading only those names lets esbuild refer to each
 * revision's functions directly: no namespace object with a getter per
 * export, and none of the thousands of module-level bindings those getters
 * would keep alive in one scope (half the import time and a quarter of the
 * memory of a chain of thousands). Its source map is a file of its own, read
 * only after a failure: inline, it would be most of what a run of thousands
 * of revisions reads and keeps in memory.
 */
async function bundleChain(
  paths: string[],
  cacheDir: string,
  outfile: string,
  database: string | undefined,
  metaFiles: string[],
  format: 'esm' | 'cjs',
): Promise<{ code: string; map: string; inputs: string[]; standalone: boolean }> {
  const { build } = await import('esbuild');
  // esbuild resolves the entry's imports from here, which must exist.
  await mkdir(cacheDir, { recursive: true });
  const read = (i: number) => revisionExports(database).map((name) => `${JSON.stringify(name)}: r${i}[${JSON.stringify(name)}]`);
  const exported =
    format === 'esm' ? `export { ${paths.map((_, i) => `e${i} as r${i}`).join(', ')} };` : `export default [${paths.map((_, i) => `e${i}`).join(', ')}];`;
  const entry = paths.map((path, i) => `import * as r${i} from ${JSON.stringify(path)};\nconst e${i} = { ${read(i).join(', ')} };`).join('\n') + `\n${exported}\n`;
  const result = await build({
    stdin: { contents: entry, resolveDir: cacheDir, sourcefile: CHAIN_ENTRY, loader: 'js' },
    absWorkingDir: cacheDir,
    // Never written (write: false); the source map's paths are relative to it and lead back to the revision files.
    outfile,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format,
    target: 'node20',
    write: false,
    // Less text to read, parse and keep; failures are placed through the source map anyway.
    minifyWhitespace: true,
    sourcemap: 'external',
    logLevel: 'silent',
    define: IMPORT_META_DEFINE,
    plugins: metaFiles.length > 0 ? [importMetaPlugin(metaFiles)] : [],
    // Which files went in: the revisions, and the helpers the chain's name must also cover.
    metafile: true,
  });
  const code = result.outputFiles.find((f) => !f.path.endsWith('.map'))!.text;
  const map = result.outputFiles.find((f) => f.path.endsWith('.map'))!.text;
  const inputs = Object.keys(result.metafile.inputs)
    .filter((input) => input !== '<stdin>' && input !== CHAIN_ENTRY)
    .map((input) => resolve(cacheDir, input));
  // Nothing imported (no package, no built-in, no dynamic import) and import.meta only where defined: runs as a script.
  const imports = Object.entries(result.metafile.outputs).flatMap(([name, output]) => (name.endsWith('.map') ? [] : output.imports));
  const standalone = imports.length === 0 && !result.warnings.some((warning) => warning.id === 'empty-import-meta');
  return { code, map, inputs, standalone };
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

/** Write then rename: another process importing the file never sees half of it. */
async function writeAtomically(dir: string, file: string, code: string | Uint8Array): Promise<void> {
  await mkdir(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, code);
  await rename(tmp, file);
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
    if (ANY_CHAIN.test(basename(file))) return new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
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
