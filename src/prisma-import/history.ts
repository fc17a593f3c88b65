import type { UnmodelledHistory } from './downgrade.js';

/** Definitions are put back in the order the history first created them (a trigger after its function). */
export function nextOrder(history: UnmodelledHistory): number {
  let max = 0;
  for (const entry of history.values()) max = Math.max(max, entry.order);
  return max + 1;
}
