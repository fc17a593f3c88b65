import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { mkdir, readdir, unlink } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Plugin } from 'esbuild';
import { HASH_LENGTH, revisionCacheDir, TRANSFORM_VERSION, writeAtomically } from './cache-files.js';
import { runChainScript, SCRIPT_SUFFIX, type ChainUse } from './chain-script.js';
import { IMPORT_META_DEFINE, importMetaPlugin, mentioningImportMeta } from './import-meta.js';
import { revisionExports, revisionModule, type RevisionModule } from './revision-module.js';

/**
 * A run of many revisions (a database built from base) loads them from a
 * chain: the revision files bundled into a few parts of PART_SIZE revisions
 * each, in the order the revisions run, `chain-<hash>.p<k>.bundle.cjs` in the
 * cache folder (a script with a code cache, chain-script.ts; `.bundle.mjs`, a
 * module, when a revision imports a package or awaits at its top level). Node
 * resolving, reading, compiling and linking a thousand small modules costs
 * more than the migrations they run; one bundle of all of them would be held
 * whole (its source, every compiled function) for the whole run, and loading
 * it at once grows V8's young generation for good: a part is loaded when its
 * first revision runs and let go when the run moves on, so memory follows the
 * part, not the chain.
 *
 * `chain-<hash>.parts.json` (written last: a chain without it does not exist)
 * lists the parts and each revision's `irreversible` export, so that a
 * downgrade is refused before anything runs without loading every part first.
 * The hash covers every file's path and content (known from their stat stamps
 * while they are unchanged, KnownKeys) and the helpers they bundle, so any
 * edit (or another set of revisions) makes a new chain; writing one removes
 * the older ones.
 */
export const PART_SIZE = 256;

/** Bumped when the chain's build options or layout change, so an older chain is not reused. */
const CHAIN_VERSION = '6';

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
  /** Revisions per part (tests make small ones). */
  partSize?: number;
}

/** The revisions of one run, from a chain. */
export interface Chain {
  /** A revision's `irreversible` export, known before its part is loaded. */
  irreversible(path: string): boolean | string | undefined;
  /** A revision's module: its part is loaded now if it is not the one loaded, and the one before it let go. */
  module(path: string): Promise<RevisionModule>;
}

/** Loads one revision file alone: what a part that cannot be loaded falls back to, file by file. */
export type LoadFile = (path: string) => Promise<RevisionModule>;

interface Manifest {
  format: 'cjs' | 'esm';
  /** Each part's revisions, as indexes into the sorted paths, in run order. */
  parts: number[][];
  /** Sorted path index -> the revision's `irreversible` export, where it has one. */
  irreversible: Record<string, boolean | string>;
}

/**
 * The chain of `paths` (in run order), built now when there is none. Throws
 * when it cannot be built or one of its parts cannot be imported when built
 * (a file that does not compile, or throws at import): the caller loads the
 * files one by one then, which reports the failing file as it always has.
 */
export async function openChain(paths: string[], projectRoot: string, database: string | undefined, loadFile: LoadFile, options: ChainOptions = {}): Promise<Chain> {
  const { knownKeys, use = 'up' } = options;
  const cacheDir = revisionCacheDir(projectRoot);
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
  let base = baseFor(readHelperList(helpersFile));
  let manifest = readManifest(`${base}${MANIFEST_SUFFIX}`, sorted.length);
  let built: BuiltPart[] | undefined;
  if (manifest === undefined) {
    // The parts follow the upgrade's order; a downgrade runs the same revisions the other way.
    const upgradeOrder = use === 'down' ? [...paths].reverse() : paths;
    const index = new Map(sorted.map((path, i) => [path, i]));
    const order = [...new Set(upgradeOrder)].map((path) => index.get(path)!);
    const size = Math.max(1, options.partSize ?? PART_SIZE);
    const parts = Array.from({ length: Math.ceil(order.length / size) }, (_, k) => order.slice(k * size, (k + 1) * size));
    ({ base, manifest, built } = await buildChain({ sorted, parts, cacheDir, database, helpersFile, baseFor, use, metaFiles: metaRevisions ?? (await mentioningImportMeta(sorted)) }));
  }
  return new PartLoader(sorted, base, manifest, database, use, loadFile, built);
}

