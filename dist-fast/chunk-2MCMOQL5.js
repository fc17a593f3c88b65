import {
  ReviseError
} from "./chunk-AVVEHRSJ.js";

// dist/config/prisma-config.js
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
var EXTENSIONS = [".ts", ".mts", ".cts", ".js", ".mjs", ".cjs"];
var CANDIDATES = [
  ...EXTENSIONS.map((e) => `prisma.config${e}`),
  ...EXTENSIONS.map((e) => path.join(".config", `prisma${e}`)),
  ...EXTENSIONS.map((e) => path.join(".config", `prisma.config${e}`))
];
function findPrismaConfigFile(dir) {
  for (const candidate of CANDIDATES) {
    const file = path.join(dir, candidate);
    if (existsSync(file))
      return file;
  }
  return void 0;
}
function readLiteralSchemaSetting(configFile) {
  const text = readFileSync(configFile, "utf8").replace(/^\s*\/\/.*$/gm, "");
  const literal = /(?:^|[\s,{])schema\s*:\s*(['"`])([^'"`$]+)\1/m.exec(text);
  if (literal)
    return path.resolve(path.dirname(configFile), literal[2]);
  return /(?:^|[\s,{])schema\s*:/m.test(text) ? null : void 0;
}
var loaded = /* @__PURE__ */ new Map();
function loadPrismaConfigFile(configFile, dotenv = {}) {
  let pending = loaded.get(configFile);
  if (!pending) {
    pending = evaluate(configFile, dotenv);
    loaded.set(configFile, pending);
  }
  return pending;
}
async function evaluate(configFile, dotenv) {
  const { loadConfigFromFile } = await import("@prisma/config");
  const added = [];
  for (const [key, value] of Object.entries(dotenv)) {
    if (process.env[key] === void 0) {
      process.env[key] = value;
      added.push(key);
    }
  }
  try {
    const result = await loadConfigFromFile({ configFile, configRoot: path.dirname(configFile) });
    if (result.error) {
      const detail = "error" in result.error ? result.error.error.message.split("\n")[0] : result.error._tag;
      const missingEnv = "error" in result.error && result.error.error.name === "PrismaConfigEnvError";
      throw new ReviseError(`cannot load ${path.basename(configFile)}: ${detail}${missingEnv ? " (set it in the environment or in .env)" : ""}`);
    }
    const values = {};
    if (result.config.schema)
      values.schema = result.config.schema;
    if (result.config.datasource?.url)
      values.datasourceUrl = result.config.datasource.url;
    return values;
  } finally {
    for (const key of added)
      delete process.env[key];
  }
}

export {
  findPrismaConfigFile,
  readLiteralSchemaSetting,
  loadPrismaConfigFile
};
