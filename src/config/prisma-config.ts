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
  datasourceUrl?: string;
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
      const detail = 'error' in result.error ? (result.error.error as Error).message.split('\n')[0] : result.error._tag;
      const missingEnv = 'error' in result.error && (result.error.error as Error).name === 'PrismaConfigEnvError';
      throw new ReviseError(
        `cannot load ${path.basename(configFile)}: ${detail}${missingEnv ? ' (set it in the environment or in .env)' : ''}`,
      );
    }
    const values: PrismaConfigValues = {};
    if (result.config.schema) values.schema = result.config.schema;
    if (result.config.datasource?.url) values.datasourceUrl = result.config.datasource.url;
    return values;
  } finally {
    for (const key of added) delete process.env[key];
  }
}
