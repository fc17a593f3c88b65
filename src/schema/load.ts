import { ReviseError } from '../errors.js';
import type { DmmfDatamodel } from './dmmf.js';
import { displayPath, readSchemaFilesSync, type SchemaFile } from './files.js';
import { stripLineComment } from './scan.js';

export type { DmmfDatamodel } from './dmmf.js';

export type { SchemaFile } from './files.js';

export interface LoadedSchema {
  provider: 'sqlite' | 'postgresql' | 'mysql';
  /** The schema files as written (absolute paths). */
  files: SchemaFile[];
  datamodel: DmmfDatamodel;
  /** multiSchema: the datasource's `schemas = [...]`. Absent otherwise. */
  schemas?: string[];
  /** Not derivable from the schema (it is the URL's `?schema=`); kept for callers that know it. */
  defaultSchema?: string;
  /** Every generator's `previewFeatures` (e.g. `partialIndexes`, `postgresqlExtensions`, `views`). */
  previewFeatures: string[];
}

interface SchemaWasm {
  get_datamodel(params: string): string;
  get_config(params: string): string;
}

/**
 * Read a schema file, or every `*.prisma` under a folder (multi-file schema),
 * validate it with Prisma's own schema engine (wasm, in-process) and return
 * its datamodel.
 *
 * `get_datamodel` is used rather than @prisma/internals' getDMMF: on a
 * 200-model schema it takes ~0.3 s against ~1.9 s (getDMMF also builds the
 * whole client query schema, ~20 MB of JSON, and importing @prisma/internals
 * alone costs ~0.35 s).
 */
export async function loadSchema(
  schemaPath: string,
  options: { warn?: (line: string) => void } = {},
): Promise<LoadedSchema> {
  const files = readSchemaFilesSync(schemaPath);
  const wasm = (await import('@prisma/prisma-schema-wasm')).default as unknown as SchemaWasm;
  let prismaSchema = files.map((f): [string, string] => [f.path, withoutDatasourceUrls(f.content)]);

  let datamodel: DmmfDatamodel | undefined;
  const dropped = new Set<string>();
  while (datamodel === undefined) {
    try {
      datamodel = JSON.parse(wasm.get_datamodel(JSON.stringify({ prismaSchema, noColor: true }))) as DmmfDatamodel;
    } catch (error) {
      // A preview feature Prisma 5/6 had and this engine no longer knows: warn, drop it, read again.
      const retired = unknownPreviewFeatures(error).filter((name) => PRISMA_5_6_PREVIEW_FEATURES.has(name) && !dropped.has(name));
      if (retired.length === 0) throw new ReviseError(describeSchemaError(error));
      for (const name of retired) dropped.add(name);
      for (const name of retired) warnRetiredFeature(name, prismaSchema, options.warn);
      prismaSchema = prismaSchema.map(([file, content]) => [file, withoutPreviewFeatures(content, retired)]);
    }
  }

  const config = JSON.parse(
    wasm.get_config(JSON.stringify({ prismaSchema, datasourceOverrides: {}, ignoreEnvVarErrors: true, env: {} })),
  ) as {
    config: {
      datasources: Array<{ provider: string; activeProvider: string; schemas?: string[] }>;
      generators?: Array<{ previewFeatures?: string[] }>;
    };
  };
  const datasource = config.config.datasources[0];
  if (!datasource) throw new ReviseError(`the Prisma schema at ${displayPath(schemaPath)} has no datasource block`);
  const provider = datasource.activeProvider ?? datasource.provider;
  if (provider !== 'sqlite' && provider !== 'postgresql' && provider !== 'mysql') {
    throw new ReviseError(`unsupported datasource provider '${provider}' (revise supports SQLite, PostgreSQL and MySQL)`);
  }
  const previewFeatures = [...new Set((config.config.generators ?? []).flatMap((g) => g.previewFeatures ?? []))];
  const loaded: LoadedSchema = { provider, files, datamodel, previewFeatures };
  if (datasource.schemas && datasource.schemas.length > 0) loaded.schemas = datasource.schemas;
  return loaded;
}

/**
 * Prisma 7 rejects `url`/`directUrl`/`shadowDatabaseUrl` in a datasource
 * block (they moved to prisma.config.ts). A Prisma 6 schema still has them;
 * blank them (keeping line numbers) so such a schema loads.
 */
