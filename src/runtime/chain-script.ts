import { readFileSync, statSync } from 'node:fs';
import { Script } from 'node:vm';
import { writeAtomicallySync } from './cache-files.js';

/**
 * A chain bundle that imports nothing (revisions whose only imports are
 * types, as autogenerate writes them) runs as a script with a V8 code cache
 * beside it, `<chain>.v8cache`: Node 20 keeps no code cache for ES modules,
 * and compiling the chain, then each revision's functions lazily as they
 * first run, costs a thousand-revision run about 30 ms. The cache is made
 * once the run is done with the script (its revisions ran), so it holds the
 * functions that run compiled; it notes which functions those were (the
 * upgrades, the downgrades), and a run of the others makes it again, with both.
 *
 * V8 checks a cache against its own version and flags and the source's
 * length only, so the cache also records the chain file it was made from
 * (size, inode, mtime): a chain rebuilt under the same name never runs code
 * compiled from the one before.
 */
export const SCRIPT_SUFFIX = '.bundle.cjs';

/** Which of a chain's functions a run calls, and so compiles: one bit each in the cache's header. */
export type ChainUse = 'up' | 'down';
const USE_BIT: Record<ChainUse, number> = { up: 1, down: 2 };

/** The chain's CommonJS body inside a function, on its first line: positions in the file stay as they are. */
const WRAPPER_START = '(function (exports, module) {"use strict";';
const WRAPPER_END = '\n})';

/** size, inode, mtime of the chain file, then the USE_BIT mask of what the cache holds compiled. */
const HEADER_FIELDS = 4;
const HEADER_BYTES = HEADER_FIELDS * 8;

interface LoadedScript {
  file: string;
  script: Script;
  /** The header the cache will have: the chain file's fingerprint and the uses compiled. */
  header: Float64Array;
}

/** Scripts loaded by this process whose cache is missing or lacks this run's use: their cache is written once they are done. */
const toCache = new Set<LoadedScript>();

/** A chain script run for one use: its `export default` (the array of revision objects), and the handle to let it go. */
export interface RanScript {
  value: unknown;
  /**
   * The run is done with this script: its code cache is written now, if it
   * needs one, so that nothing keeps the script (its source, its compiled
   * functions) alive after the revisions that used it ran.
   */
  release(): void;
}

/** Run a script chain for `use`. */
export function runChainScript(file: string, use: ChainUse): RanScript {
  const code = readFileSync(file, 'utf8');
  const fingerprint = fileFingerprint(file);
  const cached = readCache(`${file}.v8cache`, fingerprint);
  const script = new Script(WRAPPER_START + code + WRAPPER_END, {
    filename: file,
    columnOffset: -WRAPPER_START.length,
    ...(cached ? { cachedData: cached.data } : {}),
  });
  const held = cached && !script.cachedDataRejected ? cached.uses : 0;
  let loaded: LoadedScript | undefined;
  if ((held & USE_BIT[use]) === 0) toCache.add((loaded = { file, script, header: Float64Array.of(...fingerprint, held | USE_BIT[use]) }));
  const module = { exports: {} as Record<string, unknown> };
  (script.runInThisContext() as (exports: unknown, module: unknown) => void).call(module.exports, module.exports, module);
  return {
    value: module.exports.default,
    release: () => {
      if (loaded !== undefined && toCache.delete(loaded)) writeCodeCache(loaded);
    },
  };
}

/**
 * Write the code cache of every script chain this process ran without one
 * (or with one made for the other direction) and still holds, now that the
 * run compiled what it needed. Best effort: a cache that cannot be written
 * only means the next run compiles again.
 */
export async function persistCodeCaches(): Promise<void> {
  for (const loaded of toCache) writeCodeCache(loaded);
  toCache.clear();
}

/**
 * Synchronous on purpose: a run's awaits resolve without the event loop
 * turning (the SQLite driver is synchronous), so an asynchronous write would
 * only finish after the run, keeping the script and its compiled code alive
 * until then.
 */
function writeCodeCache({ file, script, header }: LoadedScript): void {
  try {
    // The chain was pruned or rebuilt meanwhile (another process): its cache would be of nothing.
    if (!sameFile(fileFingerprint(file), header)) return;
    const data = script.createCachedData();
    const out = new Uint8Array(HEADER_BYTES + data.length);
    out.set(new Uint8Array(header.buffer), 0);
    out.set(data, HEADER_BYTES);
    writeAtomicallySync(`${file}.v8cache`, out);
  } catch {
    // Next run compiles again.
  }
}

function fileFingerprint(file: string): [size: number, ino: number, mtimeMs: number] {
  const info = statSync(file);
  return [info.size, info.ino, info.mtimeMs];
}

function sameFile(fingerprint: readonly number[], header: Float64Array): boolean {
  return fingerprint.every((value, i) => value === header[i]);
}

/** The cache made from this very chain file, and what it holds compiled; undefined when there is none. */
function readCache(file: string, fingerprint: readonly number[]): { data: Buffer; uses: number } | undefined {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch {
    return undefined;
  }
  if (data.length <= HEADER_BYTES) return undefined;
  const stored = new Float64Array(data.buffer.slice(data.byteOffset, data.byteOffset + HEADER_BYTES));
  if (!sameFile(fingerprint, stored)) return undefined;
  return { data: data.subarray(HEADER_BYTES), uses: stored[HEADER_FIELDS - 1]! };
}
