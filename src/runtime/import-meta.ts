import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Plugin } from 'esbuild';

/**
 * Node imports a revision from its cached transform or from a chain bundle,
 * both in `node_modules/.cache/revise/`, so `import.meta.url` (and
 * `dirname`, `filename`) would name the cache, and a revision reading
 * `new URL('./data.sql', import.meta.url)` would look beside the cache. Each
 * file that mentions `import.meta` gets its own values at the start of its
 * first line (lines stay where they were, for error locations), and esbuild
 * replaces those three members with them; in a bundle, esbuild renames each
 * file's copy apart. `import.meta.resolve` is left as it is: it resolves
 * packages from the cache, inside the project, as from the revision.
 */
const NAME = '__revise_import_meta';

export const IMPORT_META_DEFINE: Record<string, string> = {
  'import.meta.url': `${NAME}.url`,
  'import.meta.dirname': `${NAME}.dirname`,
  'import.meta.filename': `${NAME}.filename`,
};

/** `source` with its own `import.meta` values declared up front, when it mentions `import.meta` at all. */
export function withImportMeta(source: string, path: string): string {
  if (!source.includes('import.meta')) return source;
  const values = `var ${NAME} = { url: ${JSON.stringify(pathToFileURL(path).href)}, dirname: ${JSON.stringify(dirname(path))}, filename: ${JSON.stringify(path)} };`;
  if (!source.startsWith('#!')) return values + source;
  // A hashbang must stay the first line; the values then open the second one.
  const lineEnd = source.indexOf('\n');
  return lineEnd < 0 ? source : source.slice(0, lineEnd + 1) + values + source.slice(lineEnd + 1);
}

/** What esbuild loads a file as, by its extension. */
export function loaderFor(path: string): 'ts' | 'tsx' | 'js' | 'jsx' {
  if (/\.[cm]?tsx$/.test(path)) return 'tsx';
  if (/\.[cm]?ts$/.test(path)) return 'ts';
  return path.endsWith('.jsx') ? 'jsx' : 'js';
}

/**
 * The same in a bundle, for the files given (`only`: exact paths) or every
 * file it reads. A plugin's load hook costs a round trip to esbuild's process
 * per file it takes, so a chain of thousands hands over only the files that
 * mention `import.meta`.
 */
export function importMetaPlugin(only?: string[]): Plugin {
  const filter = only ? new RegExp(`^(?:${only.map((path) => path.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')).join('|')})$`) : /\.[cm]?[jt]sx?$/;
  return {
    name: 'revise-import-meta',
    setup(build) {
      build.onLoad({ filter }, async (args) => {
        if (args.namespace !== 'file') return undefined;
        const source = await readFile(args.path, 'utf8');
        return { contents: withImportMeta(source, args.path), loader: loaderFor(args.path) };
      });
    },
  };
}

/** Which of `paths` mention `import.meta` (and so need the plugin); unreadable ones are left to esbuild. */
export async function mentioningImportMeta(paths: string[]): Promise<string[]> {
  const found = await Promise.all(paths.map((path) => readFile(path, 'utf8').then((text) => text.includes('import.meta'), () => false)));
  return paths.filter((_, i) => found[i]);
}