const MANIFEST_SUFFIX = '.parts.json';
const MODULE_SUFFIX = '.bundle.mjs';

function partFile(base: string, part: number, format: Manifest['format']): string {
  return `${base}.p${part}${format === 'cjs' ? SCRIPT_SUFFIX : MODULE_SUFFIX}`;
}

/** Any chain part, of any database (its source map is the file beside it, see loader.ts errorLocation). */
export const ANY_CHAIN_PART = /^chain(\.[^/]+)?-[0-9a-f]+\.p\d+\.bundle\.[cm]js$/;

/**
 * Every file of the database's chains: parts with their maps and code
 * caches, part lists, helper lists, and chains of an older layout (one
 * `chain-<hash>.bundle.cjs`).
 */
function chainPattern(database: string | undefined): RegExp {
  const prefix = database === undefined ? 'chain' : `chain\\.${database.replace(/[^A-Za-z0-9_]/g, (c) => `\\${c}`)}`;
  return new RegExp(`^${prefix}-[0-9a-f]+\\.((p\\d+\\.)?bundle\\.[cm]js(\\.map|\\.v8cache)?|helpers\\.json|parts\\.json)$`);
}

/** The parts list written with the chain of `count` revisions, or undefined when there is none or it does not fit them. */
function readManifest(file: string, count: number): Manifest | undefined {
  let value: Partial<Manifest>;
  try {
    value = JSON.parse(readFileSync(file, 'utf8')) as Partial<Manifest>;
  } catch {
    return undefined;
  }
  const { format, parts, irreversible } = value;
  if ((format !== 'cjs' && format !== 'esm') || !Array.isArray(parts) || typeof irreversible !== 'object' || irreversible === null) return undefined;
  // Each revision in exactly one part.
  const seen = new Uint8Array(count);
  let listed = 0;
  for (const part of parts) {
    if (!Array.isArray(part)) return undefined;
    for (const i of part) {
      if (!Number.isInteger(i) || i < 0 || i >= count || seen[i] === 1) return undefined;
      seen[i] = 1;
      listed++;
    }
  }
  return listed === count ? { format, parts, irreversible } : undefined;
}

/** Loads a chain's parts as the run reaches them: one part held at a time. */
class PartLoader implements Chain {
  /** Each revision's part, its place in it, and its index in the sorted paths (the parts list's key). */
  private readonly partOf = new Map<string, { part: number; at: number; index: number }>();
  private loaded: { part: number; modules: Array<PromiseSettledResult<RevisionModule>>; release(): void } | undefined;

  constructor(
    private readonly sorted: string[],
    private readonly base: string,
    private readonly manifest: Manifest,
    private readonly database: string | undefined,
    private readonly use: ChainUse,
    private readonly loadFile: LoadFile,
    /** The parts as the build that made them imported them (each handed out once, then let go like any other). */
    private readonly built: Array<BuiltPart | undefined> | undefined,
  ) {
    manifest.parts.forEach((members, part) => members.forEach((index, at) => this.partOf.set(sorted[index]!, { part, at, index })));
  }

  irreversible(path: string): boolean | string | undefined {
    const place = this.partOf.get(path);
    return place === undefined ? undefined : this.manifest.irreversible[String(place.index)];
  }

  async module(path: string): Promise<RevisionModule> {
    const place = this.partOf.get(path);
    if (place === undefined) throw new Error(`${path} is not in this chain`);
    if (this.loaded?.part !== place.part) {
      this.loaded?.release();
      // Let go before the next part loads, so the two are never held together.
      this.loaded = undefined;
      this.loaded = await this.loadPart(place.part);
    }
    const result = this.loaded.modules[place.at]!;
    if (result.status === 'rejected') throw result.reason;
    return result.value;
  }

  private async loadPart(part: number): Promise<NonNullable<PartLoader['loaded']>> {
    const members = this.manifest.parts[part]!;
    const built = this.built?.[part];
    if (built) {
      this.built![part] = undefined;
      return { part, modules: built.modules.map((value) => ({ status: 'fulfilled', value })), release: built.release };
    }
    const file = partFile(this.base, part, this.manifest.format);
    try {
      const { exports, release } = await importPart(file, this.manifest.format, this.use);
      const modules = partModules(exports, members, this.sorted, file, this.database);
      return { part, modules: modules.map((value) => ({ status: 'fulfilled', value })), release };
    } catch {
      // Pruned by another process meanwhile, or a revision that no longer imports as it did: the files one by one.
      return { part, modules: await Promise.allSettled(members.map((i) => this.loadFile(this.sorted[i]!))), release: () => undefined };
    }
  }
}

