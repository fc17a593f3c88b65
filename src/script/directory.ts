import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { ReviseError } from '../errors.js';
import { RevisionMap, type GraphSummary } from './graph.js';
import { hasAllHeaderExports, makeRevision, parseRevisionHeader, type Revision } from './revision.js';

/** Headers sit at the top of a revision file; most files need only this first read. */
const HEAD_BYTES = 4096;

/** Is this directory entry a revision file? (`*.ts`, not `.d.ts`, not hidden or editor temp files.) */
export function isRevisionFileName(name: string): boolean {
  return name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.startsWith('.') && !name.startsWith('#');
}

/**
 * Read every revision file of the version folders (not recursive, like
 * Alembic's default) and build the revision graph. Only the first 4 KB of a
 * file is read when its header is complete there.
 */
export async function loadScriptDirectory(versionPaths: string[], options: { cacheDir?: string } = {}): Promise<RevisionMap> {
  const files: string[] = [];
  for (const dir of versionPaths) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        throw new ReviseError(`Path doesn't exist: '${dir}'. Please use 'revise init' to create a new migrations folder.`);
      }
      if (code === 'ENOTDIR') throw new ReviseError(`Version location '${dir}' is not a folder`);
      throw err;
    }
    // Sorted so the graph's tie-breaking order (and therefore output) is stable.
    names.sort();
    // Plain concatenation: join() normalizes every path again, which shows on thousands of files.
    const prefix = dir.endsWith(sep) ? dir : dir + sep;
    for (const name of names) if (isRevisionFileName(name)) files.push(prefix + name);
  }

  // Synchronous reads on purpose: headers come from the page cache in microseconds, and
  // measured on 5,000 files they take ~100 ms where thread-pool reads (open/read/close
  // round trips, any concurrency) take ~550 ms.
  const buffer = Buffer.allocUnsafe(HEAD_BYTES);
  if (options.cacheDir === undefined) return new RevisionMap(files.map((path) => readRevision(path, buffer)));
  return loadWithCache(files, versionPaths, options.cacheDir, buffer);
}

/** Bumped when `Revision`, header parsing or the cache layout changes, so stale entries are never reused. */
const HEADER_CACHE_VERSION = 5;
/** The revision is stored without its `path` (the entry's key). */
type CacheEntry = [mtimeMs: number, size: number, ctimeMs: number, ino: number, revision: Omit<Revision, 'path'>];

/**
 * What identifies a file's content without reading it: size, inode, mtime
 * and ctime. An edit always moves the ctime, which no tool sets back
 * (`touch -r`, `git checkout` and `rsync -t` set the mtime only). The one gap
 * is an edit within the same clock tick as the stat that was recorded. Where
 * that would run stale code (a chain's content key, writeDerivedText's
 * `settledOnly`), nothing is recorded while a file changed less than RACY_MS
 * before, as Git does for racily clean files: coarser than any filesystem's
 * timestamps (FAT's are 2 s), so any later edit lands on a later tick.
 */
const STAT_FIELDS = 4;
const RACY_MS = 2_000;

/**
 * `graph-<key>.json`: the file set of the last load and, when that load
 * validated cleanly, what its graph says about the heads. Small on purpose:
 * it is all a no-op `upgrade head`, `heads` or `current` at head reads.
 */
interface GraphCacheFile extends GraphSummary {
  version: number;
  /** Hash of the file paths in load order. */
  paths: string;
  /** Hash of every file's size, inode, mtime and ctime, in the same order. */
  stamp: string;
  valid: boolean;
}

/**
 * Load through the cache in `cacheDir`: `graph-<key>.json` (see above) and
 * `headers-<key>.json` (every file's parsed header, by path and stat stamp).
 * When the last load validated cleanly and every file still has the same
 * path and stamp (STAT_FIELDS), the graph summary stands in for the graph; headers are
 * only read if something needs more than the heads (a plan with steps, a
 * lookup). Otherwise headers of unchanged files come from the cache and the
 * graph is built and validated as usual. The cache is only an accelerator:
 * unreadable or stale, it is rebuilt.
 */
