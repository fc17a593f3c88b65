import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ReviseError } from '../errors.js';

export interface SchemaFile {
  path: string;
  content: string;
}

/** The files of a schema: the file itself, or every `*.prisma` under the folder (recursive, sorted). */
export function readSchemaFilesSync(schemaPath: string): SchemaFile[] {
  const resolved = path.resolve(schemaPath);
  const info = statSync(resolved, { throwIfNoEntry: false });
  if (!info) throw new ReviseError(`Prisma schema not found: ${displayPath(resolved)}`);
  const paths = info.isDirectory() ? findPrismaFiles(resolved) : [resolved];
  if (paths.length === 0) throw new ReviseError(`no .prisma files in ${displayPath(resolved)}`);
  return paths.map((p) => ({ path: p, content: readFileSync(p, 'utf8') }));
}

function findPrismaFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.prisma'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** A path relative to the working directory when it is inside it (shorter messages). */
export function displayPath(p: string): string {
  const relative = path.relative(process.cwd(), p);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : p;
}
