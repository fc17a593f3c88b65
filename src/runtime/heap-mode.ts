import { setFlagsFromString } from 'node:v8';

/**
 * For the length of a migration run, V8 favours a small heap over
 * throughput (`--optimize-for-size`: a young generation that stays small,
 * old-generation limits that grow slowly). Left to its defaults, V8 grows the
 * young generation to 32 MB as soon as a long run's start-up keeps much of
 * what it allocates, and lets the compiled code of every revision that ran
 * pile up before collecting it: a run of 5,000 revisions peaked at 1.8 times
 * the memory of a run of 1,000 (bench/apply-chain.mjs), about 1.45 times with
 * this, at the same speed. The flag is read as the heap grows, so setting it
 * now takes effect. It is set only once a run is known to have work (not for
 * `upgrade head` on a database already there): changing a flag costs Node
 * ~6 ms of compiling the built-in modules it loads afterwards. It is part of
 * what a chain's code cache is checked against, so every run that loads a
 * chain (online or `--sql`) sets it the same way. The process is put back as
 * it was afterwards, for a program that calls revise and goes on (a process
 * started with the flag keeps it).
 */
export async function withSmallHeap<T>(fn: () => Promise<T>): Promise<T> {
  if (startedWithFlag()) return fn();
  // Runs may overlap in one process (a program migrating two databases): the last one out puts it back.
  if (running++ === 0) setFlagsFromString('--optimize-for-size');
  try {
    return await fn();
  } finally {
    if (--running === 0) setFlagsFromString('--no-optimize-for-size');
  }
}

let running = 0;

function startedWithFlag(): boolean {
  const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  return given.some((arg) => arg === '--optimize-for-size' || arg === '--optimize_for_size');
}
