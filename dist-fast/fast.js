import {
  consoleOutput
} from "./chunk-RXECNRUD.js";
import {
  ReviseError
} from "./chunk-AVVEHRSJ.js";

// dist/cli/errors.js
function isParseError(error) {
  return error instanceof Error && "parse" in error && error.parse !== void 0;
}
function oneLine(message) {
  return message.split(/\r?\n/).map((line) => line.trim()).filter((line) => line.length > 0).join(" ");
}
function reportFailure(error, debug = process.env.REVISE_DEBUG === "1") {
  if (error instanceof ReviseError) {
    const lines2 = [`Error: ${oneLine(error.message)}`];
    if (debug && error.stack)
      lines2.push(error.stack);
    return { lines: lines2, exitCode: error.exitCode };
  }
  if (isParseError(error)) {
    const missing = error.args;
    if (/^Missing \d+ required arg/.test(error.message) && Array.isArray(missing) && missing.length > 0) {
      const names = missing.map((a) => (a.name ?? "").toUpperCase()).join(", ");
      return { lines: [`Error: Missing required argument${missing.length === 1 ? "" : "s"}: ${names} (see --help)`], exitCode: 2 };
    }
    const first = error.message.split(/\r?\n/)[0] ?? error.message;
    return { lines: [`Error: ${first}`], exitCode: 2 };
  }
  const message = error instanceof Error ? error.message : String(error);
  const lines = [`Error: ${oneLine(message) || "unknown error"}`];
  if (debug && error instanceof Error && error.stack)
    lines.push(error.stack);
  return { lines, exitCode: 1 };
}

// dist/cli/fast.js
var GLOBAL = { url: "string", schema: "string", name: "string", cwd: "string" };
var GLOBAL_SHORT = { n: "name" };
function common(flags) {
  return {
    cwd: flags.cwd ?? process.cwd(),
    url: flags.url,
    schema: flags.schema,
    name: flags.name,
    out: consoleOutput.out,
    log: consoleOutput.log
  };
}
var str = (value) => value;
var bool = (value) => value === true;
var COMMANDS = {
  upgrade: {
    flags: { sql: "boolean", tag: "string" },
    positionals: [0, 1],
    run: async (f, p) => (await import("./migrate-7UWJQ4DF.js")).upgrade({ ...common(f), target: p[0] ?? "head", sql: bool(f.sql), tag: str(f.tag) })
  },
  downgrade: {
    flags: { sql: "boolean", tag: "string" },
    positionals: [1, 1],
    run: async (f, p) => (await import("./migrate-7UWJQ4DF.js")).downgrade({ ...common(f), target: p[0], sql: bool(f.sql), tag: str(f.tag) })
  },
  stamp: {
    flags: { sql: "boolean", purge: "boolean", tag: "string" },
    positionals: [1, Infinity],
    run: async (f, p) => (await import("./migrate-7UWJQ4DF.js")).stamp({ ...common(f), revisions: p, sql: bool(f.sql), purge: bool(f.purge), tag: str(f.tag) })
  },
  current: {
    flags: { verbose: "boolean", json: "boolean" },
    short: { v: "verbose" },
    positionals: [0, 0],
    run: async (f) => (await import("./inspect-HIOZFHKI.js")).current({ ...common(f), verbose: bool(f.verbose), json: bool(f.json) })
  },
  heads: {
    flags: { verbose: "boolean", "resolve-dependencies": "boolean", json: "boolean" },
    short: { v: "verbose" },
    positionals: [0, 0],
    run: async (f) => (await import("./inspect-HIOZFHKI.js")).heads({
      ...common(f),
      verbose: bool(f.verbose),
      resolveDependencies: bool(f["resolve-dependencies"]),
      json: bool(f.json)
    })
  },
  history: {
    flags: { "rev-range": "string", verbose: "boolean", "indicate-current": "boolean", json: "boolean" },
    short: { r: "rev-range", v: "verbose", i: "indicate-current" },
    positionals: [0, 0],
    run: async (f) => (await import("./inspect-HIOZFHKI.js")).history({
      ...common(f),
      range: str(f["rev-range"]),
      verbose: bool(f.verbose),
      indicateCurrent: bool(f["indicate-current"]),
      json: bool(f.json)
    })
  }
};
function parseFast(argv) {
  const [command, ...rest] = argv;
  const spec = command === void 0 ? void 0 : COMMANDS[command];
  if (!spec)
    return void 0;
  const kinds = { ...GLOBAL, ...spec.flags };
  const short = { ...GLOBAL_SHORT, ...spec.short };
  const flags = {};
  const positionals = [];
  for (let i = 0; i < rest.length; i++) {
    const token = rest[i];
    if (token === "--") {
      positionals.push(...rest.slice(i + 1));
      break;
    }
    if (!token.startsWith("-") || /^-\d+(:.*)?$/.test(token)) {
      positionals.push(token);
      continue;
    }
    let name;
    let inline;
    if (token.startsWith("--")) {
      const eq = token.indexOf("=");
      name = eq < 0 ? token.slice(2) : token.slice(2, eq);
      inline = eq < 0 ? void 0 : token.slice(eq + 1);
    } else if (token.length === 2) {
      name = short[token[1]];
    }
    const kind = name === void 0 ? void 0 : kinds[name];
    if (name === void 0 || kind === void 0 || flags[name] !== void 0)
      return void 0;
    if (kind === "boolean") {
      if (inline !== void 0)
        return void 0;
      flags[name] = true;
      continue;
    }
    const value = inline ?? rest[++i];
    if (value === void 0)
      return void 0;
    flags[name] = value;
  }
  const [min, max] = spec.positionals;
  if (positionals.length < min || positionals.length > max)
    return void 0;
  return { spec, flags, positionals };
}
async function runFast(argv) {
  const parsed = parseFast(argv);
  if (!parsed)
    return false;
  try {
    await parsed.spec.run(parsed.flags, parsed.positionals);
  } catch (error) {
    const report = reportFailure(error);
    for (const line of report.lines)
      consoleOutput.log(line);
    process.exitCode = report.exitCode;
  }
  return true;
}
export {
  COMMANDS,
  GLOBAL,
  GLOBAL_SHORT,
  parseFast,
  runFast
};
