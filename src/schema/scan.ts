/**
 * A small line scanner over Prisma schema text. The DMMF leaves out a few
 * things revise needs: @@ignore'd models, @ignore'd and Unsupported fields,
 * the `@@schema` of enums and the `map:` name of a foreign key. Prisma has
 * already validated the text (or is about to), so a line-based reading of
 * `prisma format`-shaped blocks is enough.
 */

export interface ScannedField {
  name: string;
  /** The type token without `?`/`[]`, e.g. `Int`, `User`, `Unsupported("circle")`. */
  type: string;
  dbName: string;
  ignored: boolean;
  unsupported: boolean;
  /** `map:` argument of `@relation(...)`: the foreign key's explicit name. */
  relationMap?: string;
  /** The field's attributes as written (everything after its type). */
  attributes: string;
}

export interface ScannedBlock {
  kind: 'model' | 'enum' | 'view' | 'type' | 'datasource' | 'generator';
  name: string;
  dbName: string;
  schema?: string;
  ignored: boolean;
  fields: ScannedField[];
  /** `key = value` lines (datasource / generator blocks), value as written. */
  properties: Record<string, string>;
  /** Block attribute lines (`@@index(...)`, `@@unique(...)`, ...) as written. */
  attributes: string[];
  file: string;
}

const BLOCK_START = /^\s*(model|enum|view|type|datasource|generator)\s+([A-Za-z_][\w]*)\s*\{/;

/** Removes a `//` comment that is not inside a string literal. */
export function stripLineComment(line: string): string {
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') {
      inString = true;
    } else if (ch === '/' && line[i + 1] === '/') {
      return line.slice(0, i);
    }
  }
  return line;
}

function stringArg(text: string, attribute: RegExp): string | undefined {
  const m = attribute.exec(text);
  return m ? m[1] : undefined;
}

/** The text between the parentheses that follow `start` (balanced, strings respected). */
export function argumentsAt(line: string, start: number): string | undefined {
  const open = line.indexOf('(', start);
  if (open < 0) return undefined;
  let depth = 0;
  let inString = false;
  for (let i = open; i < line.length; i++) {
    const ch = line[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return line.slice(open + 1, i);
  }
  return undefined;
}

function scanField(line: string): ScannedField | undefined {
  const m = /^([A-Za-z_]\w*)\s+(Unsupported\s*\(\s*"(?:[^"\\]|\\.)*"\s*\)|[A-Za-z_][\w.]*)/.exec(line);
  if (!m) return undefined;
  const rest = line.slice(m[0].length);
  const field: ScannedField = {
    name: m[1],
    type: m[2],
    dbName: stringArg(rest, /@map\(\s*(?:name\s*:\s*)?"((?:[^"\\]|\\.)*)"/) ?? m[1],
    ignored: /@ignore\b/.test(rest),
    unsupported: m[2].startsWith('Unsupported'),
    attributes: rest.trim(),
  };
  const relationAt = rest.indexOf('@relation');
  if (relationAt >= 0) {
    const args = argumentsAt(rest, relationAt);
    const map = args ? stringArg(args, /\bmap\s*:\s*"((?:[^"\\]|\\.)*)"/) : undefined;
    if (map !== undefined) field.relationMap = map;
  }
  return field;
}

/** Every top-level block of one schema file. */
export function scanSchemaFile(file: string, content: string): ScannedBlock[] {
  const blocks: ScannedBlock[] = [];
  let current: ScannedBlock | undefined;
  for (const rawLine of content.split(/\r?\n/)) {
    const line = stripLineComment(rawLine).trim();
    if (!current) {
      const m = BLOCK_START.exec(line);
      if (m) {
        current = {
          kind: m[1] as ScannedBlock['kind'],
          name: m[2],
          dbName: m[2],
          ignored: false,
          fields: [],
          properties: {},
          attributes: [],
          file,
        };
        blocks.push(current);
        if (line.endsWith('}')) current = undefined;
      }
      continue;
    }
    if (line.startsWith('}')) {
      current = undefined;
      continue;
    }
    if (line === '') continue;
    if (line.startsWith('@@')) {
      current.attributes.push(line);
      const map = stringArg(line, /^@@map\(\s*(?:name\s*:\s*)?"((?:[^"\\]|\\.)*)"/);
      if (map !== undefined) current.dbName = map;
      const schema = stringArg(line, /^@@schema\(\s*(?:map\s*:\s*)?"((?:[^"\\]|\\.)*)"/);
      if (schema !== undefined) current.schema = schema;
      if (/^@@ignore\b/.test(line)) current.ignored = true;
      continue;
    }
    if (current.kind === 'datasource' || current.kind === 'generator') {
      const p = /^([A-Za-z_]\w*)\s*=\s*(.*)$/.exec(line);
      if (p) current.properties[p[1]] = p[2].trim();
      continue;
    }
    if (current.kind === 'model' || current.kind === 'view') {
      const field = scanField(line);
      if (field) current.fields.push(field);
    }
  }
  return blocks;
}

export function scanSchema(files: Array<{ path: string; content: string }>): ScannedBlock[] {
  return files.flatMap((f) => scanSchemaFile(f.path, f.content));
}

/** The string value of a `key = "value"` property, e.g. the datasource provider. */
export function unquote(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const m = /^"((?:[^"\\]|\\.)*)"$/.exec(value.trim());
  return m ? m[1] : undefined;
}

/** The datasource provider as written in the text (cheap: no Prisma engine involved). */
export function providerFromText(files: Array<{ path: string; content: string }>): string | undefined {
  for (const block of scanSchema(files)) {
    if (block.kind === 'datasource') return unquote(block.properties.provider);
  }
  return undefined;
}

/** A datasource setting as written: `env("NAME")`, a string literal, or anything else (kept as text). */
export type DatasourceValue = { env: string } | { literal: string } | { expression: string };

export interface ScannedDatasource {
  /** The schema file that holds the datasource block (Prisma 5/6 resolve relative SQLite paths against its folder). */
  file: string;
  provider?: string;
  /** Prisma 5/6 only (Prisma 7 moved them to prisma.config.ts). */
  url?: DatasourceValue;
  directUrl?: DatasourceValue;
}

/** How a `url = ...` / `directUrl = ...` value is written. */
export function datasourceValue(text: string): DatasourceValue {
  const fromEnv = /^env\(\s*"((?:[^"\\]|\\.)*)"\s*\)$/.exec(text.trim());
  if (fromEnv) return { env: fromEnv[1]! };
  const literal = unquote(text);
  if (literal !== undefined) {
    try {
      return { literal: JSON.parse(`"${literal}"`) as string };
    } catch {
      return { literal };
    }
  }
  return { expression: text.trim() };
}

/** The (first, as Prisma allows one) datasource block as written, without any Prisma engine. */
export function datasourceFromText(files: Array<{ path: string; content: string }>): ScannedDatasource | undefined {
  const block = scanSchema(files).find((b) => b.kind === 'datasource');
  if (!block) return undefined;
  const found: ScannedDatasource = { file: block.file };
  const provider = unquote(block.properties.provider);
  if (provider !== undefined) found.provider = provider;
  if (block.properties.url !== undefined) found.url = datasourceValue(block.properties.url);
  if (block.properties.directUrl !== undefined) found.directUrl = datasourceValue(block.properties.directUrl);
  return found;
}
