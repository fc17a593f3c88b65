import {
  asMigrationLog,
  consoleOutput,
  infoLine
} from "./chunk-RXECNRUD.js";
import {
  ReviseError
} from "./chunk-AVVEHRSJ.js";

// dist/actions/context.js
function resolveIO(options) {
  return {
    cwd: options.cwd ?? process.cwd(),
    out: options.out ?? consoleOutput.out,
    log: options.log ?? consoleOutput.log
  };
}

// dist/actions/scripts.js
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
var DATABASE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
function readDatabases(cwd) {
  let dir = resolve(cwd);
  for (; ; ) {
    if (existsSync(join(dir, "package.json")))
      break;
    const parent = resolve(dir, "..");
    if (parent === dir)
      return void 0;
    dir = parent;
  }
  let pkg;
  try {
    pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  } catch {
    return void 0;
  }
  const databases = pkg.revise?.databases;
  if (databases === void 0)
    return void 0;
  if (typeof databases !== "object" || databases === null || Array.isArray(databases) || Object.keys(databases).length === 0) {
    throw new ReviseError('package.json revise.databases must be an object: { "<name>": { "url": "<ENV_VAR or URL>", "schema": "<path>" } }');
  }
  for (const [name, settings] of Object.entries(databases)) {
    if (!DATABASE_NAME.test(name)) {
      throw new ReviseError(`Database name '${name}' in package.json revise.databases must be an identifier (letters, digits, _)`);
    }
    if (typeof settings !== "object" || settings === null) {
      throw new ReviseError(`package.json revise.databases.${name} must be an object: { "url", "schema" }`);
    }
  }
  return databases;
}
function selectDatabases(databases, name) {
  const names = Object.keys(databases);
  if (name === void 0)
    return names;
  if (!databases[name])
    throw new ReviseError(`No database '${name}' in package.json revise.databases (${names.join(", ")})`);
  return [name];
}
async function openScripts(options) {
  const { cwd } = resolveIO(options);
  const databases = readDatabases(cwd);
  if (!databases && options.name !== void 0)
    throw new ReviseError(`--name ${options.name}: package.json has no revise.databases`);
  if (databases)
    selectDatabases(databases, options.name);
  const [{ loadProjectConfig }, { loadScriptDirectory }] = await Promise.all([
    import("./project-2WG5L35P.js"),
    import("./directory-Z7KZFUKL.js")
  ]);
  const schemaOption = options.schema !== void 0 && !databases ? { schema: options.schema } : {};
  const project = await loadProjectConfig({ cwd, ...schemaOption });
  return { project, scripts: await loadScriptDirectory(project.versionPaths, { cacheDir: join(project.root, "node_modules", ".cache", "revise") }) };
}
async function openEnvs(options) {
  const { cwd } = resolveIO(options);
  const databases = readDatabases(cwd);
  if (!databases) {
    if (options.name !== void 0)
      throw new ReviseError(`--name ${options.name}: package.json has no revise.databases`);
    const { openMigrationEnv } = await import("./runner-MOI3ANHJ.js");
    return [
      await openMigrationEnv({
        cwd,
        ...options.url !== void 0 ? { url: options.url } : {},
        ...options.schema !== void 0 ? { schema: options.schema } : {}
      })
    ];
  }
  const names = selectDatabases(databases, options.name);
  if (names.length > 1 && (options.url !== void 0 || options.schema !== void 0)) {
    throw new ReviseError("--url and --schema name one database: add --name <database>");
  }
  const [{ loadProjectConfig }, { loadScriptDirectory }, { absoluteSqliteUrl, providerOfUrl }, { readDotenv }, { loadDialect }] = await Promise.all([
    import("./project-2WG5L35P.js"),
    import("./directory-Z7KZFUKL.js"),
    import("./database-url-UCO7NP63.js"),
    import("./dotenv-OU4Y4BLL.js"),
    import("./dialects-R3GZJK4D.js")
  ]);
  const base = await loadProjectConfig({ cwd });
  const scripts = await loadScriptDirectory(base.versionPaths, { cacheDir: join(base.root, "node_modules", ".cache", "revise") });
  const dotenv = readDotenv(base.root);
  const envs = [];
  for (const name of names) {
    const settings = databases[name];
    const { schemaPath: _default, ...rest } = base;
    const project = { ...rest };
    const schemaPath = options.schema !== void 0 ? resolve(cwd, options.schema) : settings.schema ? resolve(base.root, settings.schema) : void 0;
    if (schemaPath !== void 0 && existsSync(schemaPath))
      project.schemaPath = schemaPath;
    const url = options.url ?? urlOf(name, settings, dotenv);
    envs.push({ project, url: absoluteSqliteUrl(url, base.root), dialect: await loadDialect(providerOfUrl(url)), scripts, database: name });
  }
  return envs;
}
function urlOf(name, settings, dotenv) {
  if (!settings.url)
    throw new ReviseError(`Database '${name}' has no "url" in package.json revise.databases`);
  if (!DATABASE_NAME.test(settings.url))
    return settings.url;
  const value = process.env[settings.url] || dotenv[settings.url];
  if (!value)
    throw new ReviseError(`${settings.url} is not set (the URL of database '${name}')`);
  return value;
}
async function openEnv(options) {
  const envs = await openEnvs(options);
  if (envs.length > 1) {
    throw new ReviseError(`This project has several databases (${envs.map((e) => e.database).join(", ")}); choose one with --name`);
  }
  return envs[0];
}
async function databaseHeads(env) {
  const { readCurrentHeads } = await import("./runner-MOI3ANHJ.js");
  return readCurrentHeads(env);
}

