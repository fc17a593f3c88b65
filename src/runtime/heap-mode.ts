import { setFlagsFromString } from 'node:v8';

/**
 * For the length of a migration run, V8 keeps its young generation at the
 * size it starts with (`--semi-space-growth-factor=1`). V8 doubles the young
 * generation each time what survives its collections adds up to its size: a
 * long run keeps a lot for a while (the graph, a chain part, the tables it
 * made), so a run of 5,000 revisions had it at 32 MB, and peaked at 1.8 times
 * the memory of a run of 1,000 (bench/apply-chain.mjs); with this, 1.5 times,
 * at the same speed (`--optimize-for-size` saves as much but costs 3-10%).
 * The flag is read each time the young generation would grow, so setting it
 * now takes effect. It is set only once a run is known to have work (not for
 * `upgrade head` on a database already there), and it is part of what a
 * chain's code cache is checked against, so every run that loads a chain
 * (online or `--sql`) sets it the same way. The process is put back as it was
 * afterwards, for a program that calls revise and goes on; a process started
 * with its own value keeps it.
 */
export async function withSmallHeap<T>(fn: () => Promise<T>): Promise<T> {
  if (startedWithOwnValue()) return fn();
  // Runs may overlap in one process (a program migrating two databases): the last one out puts it back.
  if (running++ === 0) setFlagsFromString(`${FLAG}=1`);
  try {
    return await fn();
  } finally {
    if (--running === 0) setFlagsFromString(`${FLAG}=${V8_DEFAULT}`);
  }
}

const FLAG = '--semi-space-growth-factor';
/** V8's own default (`node --v8-options`). */
const V8_DEFAULT = 2;
let running = 0;

function startedWithOwnValue(): boolean {
  const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  return given.some((arg) => /^--semi[-_]space[-_]growth[-_]factor\b/.test(arg));
}