function loadWithCache(files: string[], versionPaths: string[], cacheDir: string, buffer: Buffer): RevisionMap {
  const key = createHash('sha256').update(versionPaths.join('\0')).digest('hex').slice(0, 16);
  const graphFile = join(cacheDir, `graph-${key}.json`);
  const headersFile = join(cacheDir, `headers-${key}.json`);
  const paths = createHash('sha256').update(files.join('\n')).digest('hex');
  // One stat per file is the whole cost of a warm load: file i's stamp at STAT_FIELDS * i.
  const stats = new Float64Array(files.length * STAT_FIELDS);
  let newest = 0;
  for (let i = 0; i < files.length; i++) {
    const info = statSync(files[i]!);
    const at = STAT_FIELDS * i;
    stats[at] = info.mtimeMs;
    stats[at + 1] = info.size;
    stats[at + 2] = info.ctimeMs;
    stats[at + 3] = info.ino;
    newest = Math.max(newest, info.mtimeMs, info.ctimeMs);
  }
  const stamp = createHash('sha256').update(new Uint8Array(stats.buffer)).digest('hex');
  // No file changed within RACY_MS: the stamp can be trusted later even for code (see STAT_FIELDS).
  const settled = newest < Date.now() - RACY_MS;

  const known = readJson<GraphCacheFile>(graphFile);
  const cachedHeaders = (): Record<string, CacheEntry> => readJson<{ version: number; files: Record<string, CacheEntry> }>(headersFile)?.files ?? {};

  const identity = { dir: cacheDir, key, fingerprint: `${paths}:${stamp}`, settled };
  if (known && known.valid && known.paths === paths && known.stamp === stamp) {
    // Same files as the last clean load: its summary answers head-level questions; the rest waits.
    return remember(identity, RevisionMap.deferred(() => {
      const { revisions, next, changed } = readWithCache(files, stats, cachedHeaders(), buffer);
      // The headers file was missing or stale (the graph file alone survived): mend it.
      if (changed) writeCacheFiles(cacheDir, [[headersFile, { version: HEADER_CACHE_VERSION, files: next }]]);
      return revisions;
    }, {
      heads: known.heads,
      realHeads: known.realHeads,
      headRevisions: known.headRevisions,
    }));
  }

  const { revisions, next, changed } = readWithCache(files, stats, cachedHeaders(), buffer);
  let map: RevisionMap | undefined;
  let failure: unknown;
  try {
    map = new RevisionMap(revisions);
  } catch (err) {
    failure = err;
  }
  // Only a file set that validated cleanly may skip validation next time.
  const summary: GraphCacheFile = {
    version: HEADER_CACHE_VERSION,
    paths,
    stamp,
    valid: map !== undefined,
    ...(map ? map.summarize() : { heads: [], realHeads: [], headRevisions: {} }),
  };
  // Written only when something changed: an unchanged file set that fails to validate is not rewritten on every run.
  const sameSummary = known !== undefined && known.paths === paths && known.stamp === stamp && known.valid === summary.valid;
  writeCacheFiles(cacheDir, [
    ...(changed || !known ? [[headersFile, { version: HEADER_CACHE_VERSION, files: next }] as const] : []),
    ...(sameSummary ? [] : [[graphFile, summary] as const]),
  ]);
  if (!map) throw failure;
  return remember(identity, map);
}

/** Which cache a graph that loaded cleanly came from, and the exact file set it stands for. */
interface CacheIdentity {
  dir: string;
  key: string;
  /** The file set: path hash and stamp hash (see GraphCacheFile). */
  fingerprint: string;
  /** No file changed within RACY_MS of the stamp (see writeDerivedText's `settledOnly`). */
  settled: boolean;
}

const identities = new WeakMap<RevisionMap, CacheIdentity>();

function remember(identity: CacheIdentity, map: RevisionMap): RevisionMap {
  identities.set(map, identity);
  return map;
}

/**
 * A text derived from nothing but this graph's files (the `history` listing),
 * cached beside the graph summary as `<name>-<key>.txt` under the file set's
 * fingerprint and `variant` (what else shaped the text: options, the version
 * of the code that wrote it). Undefined when there is none, it was made for
 * other files or another variant, or the graph was not loaded through the cache.
 */
export function readDerivedText(map: RevisionMap, name: string, variant: string): string | undefined {
  const identity = identities.get(map);
  if (!identity) return undefined;
  let text: string;
  try {
    text = readFileSync(join(identity.dir, `${name}-${identity.key}.txt`), 'utf8');
  } catch {
    return undefined;
  }
  const newline = text.indexOf('\n');
  if (newline < 0 || text.slice(0, newline) !== derivedTextTag(identity, variant)) return undefined;
  return text.slice(newline + 1);
}

