import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { ReviseError } from '../errors.js';

/** The variables of `<root>/.env` (empty when there is none). Never applied to process.env here. */
export function readDotenv(root: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path.join(root, '.env'), 'utf8');
  } catch {
    return {};
  }
  try {
    return parseEnv(text) as Record<string, string>;
  } catch (error) {
    throw new ReviseError(`cannot parse ${path.join(root, '.env')}: ${(error as Error).message}`);
  }
}
