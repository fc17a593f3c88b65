import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Where revision transforms and chains are kept: inside the project, so bare imports resolve from its node_modules. */
export function revisionCacheDir(projectRoot: string): string {
  return join(projectRoot, 'node_modules', '.cache', 'revise');
}

/** Bumped when the transform options change, so stale cached output is not reused. */
export const TRANSFORM_VERSION = '2';

/** Hex digits of a content hash in a cached file's name. */
export const HASH_LENGTH = 24;

/** Write then rename: another process importing the file never sees half of it. */
export async function writeAtomically(dir: string, file: string, code: string | Uint8Array): Promise<void> {
  await mkdir(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, code);
  await rename(tmp, file);
}

/** The same, synchronously (see chain-script.ts writeCodeCache). */
export function writeAtomicallySync(file: string, data: Uint8Array): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}
