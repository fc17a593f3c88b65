import {
  loadDialect
} from "./chunk-LB43IM6Z.js";
import {
  VERSION_TABLE,
  VersionTable,
  VersionTableSql
} from "./chunk-NGLJZLU3.js";
import {
  ReviseError
} from "./chunk-AVVEHRSJ.js";

// dist/runtime/runner.js
import { join } from "node:path";

// dist/runtime/prisma-migrate.js
var PRISMA_MIGRATIONS_TABLE = "_prisma_migrations";
async function readPrismaMigrateHistory(connection) {
  let rows;
  try {
    rows = await connection.query(`SELECT ${["migration_name", "finished_at", "rolled_back_at"].map((c) => connection.dialect.quoteIdentifier(c)).join(", ")} FROM ${connection.dialect.quoteIdentifier(PRISMA_MIGRATIONS_TABLE)} ORDER BY ${connection.dialect.quoteIdentifier("started_at")}`);
  } catch {
    return void 0;
  }
  const applied = rows.filter((r) => r.finished_at !== null && r.rolled_back_at === null);
  const history = {
    applied: applied.length,
    unfinished: rows.filter((r) => r.finished_at === null && r.rolled_back_at === null).map((r) => r.migration_name)
  };
  const last = applied.at(-1)?.migration_name;
  if (last !== void 0)
    history.last = last;
  return history;
}
function adoptionNotes(history, stampedTo) {
  const notes = [
    `This database was managed by Prisma Migrate: ${history.applied} migration(s) applied in ${PRISMA_MIGRATIONS_TABLE}` + (history.last ? ` (last: ${history.last})` : "") + ".",
    `revise now records its state in alembic_version (${stampedTo.length > 0 ? stampedTo.join(", ") : "base"}); ${PRISMA_MIGRATIONS_TABLE} is left as it is and revise never edits it.`,
    "From here on make schema changes with `revise autogenerate` and apply them with `revise upgrade head`; stop running `prisma migrate dev/deploy` on this database, or the two histories will diverge."
  ];
  if (history.unfinished.length > 0) {
    notes.push(`WARNING: Prisma Migrate has unfinished migration(s): ${history.unfinished.join(", ")}; check that the schema is what you expect (\`revise check\`) before upgrading.`);
  }
  return notes;
}
function unadoptedMessage(history) {
  return `This database is managed by Prisma Migrate (${history.applied} migration(s) in ${PRISMA_MIGRATIONS_TABLE}) and has no alembic_version table: adopt it first with \`revise stamp head\` (or \`revise stamp <rev>\` for the revision that matches it; \`revise check\` tells whether the schema matches), then upgrade`;
}