export function withoutDatasourceUrls(content: string): string {
  const lines = content.split('\n');
  let inDatasource = false;
  for (let i = 0; i < lines.length; i++) {
    const line = stripLineComment(lines[i]).trim();
    if (!inDatasource) {
      if (/^datasource\s+\w+\s*\{/.test(line)) inDatasource = true;
      continue;
    }
    if (line.startsWith('}')) inDatasource = false;
    else if (/^(url|directUrl|shadowDatabaseUrl)\s*=/.test(line)) lines[i] = '';
  }
  return lines.join('\n');
}

/**
 * Every preview feature Prisma 5.0 to 6.19 accepted (active, deprecated or
 * hidden; from prisma-engines' preview_features.rs and each release's
 * `preview_features()`). Prisma 7 dropped some (`metrics`, with 7.10's
 * engine); a schema still listing one is read with a warning. A name that
 * was never a Prisma feature stays Prisma's own error.
 */
const PRISMA_5_6_PREVIEW_FEATURES = new Set([
  'aggregateApi', 'atomicNumberOperations', 'clientExtensions', 'cockroachdb', 'connectOrCreate', 'createMany',
  'dataProxy', 'deno', 'distinct', 'driverAdapters', 'extendedIndexes', 'extendedWhereUnique', 'fieldReference',
  'filteredRelationCount', 'filterJson', 'fullTextIndex', 'fullTextSearch', 'fullTextSearchPostgres', 'groupBy',
  'improvedQueryRaw', 'interactiveTransactions', 'jsonProtocol', 'metrics', 'microsoftSqlServer', 'middlewares',
  'mongoDb', 'multiSchema', 'namedConstraints', 'nApi', 'nativeDistinct', 'nativeTypes', 'omitApi',
  'orderByAggregateGroup', 'orderByNulls', 'orderByRelation', 'postgresqlExtensions', 'prismaSchemaFolder',
  'queryCompiler', 'reactNative', 'referentialActions', 'referentialIntegrity', 'relationJoins',
  'schemaEngineDriverAdapters', 'selectRelationCount', 'shardKeys', 'strictUndefinedChecks', 'tracing',
  'transactionApi', 'typedSql', 'uncheckedScalarInputs', 'views',
]);

/** The names of Prisma's `The preview feature "x" is not known` errors. */
function unknownPreviewFeatures(error: unknown): string[] {
  const raw = error instanceof Error ? error.message : String(error);
  return [...new Set([...raw.matchAll(/The preview feature \\?"([A-Za-z]+)\\?" is not known/g)].map((m) => m[1]!))];
}

const warnedFeatures = new Set<string>();

function writeWarning(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** One line on stderr per retired feature and process, naming where it is listed. */
function warnRetiredFeature(name: string, files: Array<[string, string]>, warn: (line: string) => void = writeWarning): void {
  if (warnedFeatures.has(name)) return;
  warnedFeatures.add(name);
  let where = '';
  for (const [file, content] of files) {
    const line = previewFeatureLine(content, name);
    if (line !== undefined) {
      where = ` (${displayPath(file)}:${line})`;
      break;
    }
  }
  warn(`WARN  [revise.schema] previewFeatures "${name}"${where} is not a preview feature of Prisma 7 any more; ignored`);
}

/** The 1-based line of `"name"` inside a generator block. */
function previewFeatureLine(content: string, name: string): number | undefined {
  const lines = content.split('\n');
  let inGenerator = false;
  for (let i = 0; i < lines.length; i++) {
    const line = stripLineComment(lines[i]!).trim();
    if (!inGenerator) {
      if (/^generator\s+\w+\s*\{/.test(line)) inGenerator = true;
      continue;
    }
    if (line.startsWith('}')) inGenerator = false;
    else if (line.includes(`"${name}"`)) return i + 1;
  }
  return undefined;
}

/**
 * `previewFeatures = ["metrics", "views"]` without the given names, in every
 * generator block, one-line or spread over lines; line numbers are kept.
 */
export function withoutPreviewFeatures(content: string, names: string[]): string {
  const lines = content.split('\n');
  let inGenerator = false;
  let inArray = false;
  for (let i = 0; i < lines.length; i++) {
    const line = stripLineComment(lines[i]!).trim();
    if (!inGenerator) {
      if (/^generator\s+\w+\s*\{/.test(line)) inGenerator = true;
      continue;
    }
    if (!inArray && line.startsWith('}')) {
      inGenerator = false;
      continue;
    }
    const opens = /^previewFeatures\s*=\s*\[/.test(line);
    if (!opens && !inArray) continue;
    let text = lines[i]!;
    for (const name of names) {
      const quoted = `"${name}"`;
      text = text
        .replace(new RegExp(`${escapeRegExp(quoted)}\\s*,\\s*`, 'g'), '')
        .replace(new RegExp(`,?\\s*${escapeRegExp(quoted)}`, 'g'), '');
    }
    lines[i] = text;
    inArray = !/\]/.test(stripLineComment(text)) && (opens || inArray);
  }
  return lines.join('\n');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Prisma's validation output as one line per error: `message (file:line)`,
 * without the source excerpt or any stack.
 */
export function describeSchemaError(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  let message = raw;
  try {
    const parsed = JSON.parse(raw) as { message?: string };
    if (typeof parsed.message === 'string') message = parsed.message;
  } catch {
    // not JSON: a plain message
  }
  const errors: string[] = [];
  let current: string | undefined;
  for (const line of message.split('\n')) {
    const start = /^error:\s*(.*)$/.exec(line);
    if (start) {
      if (current) errors.push(current);
      current = start[1];
      continue;
    }
    const location = /^\s*-->\s*(.*):(\d+)\s*$/.exec(line);
    if (location && current) {
      current += ` (${displayPath(location[1])}:${location[2]})`;
      errors.push(current);
      current = undefined;
    }
  }
  if (current) errors.push(current);
  if (errors.length === 0) errors.push(message.split('\n')[0]);
  return `invalid Prisma schema: ${errors.join('\n')}`;
}