/** A part's revision objects as modules: `members` (sorted path indexes) in the part's order, all from `file`. */
function partModules(exports: Array<Record<string, unknown>>, members: number[], sorted: string[], file: string, database: string | undefined): RevisionModule[] {
  return members.map((i, at) => revisionModule(exports[at]!, { path: sorted[i]!, transformFile: file }, database));
}

/** A part's revision objects, in its order; `release` lets a script part go (its code cache is written then). */
async function importPart(file: string, format: Manifest['format'], use: ChainUse): Promise<{ exports: Array<Record<string, unknown>>; release(): void }> {
  if (format === 'cjs') {
    const { value, release } = runChainScript(file, use);
    return { exports: value as Array<Record<string, unknown>>, release };
  }
  // An ES module stays in Node's module map whatever is let go: it is only loaded later.
  const namespace = (await import(pathToFileURL(file).href)) as { default: Array<Record<string, unknown>> };
  return { exports: namespace.default, release: () => undefined };
}

interface BuildInput {
  sorted: string[];
  parts: number[][];
  cacheDir: string;
  database: string | undefined;
  helpersFile: string;
  baseFor: (helpers: string[]) => string;
  use: ChainUse;
  metaFiles: string[];
}

/** A part the build imported: its revisions, and the handle that lets it go. */
interface BuiltPart {
  modules: RevisionModule[];
  release(): void;
}

/**
 * Bundle the parts, write them, import each once (which also proves they
 * load, and reads their `irreversible` exports), then write the parts list
 * and remove the database's older chains. The build's imports serve its own
 * run, so nothing runs twice.
 */
