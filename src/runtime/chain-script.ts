import { readFileSync, statSync } from 'node:fs';
import { Script } from 'node:vm';

/**
 * A chain bundle that imports nothing (revisions whose only imports are
 * types, as autogenerate writes them) runs as a script with a V8 code cache
 * beside it, `<chain>.v8cache`: Node 20 keeps no code cache for ES modules,
 * and compiling the chain, then each revision's functions lazily as they
 * first run, costs a thousand-revision run about 30 ms. The cache is made
 * after a run that succeeded, so it holds the functions that run compiled;
 * it notes which functions those were (the upgrades, the downgrades), and a
 * run of the others makes it again, with both.
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

/** Scripts loaded by this process whose cache is missing or lacks this run's use: persistCodeCaches writes theirs. */
const toCache: LoadedScript[] = [];

/** Run a script chain for `use`; its `export default` (the array of revision objects). */
export function runChainScript(file: string, use: ChainUse): unknown {
  const code = readFileSync(file, 'utf8');
  const fingerprint = fileFingerprint(file);
  const cached = readCache(`${file}.v8cache`, fingerprint);
  const script = new Script(WRAPPER_START + code + WRAPPER_END, {
    filename: file,
    columnOffset: -WRAPPER_START.length,
    ...(cached ? { cachedData: cached.data } : {}),
  });
  const held = cached && !script.cachedDataRejected ? cached.uses : 0;
  if ((held & USE_BIT[use]) === 0) toCache.push({ file, script, header: Float64Array.of(...fingerprint, held | USE_BIT[use]) });
  const module = { exports: {} as Record<string, unknown> };
  (script.runInThisContext() as (exports: unknown, module: unknown) => void).call(module.exports, module.exports, module);
  return module.exports.default;
}

/**
 * Write the code cache of every script chain this process ran without one
 * (or with one made for the other direction), now that the run compiled what
 * it needed. Best effort: a cache that cannot be written only means the next
 * run compiles again.
 */
export async function persistCodeCaches(write: (file: string, data: Uint8Array) => Promise<void>): Promise<void> {
  for (const { file, script, header } of toCache.splice(0)) {
    try {
      // The chain was pruned or rebuilt meanwhile (another process): its cache would be of nothing.
      if (!sameFile(fileFingerprint(file), header)) continue;
      const data = script.createCachedData();
      const out = new Uint8Array(HEADER_BYTES + data.length);
      out.set(new Uint8Array(header.buffer), 0);
      out.set(data, HEADER_BYTES);
      await write(`${file}.v8cache`, out);
    } catch {
      // Next run compiles again.
    }
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
