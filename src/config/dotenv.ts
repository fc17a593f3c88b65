import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { ReviseError } from '../errors.js';

/**
 * `.env` files, read the way Prisma 5/6 read them (@prisma/internals
 * getEnvPaths / tryLoadEnvs): `<root>/.env` (root: the folder of
 * package.json), then the first of `<schema folder>/.env`, `<root>/prisma/.env`
 * that exists. A variable of the real environment is never overridden, and
 * the root file wins over the schema's (dotenv does not override what is
 * already set). `${NAME}` references are expanded as Prisma's dotenvExpand
 * does. Nothing is ever written to process.env here.
 */

export interface EnvValue {
  value: string;
  /** `environment`, or the `.env` file it came from, relative to the project root (`.env`, `prisma/.env`). */
  origin: string;
}

export interface ProjectEnv {
  /** The variable, first found in the real environment, `<root>/.env`, the schema's `.env`; `nonEmpty` skips empty values. */
  get(name: string, options?: { nonEmpty?: boolean; rootOnly?: boolean }): EnvValue | undefined;
  /** Where `get` looks, for messages: `the environment, .env, prisma/.env`. */
  places(options?: { rootOnly?: boolean }): string;
  /** The variables of `<root>/.env`, expanded. */
  rootFile: Record<string, string>;
}

/** The variables of `<root>/.env` (empty when there is none), `${NAME}` expanded. */
export function readDotenv(root: string, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return readEnvFile(path.join(root, '.env'), (name) => env[name]) ?? {};
}

/** The real environment, `<root>/.env` and the `.env` beside the schema, in Prisma 5/6's order. */
export function readProjectEnv(root: string, schemaPath: string | undefined, env: NodeJS.ProcessEnv = process.env): ProjectEnv {
  const rootPath = path.join(root, '.env');
  const rootFile = readEnvFile(rootPath, (name) => env[name]) ?? {};
  const candidates = [...(schemaPath ? [path.join(path.dirname(schemaPath), '.env')] : []), path.join(root, 'prisma', '.env')];
  let schemaFile: { path: string; values: Record<string, string> } | undefined;
  for (const candidate of candidates) {
    if (path.resolve(candidate) === path.resolve(rootPath)) continue;
    const values = readEnvFile(candidate, (name) => env[name] ?? rootFile[name]);
    if (values) {
      schemaFile = { path: candidate, values };
      break;
    }
  }
  const layers: Array<{ origin: string; values: Record<string, string | undefined>; root: boolean }> = [
    { origin: 'environment', values: env, root: true },
    { origin: '.env', values: rootFile, root: true },
    ...(schemaFile ? [{ origin: path.relative(root, schemaFile.path), values: schemaFile.values, root: false }] : []),
  ];
  const looked = (rootOnly?: boolean) => layers.filter((l) => l.root || !rootOnly);
  return {
    get(name, options = {}) {
      for (const layer of looked(options.rootOnly)) {
        const value = layer.values[name];
        if (value === undefined || (options.nonEmpty && value === '')) continue;
        return { value, origin: layer.origin };
      }
      return undefined;
    },
    places(options = {}) {
      const names = looked(options.rootOnly).map((l) => (l.origin === 'environment' ? 'the environment' : l.origin));
      // The schema's .env is named even when missing: it is where a user may expect it.
      if (!options.rootOnly && !schemaFile) names.push(path.relative(root, candidates[0] ?? path.join(root, 'prisma', '.env')));
      return [...new Set(names)].join(', ');
    },
    rootFile,
  };
}

/** One `.env` file's variables with `${NAME}` expanded (`lookup` first, then the file itself); undefined when there is no such file. */
function readEnvFile(file: string, lookup: (name: string) => string | undefined): Record<string, string> | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  let parsed: Record<string, string>;
  try {
    parsed = parseEnv(text) as Record<string, string>;
  } catch (error) {
    throw new ReviseError(`cannot parse ${file}: ${(error as Error).message}`);
  }
  const expanded: Record<string, string> = {};
  for (const [name, value] of Object.entries(parsed)) expanded[name] = expand(value, (ref) => lookup(ref) ?? parsed[ref], 0);
  return expanded;
}

/**
 * Prisma's dotenvExpand: `${NAME}` (braces only) becomes the variable's value
 * (the real environment wins over the file), recursively; `\${` stays literal;
 * an unknown name becomes ''. The depth bound stops `A=${A}` loops.
 */
function expand(value: string, lookup: (name: string) => string | undefined, depth: number): string {
  if (depth > 10 || !value.includes('${')) return value;
  return value.replace(/(\\?)\$\{([A-Za-z0-9_]*)\}/g, (whole, escape: string, name: string) =>
    escape ? whole.slice(1) : expand(lookup(name) ?? '', lookup, depth + 1),
  );
}