async function buildChain(input: BuildInput): Promise<{ base: string; manifest: Manifest; built: BuiltPart[] }> {
  const { sorted, parts, cacheDir, database, helpersFile, baseFor, use } = input;
  const revisions = new Set(sorted);
  const build = async (format: 'esm' | 'cjs') => {
    let result = await bundleParts(sorted, parts, cacheDir, database, input.metaFiles, format);
    const helpers = result.inputs.filter((path) => !revisions.has(path)).sort();
    // A helper's import.meta is only known once the build found the helper: then once more, with it.
    const metaHelpers = await mentioningImportMeta(helpers);
    if (metaHelpers.length > 0) result = await bundleParts(sorted, parts, cacheDir, database, [...input.metaFiles, ...metaHelpers], format);
    return { ...result, helpers };
  };
  // A script when nothing is imported (see chain-script.ts); else a module, as top-level await or imports need.
  const script = await build('cjs').catch(() => undefined);
  const bundled = script?.standalone ? script : await build('esm');
  const format: Manifest['format'] = bundled === script ? 'cjs' : 'esm';
  const base = baseFor(bundled.helpers);
  // The list, then each part with its map, then the parts list: a chain that exists has all of them.
  if (bundled.helpers.length > 0) await writeAtomically(cacheDir, helpersFile, JSON.stringify(bundled.helpers));
  const files = parts.map((_, part) => partFile(base, part, format));
  for (const [part, file] of files.entries()) {
    await writeAtomically(cacheDir, `${file}.map`, bundled.outputs[part]!.map);
    await writeAtomically(cacheDir, file, bundled.outputs[part]!.code);
  }
  const irreversible: Manifest['irreversible'] = {};
  const built: BuiltPart[] = [];
  for (const [part, members] of parts.entries()) {
    const { exports, release } = await importPart(files[part]!, format, use);
    const modules = partModules(exports, members, sorted, files[part]!, database);
    members.forEach((i, at) => {
      if (modules[at]!.irreversible) irreversible[String(i)] = modules[at]!.irreversible!;
    });
    built.push({ modules, release });
  }
  const manifest: Manifest = { format, parts, irreversible };
  await writeAtomically(cacheDir, `${base}${MANIFEST_SUFFIX}`, JSON.stringify(manifest));
  const names = await readdir(cacheDir).catch(() => [] as string[]);
  const ours = chainPattern(database);
  const current = `${basename(base)}.`;
  await Promise.all(
    names
      .filter((name) => ours.test(name) && !name.startsWith(current) && name !== basename(helpersFile))
      .map((name) => unlink(join(cacheDir, name)).catch(() => undefined)),
  );
  return { base, manifest, built };
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

/**
 * The chain is named by the hash of the revision files and of every other
 * file it bundles (helpers they import, however: relative paths, tsconfig
 * aliases). Which helpers those are is only known from a build, so a build
 * leaves their list in `<stem>-<revisions hash>.helpers.json`; a later run
 * hashes the files that list names, and an edit of any of them makes a new
 * chain, as an edit of a revision does. Without helpers, the revisions' hash alone.
 */
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

/** Entry modules of the parts, generated: `revise-chain-part:<k>`. */
const PART_ENTRY = /^revise-chain-part:(\d+)$/;
const PART_NAMESPACE = 'revise-chain';

/**
 * The parts as bundles, one output each (one esbuild build): each exports, as
 * `default`, the array of plain objects with what the runner reads of its
 * revisions (revisionExports), in part order; packages stay imports, as in
 * each file's transform. Reading only those names lets esbuild refer to each
 * revision's functions directly: no namespace object with a getter per export,
 * and none of the thousands of module-level bindings those getters would keep
 * alive in one scope. Source maps are files of their own, read only after a
 * failure: inline, they would be most of what a run reads and keeps in memory.
 */
async function bundleParts(
  sorted: string[],
  parts: number[][],
  cacheDir: string,
  database: string | undefined,
  metaFiles: string[],
  format: 'esm' | 'cjs',
): Promise<{ outputs: Array<{ code: string; map: string }>; inputs: string[]; standalone: boolean }> {
  const { build } = await import('esbuild');
  // esbuild resolves the entries' imports from here, which must exist.
  await mkdir(cacheDir, { recursive: true });
  const read = (i: number) => revisionExports(database).map((name) => `${JSON.stringify(name)}: r${i}[${JSON.stringify(name)}]`);
  const entry = (members: number[]) =>
    members.map((i) => `import * as r${i} from ${JSON.stringify(sorted[i])};`).join('\n') +
    `\nexport default [${members.map((i) => `{ ${read(i).join(', ')} }`).join(',\n')}];\n`;
  const entries: Plugin = {
    name: 'revise-chain-parts',
    setup(b) {
      b.onResolve({ filter: PART_ENTRY }, (args) => ({ path: args.path, namespace: PART_NAMESPACE }));
      b.onLoad({ filter: /.*/, namespace: PART_NAMESPACE }, (args) => ({
        contents: entry(parts[Number(PART_ENTRY.exec(args.path)![1])]!),
        resolveDir: cacheDir,
        loader: 'js',
      }));
    },
  };
  const result = await build({
    entryPoints: parts.map((_, k) => ({ in: `revise-chain-part:${k}`, out: `p${k}` })),
    absWorkingDir: cacheDir,
    // Never written (write: false); the source maps' paths are relative to it and lead back to the revision files.
    outdir: cacheDir,
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
    plugins: [entries, ...(metaFiles.length > 0 ? [importMetaPlugin(metaFiles)] : [])],
    // Which files went in: the revisions, and the helpers the chain's name must also cover.
    metafile: true,
  });
  const outputs = parts.map((_, k) => {
    const code = result.outputFiles.find((f) => f.path === join(cacheDir, `p${k}.js`))!.text;
    const map = result.outputFiles.find((f) => f.path === join(cacheDir, `p${k}.js.map`))!.text;
    return { code, map };
  });
  const inputs = Object.keys(result.metafile.inputs)
    .filter((input) => !input.startsWith(`${PART_NAMESPACE}:`))
    .map((input) => resolve(cacheDir, input));
  // Nothing imported (no package, no built-in, no dynamic import) and import.meta only where defined: runs as a script.
  const imports = Object.entries(result.metafile.outputs).flatMap(([name, output]) => (name.endsWith('.map') ? [] : output.imports));
  const standalone = imports.length === 0 && !result.warnings.some((warning) => warning.id === 'empty-import-meta');
  return { outputs, inputs, standalone };
}
