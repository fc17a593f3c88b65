import {
  loadPrismaConfigFile
} from "./chunk-2MCMOQL5.js";
import {
  readDotenv
} from "./chunk-H2JDVS7E.js";
import {
  ReviseError,
  maskUrl
} from "./chunk-AVVEHRSJ.js";

// dist/config/database-url.js
import path2 from "node:path";

// dist/schema/files.js
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
function readSchemaFilesSync(schemaPath) {
  const resolved = path.resolve(schemaPath);
  const info = statSync(resolved, { throwIfNoEntry: false });
  if (!info)
    throw new ReviseError(`Prisma schema not found: ${displayPath(resolved)}`);
  const paths = info.isDirectory() ? findPrismaFiles(resolved) : [resolved];
  if (paths.length === 0)
    throw new ReviseError(`no .prisma files in ${displayPath(resolved)}`);
  return paths.map((p) => ({ path: p, content: readFileSync(p, "utf8") }));
}
function findPrismaFiles(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile() && e.name.endsWith(".prisma")).map((e) => path.join(e.parentPath, e.name)).sort();
}
function displayPath(p) {
  const relative = path.relative(process.cwd(), p);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : p;
}

// dist/schema/scan.js
var BLOCK_START = /^\s*(model|enum|view|type|datasource|generator)\s+([A-Za-z_][\w]*)\s*\{/;
function stripLineComment(line) {
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (inString) {
      if (ch === "\\")
        i++;
      else if (ch === '"')
        inString = false;
    } else if (ch === '"') {
      inString = true;
    } else if (ch === "/" && line[i + 1] === "/") {
      return line.slice(0, i);
    }
  }
  return line;
}
function stringArg(text, attribute) {
  const m = attribute.exec(text);
  return m ? m[1] : void 0;
}
function argumentsAt(line, start) {
  const open = line.indexOf("(", start);
  if (open < 0)
    return void 0;
  let depth = 0;
  let inString = false;
  for (let i = open; i < line.length; i++) {
    const ch = line[i];
    if (inString) {
      if (ch === "\\")
        i++;
      else if (ch === '"')
        inString = false;
    } else if (ch === '"')
      inString = true;
    else if (ch === "(")
      depth++;
    else if (ch === ")" && --depth === 0)
      return line.slice(open + 1, i);
  }
  return void 0;
}
function scanField(line) {
  const m = /^([A-Za-z_]\w*)\s+(Unsupported\s*\(\s*"(?:[^"\\]|\\.)*"\s*\)|[A-Za-z_][\w.]*)/.exec(line);
  if (!m)
    return void 0;
  const rest = line.slice(m[0].length);
  const field = {
    name: m[1],
    type: m[2],
    dbName: stringArg(rest, /@map\(\s*(?:name\s*:\s*)?"((?:[^"\\]|\\.)*)"/) ?? m[1],
    ignored: /@ignore\b/.test(rest),
    unsupported: m[2].startsWith("Unsupported")
  };
  const relationAt = rest.indexOf("@relation");
  if (relationAt >= 0) {
    const args = argumentsAt(rest, relationAt);
    const map = args ? stringArg(args, /\bmap\s*:\s*"((?:[^"\\]|\\.)*)"/) : void 0;
    if (map !== void 0)
      field.relationMap = map;
  }
  return field;
}
function scanSchemaFile(file, content) {
  const blocks = [];
  let current;
  for (const rawLine of content.split(/\r?\n/)) {
    const line = stripLineComment(rawLine).trim();
    if (!current) {
      const m = BLOCK_START.exec(line);
      if (m) {
        current = {
          kind: m[1],
          name: m[2],
          dbName: m[2],
          ignored: false,
          fields: [],
          properties: {},
          file
        };
        blocks.push(current);
        if (line.endsWith("}"))
          current = void 0;
      }
      continue;
    }
    if (line.startsWith("}")) {
      current = void 0;
      continue;
    }
    if (line === "")
      continue;
    if (line.startsWith("@@")) {
      const map = stringArg(line, /^@@map\(\s*(?:name\s*:\s*)?"((?:[^"\\]|\\.)*)"/);
      if (map !== void 0)
        current.dbName = map;
      const schema = stringArg(line, /^@@schema\(\s*(?:map\s*:\s*)?"((?:[^"\\]|\\.)*)"/);
      if (schema !== void 0)
        current.schema = schema;
      if (/^@@ignore\b/.test(line))
        current.ignored = true;
      continue;
    }
    if (current.kind === "datasource" || current.kind === "generator") {
      const p = /^([A-Za-z_]\w*)\s*=\s*(.*)$/.exec(line);
      if (p)
        current.properties[p[1]] = p[2].trim();
      continue;
    }
    if (current.kind === "model" || current.kind === "view") {
      const field = scanField(line);
      if (field)
        current.fields.push(field);
    }
  }
  return blocks;
}
function scanSchema(files) {
  return files.flatMap((f) => scanSchemaFile(f.path, f.content));
}
function unquote(value) {
  if (value === void 0)
    return void 0;
  const m = /^"((?:[^"\\]|\\.)*)"$/.exec(value.trim());
  return m ? m[1] : void 0;
}
function providerFromText(files) {
  for (const block of scanSchema(files)) {
    if (block.kind === "datasource")
      return unquote(block.properties.provider);
  }
  return void 0;
}

