import {
  ReviseError
} from "./chunk-AVVEHRSJ.js";

// dist/config/dotenv.js
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";
function readDotenv(root) {
  let text;
  try {
    text = readFileSync(path.join(root, ".env"), "utf8");
  } catch {
    return {};
  }
  try {
    return parseEnv(text);
  } catch (error) {
    throw new ReviseError(`cannot parse ${path.join(root, ".env")}: ${error.message}`);
  }
}

export {
  readDotenv
};
