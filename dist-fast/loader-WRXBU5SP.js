import {
  ReviseError
} from "./chunk-AVVEHRSJ.js";

// dist/runtime/loader.js
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
var TRANSFORM_VERSION = "1";
async function loadRevisionModule(path, projectRoot, database) {
  let source;
  try {
    source = readFileSync(path, "utf8");
  } catch (error) {
    throw new ReviseError(`Cannot read revision file ${path}: ${error.message}`);
  }
  const isTs = /\.(c|m)?tsx?$/.test(path);
  const cacheDir = join(projectRoot, "node_modules", ".cache", "revise");
  const stem = basename(path).replace(/\.[^.]+$/, "");
  let outFile;
  if (RELATIVE_IMPORT.test(source)) {
    const code = await bundle(path);
    outFile = join(cacheDir, `${stem}-${hashOf(code)}.mjs`);
    if (!await exists(outFile))
      await writeAtomically(cacheDir, outFile, code);
  } else {
    outFile = join(cacheDir, `${stem}-${hashOf(path, source)}.mjs`);
    if (!await exists(outFile))
      await writeAtomically(cacheDir, outFile, isTs ? await transformTs(source, path) : source);
  }
  let mod;
  try {
    mod = await import(pathToFileURL(outFile).href);
  } catch (error) {
    throw new ReviseError(`Cannot load revision file ${path}: ${firstLine(error)}`);
  }
  const suffix = database === void 0 ? "" : `_${database}`;
  const fromObject = (name) => database === void 0 ? void 0 : mod[name]?.[database];
  const upgrade = mod[`upgrade${suffix}`] ?? fromObject("upgrades");
  const downgrade = mod[`downgrade${suffix}`] ?? fromObject("downgrades");
  for (const [name, fn] of [[`upgrade${suffix}`, upgrade], [`downgrade${suffix}`, downgrade]]) {
    if (typeof fn !== "function") {
      throw new ReviseError(`Revision file ${path} does not export an async function ${name}(op)`);
    }
  }
  const irreversible = mod.irreversible;
  return {
    upgrade,
    downgrade,
    ...typeof irreversible === "boolean" || typeof irreversible === "string" ? { irreversible } : {}
  };
}
var RELATIVE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]\.\.?\//;
function hashOf(...parts) {
  const hash = createHash("sha256").update(TRANSFORM_VERSION);
  for (const part of parts)
    hash.update("\0").update(part);
  return hash.digest("hex").slice(0, 24);
}
async function writeAtomically(dir, file, code) {
  await mkdir(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, code);
  await rename(tmp, file);
}
async function bundle(path) {
  const { build } = await import("esbuild");
  try {
    const result = await build({
      entryPoints: [path],
      bundle: true,
      packages: "external",
      platform: "node",
      format: "esm",
      target: "node20",
      write: false,
      sourcemap: "inline",
      logLevel: "silent"
    });
    return result.outputFiles[0].text;
  } catch (error) {
    throw new ReviseError(`Cannot compile revision file ${path}: ${firstLine(error)}`);
  }
}
async function transformTs(source, path) {
  const { transform } = await import("esbuild");
  try {
    const result = await transform(source, {
      loader: path.endsWith("x") ? "tsx" : "ts",
      format: "esm",
      target: "node20",
      sourcefile: path,
      // Errors thrown inside a revision point at the .ts file's lines.
      sourcemap: "inline"
    });
    return result.code;
  } catch (error) {
    throw new ReviseError(`Cannot compile revision file ${path}: ${firstLine(error)}`);
  }
}
async function exists(file) {
  return existsSync(file);
}
function firstLine(error) {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n").find((l) => l.trim() !== "")?.trim() ?? message;
}
export {
  loadRevisionModule
};
