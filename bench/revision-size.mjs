// Line counts of generated revision files (issue #13): an index-only revision and
// the initial revision of a 12-model schema, on SQLite. Prints one line each.
// Usage: node bench/revision-size.mjs   (after `npm run build`)
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cli, generateSchema, run, tempProject } from './lib.mjs';

const MODELS = 12;
const { dir, cleanup } = tempProject('revise-size-');
try {
  mkdirSync(join(dir, 'prisma'));
  const schemaPath = join(dir, 'prisma', 'schema.prisma');
  const env = { DATABASE_URL: `file:${join(dir, 'app.db')}` };
  const revise = (...args) => run([cli, ...args], { cwd: dir, env });
  const versions = join(dir, 'migrations', 'versions');
  const newest = (before) => readdirSync(versions).filter((f) => f.endsWith('.ts') && !before.includes(f));
  const lines = (file) => readFileSync(join(versions, file), 'utf8').split('\n').length;

  revise('init');
  const schema = generateSchema(MODELS);
  writeFileSync(schemaPath, schema);
  revise('revision', '--autogenerate', '-m', 'initial');
  const [initial] = newest([]);
  revise('upgrade', 'head');

  // One new @@index on Model5: nothing else changes.
  writeFileSync(schemaPath, schema.replace(/(model Model5 \{[\s\S]*?)@@index\(\[name\]\)/, '$1@@index([name])\n  @@index([email, score])'));
  const before = readdirSync(versions);
  revise('revision', '--autogenerate', '-m', 'index only');
  const [indexOnly] = newest(before);

  console.log(`initial revision, ${MODELS}-model schema (sqlite)`.padEnd(58) + `${String(lines(initial)).padStart(5)} lines`);
  console.log('index-only revision (sqlite)'.padEnd(58) + `${String(lines(indexOnly)).padStart(5)} lines`);
  if (process.argv.includes('--print')) {
    console.log(readFileSync(join(versions, indexOnly), "utf8"));
    if (process.argv.includes("--initial")) console.log(readFileSync(join(versions, initial), "utf8"));
  }
} finally {
  cleanup();
}
