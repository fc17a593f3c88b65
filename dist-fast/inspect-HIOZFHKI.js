import {
  contextLines,
  databaseHeads,
  openEnv,
  openEnvs,
  openScripts,
  resolveIO
} from "./chunk-HVZ2JSW5.js";
import "./chunk-RXECNRUD.js";
import {
  ReviseError,
  maskUrl
} from "./chunk-AVVEHRSJ.js";

// dist/actions/inspect.js
function info(map, rev, current2) {
  const out = {
    id: rev.id,
    downRevisions: rev.downRevisions,
    branchLabels: map.branchLabelsOf(rev.id),
    dependsOn: rev.dependsOn,
    message: rev.message,
    ...rev.createDate ? { createDate: rev.createDate } : {},
    path: rev.path,
    isHead: map.isHead(rev.id),
    isBranchPoint: map.isBranchPoint(rev.id),
    isMergePoint: map.isMergePoint(rev.id)
  };
  if (current2)
    out.isCurrent = current2.includes(rev.id);
  return out;
}
function print(out, text) {
  out(text.endsWith("\n") ? text.slice(0, -1) : text);
}
function printJson(out, value) {
  out(JSON.stringify(value, null, 2));
}
async function current(options = {}) {
  const { out, log } = resolveIO(options);
  const envs = await openEnvs(options);
  const { describeRevision } = await import("./format-2TWHESH5.js");
  const all = [];
  const json = [];
  for (const env of envs) {
    if (!options.json)
      contextLines(env.dialect, log);
    const heads2 = await databaseHeads(env);
    const revisions = env.scripts.allCurrent(heads2);
    const database = env.database;
    const infos = revisions.map((r) => ({ ...info(env.scripts, r, heads2), ...database !== void 0 ? { database } : {} }));
    all.push(...infos);
    json.push({ ...database !== void 0 ? { database } : {}, url: maskUrl(env.url), current: infos });
    if (options.json)
      continue;
    const prefix = database !== void 0 ? `${database}: ` : "";
    if (options.verbose)
      out(`Current revision(s) for ${prefix}${maskUrl(env.url)}:`);
    if (database !== void 0 && revisions.length === 0)
      out(`${prefix}<base>`);
    for (const rev of revisions) {
      const line = describeRevision(env.scripts, rev, {
        verbose: options.verbose,
        includeParents: false,
        includeDoc: false,
        includeBranches: false
      });
      print(out, `${prefix}${line}`);
    }
  }
  if (options.json) {
    printJson(out, envs[0].database === void 0 ? json[0] : { databases: json });
  }
  return all;
}
async function history(options = {}) {
  const { out, log } = resolveIO(options);
  const needsDatabase = Boolean(options.indicateCurrent) || /(^|:)current($|:)/.test(options.range ?? "");
  let scripts;
  let heads2;
  if (needsDatabase) {
    const env = await openEnv(options);
    if (!options.json)
      contextLines(env.dialect, log);
    scripts = env.scripts;
    heads2 = await databaseHeads(env);
  } else {
    scripts = (await openScripts(options)).scripts;
  }
  const revisions = scripts.history(options.range, heads2);
  const marked = options.indicateCurrent ? heads2 : void 0;
  const infos = revisions.map((r) => info(scripts, r, marked));
  if (options.json) {
    printJson(out, infos);
    return infos;
  }
  const { describeRevision } = await import("./format-2TWHESH5.js");
  for (const rev of revisions) {
    print(out, describeRevision(scripts, rev, { verbose: options.verbose, ...marked ? { current: marked } : {} }));
  }
  return infos;
}
async function heads(options = {}) {
  const { out } = resolveIO(options);
  const { scripts } = await openScripts(options);
  const revisions = options.resolveDependencies ? scripts.realHeadIds.map((id) => scripts.get(id)) : scripts.heads;
  const infos = revisions.map((r) => info(scripts, r));
  if (options.json) {
    printJson(out, infos);
    return infos;
  }
  const { describeRevision } = await import("./format-2TWHESH5.js");
  for (const rev of revisions) {
    print(out, describeRevision(scripts, rev, { verbose: options.verbose, includeParents: false, includeDoc: false, treeIndicators: false }));
  }
  return infos;
}
async function branches(options = {}) {
  const { out } = resolveIO(options);
  const { scripts } = await openScripts(options);
  const { describeRevision } = await import("./format-2TWHESH5.js");
  const points = scripts.history().filter((r) => scripts.isBranchPoint(r.id));
  for (const rev of points) {
    print(out, describeRevision(scripts, rev, { verbose: options.verbose, includeParents: false, includeDoc: false }));
    const pad = " ".repeat(rev.id.length);
    for (const child of scripts.children(rev.id)) {
      const line = describeRevision(scripts, scripts.get(child), {
        includeParents: false,
        includeDoc: Boolean(options.verbose)
      });
      out(`${pad} -> ${line}`);
    }
    out("");
  }
  return points.map((r) => info(scripts, r));
}
async function show(options) {
  const { out, log } = resolveIO(options);
  let scripts;
  let revisions;
  if (options.revision === "current") {
    const env = await openEnv(options);
    if (!options.json)
      contextLines(env.dialect, log);
    scripts = env.scripts;
    revisions = scripts.allCurrent(await databaseHeads(env));
  } else {
    scripts = (await openScripts(options)).scripts;
    revisions = scripts.resolveMany(options.revision);
  }
  if (revisions.length === 0 && options.revision !== "current") {
    throw new ReviseError(`No revision files indicated by symbol '${options.revision}'`);
  }
  const infos = revisions.map((r) => info(scripts, r));
  if (options.json) {
    printJson(out, options.revision === "heads" || revisions.length !== 1 ? infos : infos[0]);
    return infos;
  }
  const { describeRevision } = await import("./format-2TWHESH5.js");
  for (const rev of revisions)
    print(out, describeRevision(scripts, rev, { verbose: true }));
  return infos;
}
export {
  branches,
  current,
  heads,
  history,
  show
};