// dist/runtime/sql-params.js
function inlineParams(sql, params, dialect) {
  if (!params || params.length === 0)
    return sql;
  let out = "";
  let next = 0;
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    if (ch === "'" || ch === '"' || ch === "`") {
      const end = closingQuote(sql, i, ch);
      out += sql.slice(i, end);
      i = end;
    } else if (ch === "-" && sql[i + 1] === "-") {
      const end = sql.indexOf("\n", i);
      const stop = end === -1 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop;
    } else if (ch === "/" && sql[i + 1] === "*") {
      const end = sql.indexOf("*/", i + 2);
      const stop = end === -1 ? sql.length : end + 2;
      out += sql.slice(i, stop);
      i = stop;
    } else if (ch === "$" && /\d/.test(sql[i + 1] ?? "") && !/[\w$]/.test(sql[i - 1] ?? "")) {
      let j = i + 1;
      while (/\d/.test(sql[j] ?? ""))
        j++;
      out += literal(params, Number(sql.slice(i + 1, j)) - 1, dialect);
      i = j;
    } else if (ch === "?") {
      let j = i + 1;
      while (/\d/.test(sql[j] ?? ""))
        j++;
      const index = j > i + 1 ? Number(sql.slice(i + 1, j)) - 1 : next++;
      out += literal(params, index, dialect);
      i = j;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}
function renderOffline(statement, dialect) {
  const sql = inlineParams(statement.sql, statement.params, dialect).trim().replace(/;\s*$/, "");
  return `${sql};`;
}
function literal(params, index, dialect) {
  if (index < 0 || index >= params.length) {
    throw new Error(`SQL refers to parameter ${index + 1} but only ${params.length} were given`);
  }
  return dialect.renderLiteral(params[index]);
}
function closingQuote(sql, start, quote) {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return sql.length;
}

// dist/runtime/runner.js
var DEFAULT_LOCK_TIMEOUT_MS = 6e4;
var LOGGER = "INFO  [revise]";
async function openMigrationEnv(options) {
  const [{ loadProjectConfig }, { resolveDatabaseUrl }, { loadScriptDirectory }] = await Promise.all([
    import("./project-2WG5L35P.js"),
    import("./database-url-UCO7NP63.js"),
    import("./directory-Z7KZFUKL.js")
  ]);
  const project = await loadProjectConfig({ cwd: options.cwd, ...options.schema !== void 0 ? { schema: options.schema } : {} });
  const [{ database, dialect }, scripts] = await Promise.all([
    resolveDatabaseUrl(project, options.url !== void 0 ? { url: options.url } : {}).then(async (database2) => ({
      database: database2,
      dialect: await loadDialect(database2.provider)
    })),
    loadScriptDirectory(project.versionPaths, { cacheDir: headerCacheDir(project.root) })
  ]);
  return { project, url: database.url, dialect, scripts };
}
function headerCacheDir(root) {
  return join(root, "node_modules", ".cache", "revise");
}
async function runUpgrade(env, target, options) {
  const { start, end } = splitRange(target, options);
  if (options.sql) {
    const current = resolveStart(env, start ?? []);
    return runOffline(env, "upgrade", current, env.scripts.planUpgrade(current, end), options);
  }
  if (start)
    throw new ReviseError("Range revision not allowed");
  await withMigrationConnection(env, options, async (connection, versionTable) => {
    const current = await versionTable.read();
    const steps = env.scripts.planUpgrade(current, end);
    if (steps.length > 0 && current.length === 0 && !await versionTable.exists()) {
      const prismaHistory = await readPrismaMigrateHistory(connection);
      if (prismaHistory && prismaHistory.applied > 0)
        throw new ReviseError(unadoptedMessage(prismaHistory));
    }
    if (steps.length === 0) {
      if (!await versionTable.exists())
        await inTransaction(connection, () => versionTable.ensure());
      return;
    }
    await runOnline(env, connection, versionTable, steps, options);
  });
}
async function runDowngrade(env, target, options) {
  const { start, end } = splitRange(target, options);
  if (options.sql) {
    if (!start)
      throw new ReviseError("downgrade with --sql requires <fromrev>:<torev>");
    const current = resolveStart(env, start);
    return runOffline(env, "downgrade", current, env.scripts.planDowngrade(current, end), options);
  }
  if (start)
    throw new ReviseError("Range revision not allowed");
  await withMigrationConnection(env, options, async (connection, versionTable) => {
    const current = await versionTable.read();
    const steps = env.scripts.planDowngrade(current, end);
    if (steps.length === 0)
      return;
    await runOnline(env, connection, versionTable, steps, options);
  });
}
async function runStamp(env, targets, options) {
  if (options.sql) {
    const ranged = targets.length === 1 && targets[0].includes(":") ? splitRange(targets[0], options) : void 0;
    const current = resolveStart(env, ranged?.start ?? options.startingRevision ?? []);
    const ends = ranged ? [ranged.end] : targets;
    const plan = env.scripts.planStamp(options.purge ? [] : current, ends);
    const table = new VersionTableSql(env.dialect);
    const write = (statement) => {
      options.out(renderOffline(statement, env.dialect));
      options.out("");
    };
    options.log(`${LOGGER} Generating static SQL`);
    options.out("BEGIN;");
    options.out("");
    if (current.length === 0)
      write(table.create());
    if (options.purge && current.length > 0)
      write(table.deleteAll());
    const remaining = options.purge ? [] : current;
    options.log(`${LOGGER} Running stamp_revision ${plan.delete.join(", ")} -> ${plan.insert.join(", ")}`);
    for (const statement of table.statementsFor(plan.delete.filter((h) => remaining.includes(h)), plan.insert))
      write(statement);
    options.out("COMMIT;");
    options.out("");
    return;
  }
  await withMigrationConnection(env, options, async (connection, versionTable) => {
    const prismaHistory = await readPrismaMigrateHistory(connection);
    let stamped = [];
    await inTransaction(connection, async () => {
      await versionTable.ensure();
      if (options.purge)
        await versionTable.purge();
      const current = options.purge ? [] : await versionTable.read();
      const plan = env.scripts.planStamp(current, targets);
      if (plan.delete.length > 0 || plan.insert.length > 0) {
        options.log(`${LOGGER} Running stamp_revision ${plan.delete.join(", ")} -> ${plan.insert.join(", ")}`);
      }
      await versionTable.apply(plan.delete, plan.insert);
      stamped = await versionTable.read();
    });
    if (prismaHistory)
      for (const note of adoptionNotes(prismaHistory, stamped))
        options.log(`${LOGGER} ${note}`);
  });
}
async function readCurrentHeads(env) {
  const connection = await env.dialect.connect(env.url, env.schemas ? { schemas: env.schemas } : void 0);
  try {
    return await new VersionTable(connection).read();
  } finally {
    await connection.close();
  }
}
async function withMigrationConnection(env, options, fn) {
  const connection = await env.dialect.connect(env.url, env.schemas ? { schemas: env.schemas } : void 0);
  let release;
  try {
    await env.dialect.prepareForMigration(connection);
    release = await connection.acquireMigrationLock({ timeoutMs: options.lockTimeoutMs ?? env.project.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS });
    await fn(connection, new VersionTable(connection));
  } finally {
    if (connection.inTransaction)
      await connection.rollback().catch(() => void 0);
    if (release)
      await release().catch(() => void 0);
    await connection.close().catch(() => void 0);
  }
}
async function inTransaction(connection, fn) {
  await connection.begin();
  try {
    await fn();
    await connection.dialect.beforeCommit(connection);
    await connection.commit();
  } catch (error) {
    if (connection.inTransaction)
      await connection.rollback().catch(() => void 0);
    throw error;
  }
}
async function runOnline(env, connection, versionTable, steps, options) {
  const modules = await loadModules(env, steps);
  const { createOps } = await import("./executor-53PEV5OC.js");
  const perRevision = options.transactionPerRevision ?? env.project.transactionPerRevision ?? true;
  const savepoints = perRevision && env.dialect.revisionBoundary === "savepoint";
  const excludeTables = [VERSION_TABLE, ...env.project.excludeTables ?? []];
  let tableReady = false;
  if (!perRevision)
    await connection.begin();
  for (const step of steps) {
    options.log(`${LOGGER} Running ${describeStep(step, true)}`);
    try {
      if (savepoints) {
        if (!connection.inTransaction)
          await connection.begin();
        await connection.execute(`SAVEPOINT ${SAVEPOINT}`);
      } else if (perRevision)
        await connection.begin();
      if (!tableReady) {
        await versionTable.ensure();
        tableReady = true;
      }
      const ops = createOps({ dialect: env.dialect, connection, excludeTables, tag: options.tag });
      const module = modules.get(step.revision.id);
      await (step.direction === "up" ? module.upgrade(ops) : module.downgrade(ops));
      if (!connection.inTransaction)
        await connection.begin();
      await versionTable.apply(step.deleteHeads, step.insertHeads);
      if (perRevision) {
        await env.dialect.beforeCommit(connection);
        if (savepoints)
          await connection.execute(`RELEASE SAVEPOINT ${SAVEPOINT}`).catch(() => void 0);
        else
          await connection.commit();
      }
    } catch (error) {
      if (savepoints)
        await keepEarlierRevisions(connection);
      if (connection.inTransaction)
        await connection.rollback().catch(() => void 0);
      if (perRevision)
        tableReady = false;
      throw new ReviseError(`Revision ${step.revision.id}${describeMessage(step.revision)} failed: ${firstLine(error)}; rolled back`);
    }
  }
  if (!perRevision || savepoints) {
    try {
      if (!savepoints)
        await env.dialect.beforeCommit(connection);
      if (connection.inTransaction)
        await connection.commit();
    } catch (error) {
      if (connection.inTransaction)
        await connection.rollback().catch(() => void 0);
      throw new ReviseError(`Migration failed: ${firstLine(error)}; rolled back`);
    }
  }
}
var SAVEPOINT = "revise_revision";
async function keepEarlierRevisions(connection) {
  if (!connection.inTransaction)
    return;
  try {
    await connection.execute(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
    await connection.execute(`RELEASE SAVEPOINT ${SAVEPOINT}`);
    await connection.commit();
  } catch {
  }
}
async function runOffline(env, direction, current, steps, options) {
  const modules = await loadModules(env, steps);
  const { createOps } = await import("./executor-53PEV5OC.js");
  const { dialect } = env;
  const table = new VersionTableSql(dialect);
  const write = (statement) => {
    options.out(renderOffline(statement, dialect));
    options.out("");
  };
  const shapes = /* @__PURE__ */ new Map();
  options.log(`${LOGGER} Generating static SQL`);
  for (const line of dialect.offlinePreamble())
    write({ sql: line });
  write({ sql: "BEGIN" });
  if (current.length === 0 && direction === "upgrade")
    write(table.create());
  let heads = [...current];
  for (const step of steps) {
    options.log(`${LOGGER} Running ${describeStep(step, true)}`);
    options.out(`-- Running ${describeStep(step, false)}`);
    options.out("");
    const ops = createOps({ dialect, sink: { write }, shapes, tag: options.tag });
    const module = modules.get(step.revision.id);
    try {
      await (step.direction === "up" ? module.upgrade(ops) : module.downgrade(ops));
    } catch (error) {
      throw new ReviseError(`Revision ${step.revision.id}${describeMessage(step.revision)} failed: ${firstLine(error)}`);
    }
    for (const statement of table.statementsFor(step.deleteHeads, step.insertHeads))
      write(statement);
    heads = heads.filter((h) => !step.deleteHeads.includes(h)).concat(step.insertHeads.filter((h) => !heads.includes(h)));
  }
  if (direction === "downgrade" && heads.length === 0)
    write(table.drop());
  write({ sql: "COMMIT" });
}
async function loadModules(env, steps) {
  const { loadRevisionModule } = await import("./loader-WRXBU5SP.js");
  const modules = /* @__PURE__ */ new Map();
  const ids = [...new Set(steps.map((step) => step.revision.id))];
  const loaded = await Promise.allSettled(ids.map((id) => loadRevisionModule(env.scripts.get(id).path, env.project.root, env.database)));
  for (const [i, result] of loaded.entries()) {
    if (result.status === "rejected")
      throw result.reason;
    modules.set(ids[i], result.value);
  }
  for (const step of steps) {
    const irreversible = modules.get(step.revision.id).irreversible;
    if (step.direction === "down" && irreversible) {
      const reason = typeof irreversible === "string" && irreversible.trim() !== "" ? `: ${irreversible.trim()}` : "";
      throw new ReviseError(`Revision ${step.revision.id}${describeMessage(step.revision)} is irreversible${reason}; nothing was downgraded`);
    }
  }
  return modules;
}
function splitRange(target, options) {
  const colon = target.indexOf(":");
  if (colon < 0)
    return options.startingRevision ? { start: options.startingRevision, end: target } : { end: target };
  const from = target.slice(0, colon).trim();
  const end = target.slice(colon + 1).trim();
  if (end === "")
    throw new ReviseError(`Invalid revision range "${target}": expected <fromrev>:<torev>`);
  return { start: from === "" ? [] : from.split(",").map((r) => r.trim()), end };
}
function resolveStart(env, names) {
  return [...new Set(names.flatMap((name) => resolveHeads(env, name)))];
}
function resolveHeads(env, target) {
  return env.scripts.resolveMany(target).map((r) => r.id);
}
function describeStep(step, withMessage) {
  const parents = step.revision.downRevisions.join(", ");
  const id = step.revision.id;
  const text = step.direction === "up" ? `upgrade ${parents} -> ${id}` : `downgrade ${id} -> ${parents}`;
  return withMessage && step.revision.message ? `${text}, ${step.revision.message}` : text;
}
function describeMessage(revision) {
  return revision.message ? ` (${revision.message})` : "";
}
function firstLine(error) {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n").find((l) => l.trim() !== "")?.trim() ?? message;
}
export {
  headerCacheDir,
  openMigrationEnv,
  readCurrentHeads,
  runDowngrade,
  runStamp,
  runUpgrade
};