/**
 * Store what readDerivedText returns next time for the same files (best
 * effort, like every cache file). `settledOnly`: not while a file changed
 * within RACY_MS, for texts that must never be stale (see STAT_FIELDS).
 */
export function writeDerivedText(map: RevisionMap, name: string, variant: string, text: string, options: { settledOnly?: boolean } = {}): void {
  const identity = identities.get(map);
  if (!identity || (options.settledOnly && !identity.settled)) return;
  writeCacheFiles(identity.dir, [[join(identity.dir, `${name}-${identity.key}.txt`), `${derivedTextTag(identity, variant)}\n${text}`]]);
}

/**
 * Keys kept as derived texts named `name` (one per variant in use at a
 * time), recorded only under settled stamps: what loader.ts's KnownKeys
 * expects of the graph.
 */
export function derivedKeys(map: RevisionMap, name: string): { get(variant: string): string | undefined; set(variant: string, key: string): void } {
  return {
    get: (variant) => readDerivedText(map, name, variant),
    set: (variant, key) => writeDerivedText(map, name, variant, key, { settledOnly: true }),
  };
}

function derivedTextTag(identity: CacheIdentity, variant: string): string {
  return `${HEADER_CACHE_VERSION}:${variant.replace(/\n/g, ' ')}:${identity.fingerprint}`;
}

/** A cache file of this cache version, or undefined (missing, damaged, older layout). */
function readJson<T extends { version: number }>(path: string): T | undefined {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as T;
    return value.version === HEADER_CACHE_VERSION ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Write each file then rename it into place, so a concurrent reader sees the
 * old file or the new one, never half of one. A read-only project still
 * works, just without the cache.
 */
/** `value`: a string is written as it is, anything else as JSON. */
function writeCacheFiles(cacheDir: string, files: ReadonlyArray<readonly [path: string, value: unknown]>): void {
  try {
    mkdirSync(cacheDir, { recursive: true });
    for (const [path, value] of files) {
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, typeof value === 'string' ? value : JSON.stringify(value));
      renameSync(tmp, path);
    }
  } catch {
    // Not writable: the next run reads the files again.
  }
}

/**
 * Headers of unchanged files (same mtime and size) come from the cache
 * instead of being read and parsed again: on thousands of revisions, a stat
 * per file is much cheaper than opening, reading and scanning it.
 */
function readWithCache(
  files: string[],
  /** File i's stamp at STAT_FIELDS * i: mtime, size, ctime, inode. */
  stats: Float64Array,
  cached: Record<string, CacheEntry>,
  buffer: Buffer,
): { revisions: Revision[]; next: Record<string, CacheEntry>; changed: boolean } {
  let changed = Object.keys(cached).length !== files.length;
  const next: Record<string, CacheEntry> = {};
  const revisions = files.map((path, i) => {
    const at = STAT_FIELDS * i;
    const [mtimeMs, size, ctimeMs, ino] = [stats[at]!, stats[at + 1]!, stats[at + 2]!, stats[at + 3]!];
    const hit = cached[path];
    if (hit && hit[0] === mtimeMs && hit[1] === size && hit[2] === ctimeMs && hit[3] === ino) {
      next[path] = hit;
      return makeRevision(hit[4], path);
    }
    changed = true;
    const revision = readRevision(path, buffer);
    const { path: _key, ...stored } = revision;
    next[path] = [mtimeMs, size, ctimeMs, ino, stored];
    return revision;
  });
  return { revisions, next, changed };
}

/** Read one revision file's header (first bytes only when they suffice). */
export function readRevision(path: string, buffer: Buffer = Buffer.allocUnsafe(HEAD_BYTES)): Revision {
  const fd = openSync(path, 'r');
  let bytesRead: number;
  try {
    bytesRead = readSync(fd, buffer, 0, HEAD_BYTES, 0);
  } finally {
    closeSync(fd);
  }
  const head = buffer.toString('utf8', 0, bytesRead);
  const whole = bytesRead < HEAD_BYTES;
  if (!whole && hasAllHeaderExports(head)) {
    try {
      return parseRevisionHeader(head, path);
    } catch {
      // The cut fell inside a value, or the header is unusual: read the whole file below.
    }
  }
  return parseRevisionHeader(whole ? head : readFileSync(path, 'utf8'), path);
}

/** Does `path` exist and is it a folder? */
export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
