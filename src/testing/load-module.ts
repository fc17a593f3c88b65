import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { revisionCacheDir } from '../runtime/cache-files.js';

/**
 * Import a TypeScript file (a seed) the way revision files are imported:
 * transformed by esbuild into the project's node_modules/.cache/revise, so
 * its bare imports resolve from the project's own node_modules.
 */
export async function loadModuleFile(path: string, projectRoot: string): Promise<{ default?: unknown }> {
  const source = readFileSync(path, 'utf8');
  const { transform } = await import('esbuild');
  const { code } = await transform(source, { loader: 'ts', format: 'esm', target: 'node20', sourcefile: path, sourcemap: 'inline' });
  const dir = revisionCacheDir(projectRoot);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${basename(path).replace(/\.[^.]+$/, '')}-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
  writeFileSync(file, code);
  return (await import(pathToFileURL(file).href)) as { default?: unknown };
}
