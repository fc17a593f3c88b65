import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';

/**
 * A chain's revisions key (the hash of every revision file's content) kept
 * under the files' stat stamps, so a run over unchanged files stats them
 * instead of reading them all: at a thousand revisions, reading is most of
 * what loading the chain costs beyond importing it.
 *
 * A stamp is each file's path, size, inode, mtime and ctime. An edit changes
 * the ctime, which no tool can set back (`touch -r`, `git checkout` and
 * `rsync -t` all move it), so an edited file never matches an old record.
 * Git's racy-clean rule covers the one gap, an edit within the same clock
 * tick as the stamp taken: a record is written only when every file is older
 * than RACY_MS, so any later edit lands on a later tick.
 */
export interface ChainStamp {
  /** The hash of every file's stamp. */
  value: string;
  /** Every file changed more than RACY_MS ago: the stamp may be recorded. */
  settled: boolean;
}

/** Coarser than any filesystem's timestamps that revise runs on (FAT's are 2 s). */
const RACY_MS = 2_000;

const STAMP_VERSION = 1;

/** The stamps of `paths` (sorted by the caller), under the chain's version tag. */
export function chainStamp(tag: string, paths: string[], now = Date.now()): ChainStamp {
  const hash = createHash('sha256').update(`stamp ${STAMP_VERSION} ${tag}`);
  // size, ino, mtimeMs, ctimeMs of each file, then its path
  const numbers = new Float64Array(4);
  let newest = 0;
  for (const path of paths) {
    const info = statSync(path);
    numbers[0] = info.size;
    numbers[1] = info.ino;
    numbers[2] = info.mtimeMs;
    numbers[3] = info.ctimeMs;
    hash.update(path).update(new Uint8Array(numbers.buffer));
    newest = Math.max(newest, info.mtimeMs, info.ctimeMs);
  }
  return { value: hash.digest('hex'), settled: newest < now - RACY_MS };
}

interface StampRecord {
  version: number;
  stamp: string;
  key: string;
}

/** The revisions key recorded under `stamp`, if that is the stamp `file` holds. */
export function recordedKey(file: string, stamp: ChainStamp): string | undefined {
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as Partial<StampRecord>;
    return record.version === STAMP_VERSION && record.stamp === stamp.value && typeof record.key === 'string' ? record.key : undefined;
  } catch {
    return undefined;
  }
}

/** The text of a record of `key` under `stamp`; undefined when the stamp is too recent to be trusted later. */
export function stampRecord(stamp: ChainStamp, key: string): string | undefined {
  return stamp.settled ? JSON.stringify({ version: STAMP_VERSION, stamp: stamp.value, key } satisfies StampRecord) : undefined;
}