// dist/actions/migrate.js
function contextLines(dialect, log) {
  log(infoLine("runtime.migration", `Context impl ${dialect.contextImpl}.`));
  log(infoLine("runtime.migration", `Will assume ${dialect.transactionalDdl ? "transactional" : "non-transactional"} DDL.`));
}
async function eachDatabase(options, fn) {
  const { out, log } = resolveIO(options);
  const envs = await openEnvs(options);
  for (const env of envs) {
    if (env.database !== void 0) {
      log(infoLine("runtime.migration", `Migrating database ${env.database}`));
      if (options.sql && envs.length > 1)
        out(`-- Database ${env.database}`);
    }
    contextLines(env.dialect, log);
    await fn(env);
  }
}
async function upgrade(options = {}) {
  const { out, log } = resolveIO(options);
  const { runUpgrade } = await import("./runner-MOI3ANHJ.js");
  await eachDatabase(options, (env) => runUpgrade(env, options.target ?? "head", { out, log: asMigrationLog(log), sql: options.sql, tag: options.tag }));
}
async function downgrade(options) {
  const { out, log } = resolveIO(options);
  if (!options.target)
    throw new ReviseError("downgrade needs a target revision (e.g. -1 or base)");
  const { runDowngrade } = await import("./runner-MOI3ANHJ.js");
  await eachDatabase(options, (env) => runDowngrade(env, options.target, { out, log: asMigrationLog(log), sql: options.sql, tag: options.tag }));
}
async function stamp(options) {
  const { out, log } = resolveIO(options);
  if (options.revisions.length === 0)
    throw new ReviseError("stamp needs at least one revision (e.g. head or base)");
  const { runStamp } = await import("./runner-MOI3ANHJ.js");
  await eachDatabase(options, (env) => runStamp(env, options.revisions, { out, log: asMigrationLog(log), sql: options.sql, purge: options.purge, tag: options.tag }));
}
async function ensureVersion(options = {}) {
  const { out } = resolveIO(options);
  const { VersionTable, VersionTableSql } = await import("./version-table-CDASF5NM.js");
  await eachDatabase(options, async (env) => {
    if (options.sql) {
      out(`${new VersionTableSql(env.dialect).create().sql};`);
      return;
    }
    const connection = await env.dialect.connect(env.url);
    try {
      await new VersionTable(connection).ensure();
    } finally {
      await connection.close();
    }
  });
}

export {
  resolveIO,
  openScripts,
  openEnvs,
  openEnv,
  databaseHeads,
  contextLines,
  upgrade,
  downgrade,
  stamp,
  ensureVersion
};