// dist/config/database-url.js
var DEFAULT_SQLITE_URL = "file:./local.db";
async function resolveDatabaseUrl(project, options = {}) {
  const found = await findUrl(project, options);
  return { url: absoluteSqliteUrl(found.url, project.root), source: found.source, provider: providerOfUrl(found.url) };
}
async function findUrl(project, options) {
  if (options.url)
    return { url: options.url, source: "--url" };
  const env = options.env ?? process.env;
  const dotenv = readDotenv(project.root);
  for (const name of ["REVISE_DATABASE_URL", "DATABASE_URL"]) {
    if (env[name])
      return { url: env[name], source: name };
    if (dotenv[name])
      return { url: dotenv[name], source: `${name} (.env)` };
  }
  if (project.prismaConfigPath) {
    const { datasourceUrl } = await loadPrismaConfigFile(project.prismaConfigPath, dotenv);
    if (datasourceUrl)
      return { url: datasourceUrl, source: path2.basename(project.prismaConfigPath) };
  }
  const provider = schemaProvider(project);
  if (provider === "sqlite")
    return { url: DEFAULT_SQLITE_URL, source: "default" };
  const looked = ["--url", "REVISE_DATABASE_URL", "DATABASE_URL", path2.join(project.root, ".env")];
  if (project.prismaConfigPath)
    looked.push(`${path2.basename(project.prismaConfigPath)} datasource.url`);
  throw new ReviseError(`no database URL found (looked at ${looked.join(", ")})` + (provider ? `; the schema's provider is ${provider}, which has no default` : ""));
}
function schemaProvider(project) {
  if (!project.schemaPath)
    return void 0;
  try {
    return providerFromText(readSchemaFilesSync(project.schemaPath));
  } catch {
    return void 0;
  }
}
function providerOfUrl(url) {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === "file")
    return "sqlite";
  if (scheme === "postgres" || scheme === "postgresql")
    return "postgresql";
  if (scheme === void 0)
    throw new ReviseError(`invalid database URL '${maskUrl(url)}' (expected file:... or postgresql://...)`);
  return unsupported(scheme);
}
function unsupported(scheme) {
  throw new ReviseError(`unsupported database URL scheme '${scheme}:' (revise supports SQLite and PostgreSQL)`);
}
function absoluteSqliteUrl(url, root) {
  const m = /^file:(.*)$/i.exec(url);
  if (!m)
    return url;
  const rest = m[1];
  if (rest.startsWith("//"))
    return url;
  const q = rest.indexOf("?");
  const file = q >= 0 ? rest.slice(0, q) : rest;
  const query = q >= 0 ? rest.slice(q) : "";
  if (file === ":memory:" || file === "" || path2.isAbsolute(file))
    return url;
  return `file:${path2.resolve(root, file)}${query}`;
}
export {
  DEFAULT_SQLITE_URL,
  absoluteSqliteUrl,
  providerOfUrl,
  resolveDatabaseUrl
};
