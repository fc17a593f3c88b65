import { readFileSync, statSync } from 'node:fs';
import { Script } from 'node:vm';

/**
 * A chain bundle that imports nothing (revisions whose only imports are
 * types, as autogenerate writes them) runs as a script with a V8 code cache
 * beside it, `<chain>.v8cache`: Node 20 keeps no code cache for ES modules,
 * and compiling the chain, then each revision's functions lazily as they
 * first run, costs a thousand-revision run about 30 ms. The cache is made
 * after a run that succeeded, so it holds the functions that run compiled.
 *
 * V8 checks a cache against its own version and flags and the source's
 * length only, so the cache also records the chain file it was made from
 * (size, inode, mtime): a chain rebuilt under the same name never runs code
 * compiled from the one before.
 */
export const SCRIPT_SUFFIX = '.bundle.cjs';

/** The chain's CommonJS body inside a function, on its first line: positions in the file stay as they are. */
const WRAPPER_START = '(function (exports, module) {"use strict";';
const WRAPPER_END = '\n})';

const HEADER_BYTES = 3 * 8;

interface LoadedScript {
  file: string;
  script: Script;
  fingerprint: Float64Array;
}

/** Scripts loaded by this process without a usable cache: persistCodeCaches writes theirs. */
const uncached: LoadedScript[] = [];

/** Run a script chain; its `export default` (the array of revision objects). */
export function runChainScript(file: string): unknown {
  const code = readFileSync(file, 'utf8');
  const fingerprint = fileFingerprint(file);
  const cachedData = readCache(`${file}.v8cache`, fingerprint);
  const script = new Script(WRAPPER_START + code + WRAPPER_END, {
    filename: file,
    columnOffset: -WRAPPER_START.length,
    ...(cachedData ? { cachedData } : {}),
  });
  if (!cachedData || script.cachedDataRejected) uncached.push({ file, script, fingerprint });
  const module = { exports: {} as Record<string, unknown> };
  (script.runInThisContext() as (exports: unknown, module: unknown) => void).call(module.exports, module.exports, module);
  return module.exports.default;
}

/**
 * Write the code cache of every script chain this process ran without one,
 * now that the run compiled what it needed. Best effort: a cache that cannot
 * be written only means the next run compiles again.
 */
export async function persistCodeCaches(write: (file: string, data: Uint8Array) => Promise<void>): Promise<void> {
  for (const { file, script, fingerprint } of uncached.splice(0)) {
    try {
      // The chain was pruned or rebuilt meanwhile (another process): its cache would be of nothing.
      if (!fileFingerprint(file).every((value, i) => value === fingerprint[i])) continue;
      const data = script.createCachedData();
      const out = new Uint8Array(HEADER_BYTES + data.length);
      out.set(new Uint8Array(fingerprint.buffer), 0);
      out.set(data, HEADER_BYTES);
      await write(`${file}.v8cache`, out);
    } catch {
      // Next run compiles again.
    }
  }
}

function fileFingerprint(file: string): Float64Array {
  const info = statSync(file);
  return Float64Array.of(info.size, info.ino, info.mtimeMs);
}

function readCache(file: string, fingerprint: Float64Array): Buffer | undefined {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch {
    return undefined;
  }
  if (data.length <= HEADER_BYTES) return undefined;
  const header = new Float64Array(data.buffer.slice(data.byteOffset, data.byteOffset + HEADER_BYTES));
  return header.every((value, i) => value === fingerprint[i]) ? data.subarray(HEADER_BYTES) : undefined;
}
