import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ReviseError } from '../errors.js';
import { RevisionMap } from './graph.js';
import { hasAllHeaderExports, parseRevisionHeader, type Revision } from './revision.js';

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

  // Synchronous reads on purpose: headers come from the page cache in microseconds, and
  // measured on 5,000 files they take ~100 ms where thread-pool reads (open/read/close
  // round trips, any concurrency) take ~550 ms.
  const buffer = Buffer.allocUnsafe(HEAD_BYTES);
  const revisions = files.map((path) => readRevision(path, buffer));
  return new RevisionMap(revisions);
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
