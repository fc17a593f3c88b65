import { open, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ReviseError } from '../errors.js';
import { RevisionMap } from './graph.js';
import { hasAllHeaderExports, parseRevisionHeader, type Revision } from './revision.js';

/** Headers sit at the top of a revision file; most files need only this first read. */
const HEAD_BYTES = 4096;
/** Enough parallel reads to keep the thread pool busy without running out of file descriptors. */
const CONCURRENCY = 64;

/** Is this directory entry a revision file? (`*.ts`, not `.d.ts`, not hidden or editor temp files.) */
export function isRevisionFileName(name: string): boolean {
  return name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.startsWith('.') && !name.startsWith('#');
}

/**
 * Read every revision file of the version folders (not recursive, like
 * Alembic's default) and build the revision graph. Files are read in parallel,
 * and only their first 4 KB when the header is complete there.
 */
export async function loadScriptDirectory(versionPaths: string[]): Promise<RevisionMap> {
  const files: string[] = [];
  for (const dir of versionPaths) {
    let names: string[];
    try {
      names = await readdir(dir);
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
    for (const name of names) if (isRevisionFileName(name)) files.push(join(dir, name));
  }

  const revisions: Revision[] = new Array(files.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const index = next++;
      revisions[index] = await readRevision(files[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, files.length) }, worker));
  return new RevisionMap(revisions);
}

/** Read one revision file's header (first bytes only when they suffice). */
export async function readRevision(path: string): Promise<Revision> {
  const handle = await open(path, 'r');
  let head: string;
  let whole: boolean;
  try {
    const buffer = Buffer.allocUnsafe(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    whole = bytesRead < HEAD_BYTES;
    head = buffer.toString('utf8', 0, bytesRead);
  } finally {
    await handle.close();
  }
  if (!whole && hasAllHeaderExports(head)) {
    try {
      return parseRevisionHeader(head, path);
    } catch {
      // The cut fell inside a value, or the header is unusual: read the whole file below.
    }
  }
  return parseRevisionHeader(whole ? head : await readFile(path, 'utf8'), path);
}

/** Does `path` exist and is it a folder? */
export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
