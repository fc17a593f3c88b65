import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ReviseError } from '../errors.js';

/**
 * prisma.config.ts: where it is, and what it says. Evaluating it (through
 * @prisma/config, which runs TypeScript via jiti) costs hundreds of
 * milliseconds, so it happens only when a value cannot be read otherwise.
 */

/** The file names Prisma 7 looks for, in its order of preference. */
const EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];
const CANDIDATES = [
  ...EXTENSIONS.map((e) => `prisma.config${e}`),
  ...EXTENSIONS.map((e) => path.join('.config', `prisma${e}`)),
  ...EXTENSIONS.map((e) => path.join('.config', `prisma.config${e}`)),
];

export function findPrismaConfigFile(dir: string): string | undefined {
  for (const candidate of CANDIDATES) {
    const file = path.join(dir, candidate);
    if (existsSync(file)) return file;
  }
  return undefined;
}

export interface PrismaConfigValues {
  /** Absolute schema path (file or folder), resolved against the config file's folder. */
  schema?: string;
  /** `datasource` as evaluated; absent when the config has none. */
  datasource?: { url?: string; directUrl?: string };
  /** Absolute `migrations.path` (Prisma Migrate's folder), resolved against the config file's folder. */
  migrationsPath?: string;
}

/**
 * The `schema` setting read from the source text when it is a plain string
 * literal (the usual `schema: 'prisma/schema.prisma'`). `undefined` when the
 * file has no `schema` key; `null` when it has one that is not a literal.
 */
