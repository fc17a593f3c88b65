import {
  findPrismaConfigFile,
  loadPrismaConfigFile,
  readLiteralSchemaSetting
} from "./chunk-2MCMOQL5.js";
import {
  readDotenv
} from "./chunk-H2JDVS7E.js";
import {
  ReviseError
} from "./chunk-AVVEHRSJ.js";

// dist/config/project.js
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
async function loadProjectConfig(options) {
  const cwd = path.resolve(options.cwd);
  const root = findProjectRoot(cwd);
  const pkg = readPackageJson(root);
  let prismaConfigPath;
  if (options.config) {
    prismaConfigPath = path.resolve(cwd, options.config);
    if (!existsSync(prismaConfigPath))
      throw new ReviseError(`Prisma config file not found: ${options.config}`);
  } else {
    prismaConfigPath = findPrismaConfigFile(root);
  }
  const schemaPath = options.schema ? explicitSchema(path.resolve(cwd, options.schema), options.schema) : await discoverSchema(root, pkg, prismaConfigPath);
  const settings = pkg?.revise ?? {};
  const migrationsDir = path.resolve(root, stringSetting(settings.migrations, "revise.migrations") ?? "migrations");
  const versionPaths = stringListSetting(settings.versionPaths, "revise.versionPaths")?.map((p) => path.resolve(root, p)) ?? [
    path.join(migrationsDir, "versions")
  ];
  const excludeTables = stringListSetting(settings.excludeTables, "revise.excludeTables") ?? [];
  const project = { root, migrationsDir, versionPaths, excludeTables };
  const lockTimeout = secondsSetting(process.env.REVISE_LOCK_TIMEOUT, "REVISE_LOCK_TIMEOUT") ?? secondsSetting(settings.lockTimeout, "package.json revise.lockTimeout");
  if (lockTimeout !== void 0)
    project.lockTimeoutMs = lockTimeout * 1e3;
  if (settings.transactionPerRevision !== void 0) {
    if (typeof settings.transactionPerRevision !== "boolean") {
      throw new ReviseError("package.json revise.transactionPerRevision must be true or false");
    }
    project.transactionPerRevision = settings.transactionPerRevision;
  }
  if (schemaPath)
    project.schemaPath = schemaPath;
  if (prismaConfigPath)
    project.prismaConfigPath = prismaConfigPath;
  return project;
}
function requireSchemaPath(project) {
  if (project.schemaPath)
    return project.schemaPath;
  throw new ReviseError(`no Prisma schema found in ${project.root}: looked at --schema, prisma.config.ts \`schema\`, package.json#prisma.schema, prisma/schema.prisma, prisma/schema/, schema.prisma`);
}
function findProjectRoot(cwd) {
  let dir = cwd;
  for (; ; ) {
    if (existsSync(path.join(dir, "package.json")) || findPrismaConfigFile(dir))
      return dir;
    const parent = path.dirname(dir);
    if (parent === dir)
      return cwd;
    dir = parent;
  }
}
function readPackageJson(root) {
  const file = path.join(root, "package.json");
  if (!existsSync(file))
    return void 0;
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new ReviseError(`cannot parse ${file}: ${error.message}`);
  }
}
function explicitSchema(resolved, asGiven) {
  if (!existsSync(resolved))
    throw new ReviseError(`Prisma schema not found: ${asGiven}`);
  return resolved;
}
async function discoverSchema(root, pkg, prismaConfigPath) {
  if (prismaConfigPath) {
    let fromConfig = readLiteralSchemaSetting(prismaConfigPath);
    if (fromConfig === null)
      fromConfig = (await loadPrismaConfigFile(prismaConfigPath, readDotenv(root))).schema;
    if (fromConfig) {
      if (!existsSync(fromConfig)) {
        throw new ReviseError(`the schema set in ${path.basename(prismaConfigPath)} does not exist: ${fromConfig}`);
      }
      return fromConfig;
    }
  }
  const fromPackage = pkg?.prisma?.schema;
  if (typeof fromPackage === "string") {
    const resolved = path.resolve(root, fromPackage);
    if (!existsSync(resolved))
      throw new ReviseError(`the schema set in package.json#prisma.schema does not exist: ${fromPackage}`);
    return resolved;
  }
  for (const candidate of ["prisma/schema.prisma", "prisma/schema", "schema.prisma"]) {
    const resolved = path.join(root, candidate);
    const info = statSync(resolved, { throwIfNoEntry: false });
    if (info && (info.isFile() || info.isDirectory()))
      return resolved;
  }
  return void 0;
}
function stringSetting(value, name) {
  if (value === void 0)
    return void 0;
  if (typeof value !== "string")
    throw new ReviseError(`package.json ${name} must be a string`);
  return value;
}
function secondsSetting(value, name) {
  if (value === void 0 || value === "")
    return void 0;
  const seconds = typeof value === "string" ? Number(value) : value;
  if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds < 0) {
    throw new ReviseError(`${name} must be a number of seconds, got ${JSON.stringify(value)}`);
  }
  return seconds;
}
function stringListSetting(value, name) {
  if (value === void 0)
    return void 0;
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    throw new ReviseError(`package.json ${name} must be a list of strings`);
  }
  return value;
}
export {
  findProjectRoot,
  loadProjectConfig,
  requireSchemaPath
};