export function readLiteralSchemaSetting(configFile: string): string | undefined | null {
  const text = readFileSync(configFile, 'utf8').replace(/^\s*\/\/.*$/gm, '');
  const literal = /(?:^|[\s,{])schema\s*:\s*(['"`])([^'"`$]+)\1/m.exec(text);
  if (literal) return path.resolve(path.dirname(configFile), literal[2]);
  return /(?:^|[\s,{])schema\s*:/m.test(text) ? null : undefined;
}

/**
 * prisma.config.ts `migrations.path`, absolute: read from the text when it is
 * a plain string literal, else from the evaluated config; undefined when the
 * config does not set it.
 */
export async function readMigrationsPathSetting(configFile: string, root: string): Promise<string | undefined> {
  const text = readFileSync(configFile, 'utf8').replace(/^\s*\/\/.*$/gm, '');
  const block = /(?:^|[\s,{])migrations\s*:\s*\{([^{}]*)\}/m.exec(text);
  const literal = block ? /(?:^|[\s,{])path\s*:\s*(['"`])([^'"`$]+)\1/m.exec(block[1]!) : null;
  if (literal) return path.resolve(path.dirname(configFile), literal[2]!);
  if (!/(?:^|[\s,{])migrations\s*:/m.test(text)) return undefined;
  const { readDotenv } = await import('./dotenv.js');
  return (await loadPrismaConfigFile(configFile, readDotenv(root))).migrationsPath;
}

const loaded = new Map<string, Promise<PrismaConfigValues>>();

/**
 * Evaluate the config file with Prisma's own loader. Variables of
 * `<root>/.env` are visible to it while it runs (Prisma projects usually
 * load them with `import 'dotenv/config'`, which may not resolve here);
 * real environment variables win.
 */
export function loadPrismaConfigFile(configFile: string, dotenv: Record<string, string> = {}): Promise<PrismaConfigValues> {
  let pending = loaded.get(configFile);
  if (!pending) {
    pending = evaluate(configFile, dotenv);
    loaded.set(configFile, pending);
  }
  return pending;
}

async function evaluate(configFile: string, dotenv: Record<string, string>): Promise<PrismaConfigValues> {
  const { loadConfigFromFile } = await import('@prisma/config');
  const added: string[] = [];
  for (const [key, value] of Object.entries(dotenv)) {
    if (process.env[key] === undefined) {
      process.env[key] = value;
      added.push(key);
    }
  }
  try {
    const result = await loadConfigFromFile({ configFile, configRoot: path.dirname(configFile) });
    if (result.error) {
      const error = 'error' in result.error ? (result.error.error as Error) : undefined;
      const missingEnv = error?.name === 'PrismaConfigEnvError';
      const detail = error ? (unexpectedSetting(error.message) ?? error.message.split('\n')[0]) : result.error._tag;
      throw new ReviseError(
        `cannot load ${path.basename(configFile)}: ${detail}${missingEnv ? ' (set it in the environment or in .env)' : ''}`,
      );
    }
    const values: PrismaConfigValues = {};
    if (result.config.schema) values.schema = result.config.schema;
    const migrations = (result.config as { migrations?: { path?: string } }).migrations;
    if (migrations?.path) values.migrationsPath = path.resolve(path.dirname(configFile), migrations.path);
    const datasource = result.config.datasource as { url?: string; directUrl?: string } | undefined;
    if (datasource) {
      values.datasource = {};
      if (datasource.url) values.datasource.url = datasource.url;
      if (datasource.directUrl) values.datasource.directUrl = datasource.directUrl;
    }
    return values;
  } finally {
    for (const key of added) delete process.env[key];
  }
}

/**
 * @prisma/config rejects settings Prisma 7 does not have (a Prisma 6 config's
 * `engine`, `earlyAccess`, `migrate`, `datasource.directUrl`): its message is
 * the whole expected type, then `└─ ["engine"]` / `└─ is unexpected`. Name
 * the setting instead.
 */
function unexpectedSetting(message: string): string | undefined {
  if (!/is unexpected/.test(message)) return undefined;
  const keys = [...message.matchAll(/└─ \["([^"]+)"\]/g)].map((m) => m[1]);
  if (keys.length === 0) return undefined;
  return `\`${keys.join('.')}\` is not a Prisma 7 setting (revise reads prisma.config.ts as Prisma 7 does)`;
}

/** A datasource setting of prisma.config.ts as written: `env('X')` / `process.env.X`, or a string literal. */
export type ConfigUrlSetting = { env: string; written: string } | { literal: string };

export interface ConfigDatasourceText {
  /** Prisma 6.18+ `engine: 'classic'`: its `datasource` (with `directUrl`) overrides the schema's. */
  classic: boolean;
  /** No `datasource` in the file at all. */
  absent?: true;
  /** `url` / `directUrl` as written, when every datasource setting is a plain `env(...)`, `process.env.X` or string. */
  url?: ConfigUrlSetting;
  directUrl?: ConfigUrlSetting;
  /** The file does something the text cannot settle (a computed URL, its own env loading): evaluate it. */
  dynamic?: true;
}

/**
 * What the config's `datasource` says, read from its text like
 * readLiteralSchemaSetting, so the usual `datasource: { url: env('DATABASE_URL') }`
 * costs no evaluation. Anything less plain is `dynamic` and must be
 * evaluated: a computed value, comments that could hide or fake a setting,
 * or env loading other than `import 'dotenv/config'` (which loads `.env`,
 * as revise does).
 */
export function readDatasourceText(configFile: string): ConfigDatasourceText {
  const text = readFileSync(configFile, 'utf8').replace(/^\s*\/\/.*$/gm, '');
  const classic = /(?:^|[\s,{])engine\s*:\s*(['"`])classic\1/m.test(text);
  const starts = [...text.matchAll(/(?:^|[\s,{])datasource\s*:/gm)];
  const mentions = text.match(/\bdatasource\b/g)?.length ?? 0;
  // A spread or a relative import could bring a datasource in from elsewhere.
  const elsewhere = /\.\.\.|\bfrom\s*['"]\.|\bimport\(|\brequire\(\s*['"]\./.test(text);
  if (elsewhere) return { classic, dynamic: true };
  if (mentions === 0) return { classic, absent: true };
  const withoutDotenvConfig = text.replace(/\bimport\s+(['"])dotenv\/config\1\s*;?|\brequire\(\s*(['"])dotenv\/config\2\s*\)\s*;?/g, '');
  const ownEnvLoading = /dotenv|loadEnvFile|process\.env(?:\.\w+|\[[^\]]*\])\s*=(?!=)|Object\.assign\(\s*process\.env/.test(withoutDotenvConfig);
  const block = starts.length === 1 && mentions === 1 ? /^\s*\{([^{}`]*)\}/.exec(text.slice(starts[0]!.index! + starts[0]![0].length)) : null;
  if (ownEnvLoading || text.includes('/*') || !block) return { classic, dynamic: true };
  const found: ConfigDatasourceText = { classic };
  for (const entry of splitEntries(block[1]!)) {
    const m = /^(url|directUrl|shadowDatabaseUrl)\s*:\s*([\s\S]+)$/.exec(entry);
    const value = m ? configUrlSetting(m[2]!.trim()) : undefined;
    if (!m || !value) return { classic, dynamic: true };
    if (m[1] === 'url' || m[1] === 'directUrl') found[m[1]] = value;
  }
  return found;
}

/**
 * `a: x, // note\n b: env('y')` -> entries, splitting on commas outside
 * parentheses and quotes, `//` comments dropped; empty entries dropped.
 */
function splitEntries(body: string): string[] {
  const entries: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let current = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (quote) {
      if (ch === '\\') {
        current += body.slice(i, i + 2);
        i++;
        continue;
      }
      if (ch === quote) quote = undefined;
    } else if (ch === '/' && body[i + 1] === '/') {
      const end = body.indexOf('\n', i);
      i = end < 0 ? body.length : end - 1;
      continue;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      entries.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  entries.push(current);
  return entries.map((e) => e.trim()).filter((e) => e !== '');
}

function configUrlSetting(value: string): ConfigUrlSetting | undefined {
  const fromEnv =
    /^env\(\s*(['"])(\w+)\1\s*\)$/.exec(value) ??
    /^process\.env\.()(\w+)$/.exec(value) ??
    /^process\.env\[\s*(['"])(\w+)\1\s*\]$/.exec(value);
  if (fromEnv) return { env: fromEnv[2]!, written: value };
  const literal = /^(['"])([^'"\\]*)\1$/.exec(value);
  return literal ? { literal: literal[2]! } : undefined;
}
