// Shared helpers for bench/ scripts: run a command N times, report the median and spread.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
export const cli = join(repoRoot, 'bin', 'run.js');

export function run(args, { cwd, env = {}, allowFail = false } = {}) {
  const started = process.hrtime.bigint();
  const res = spawnSync(process.execPath, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (res.status !== 0 && !allowFail) {
    throw new Error(`${args.join(' ')} exited ${res.status}: ${res.stderr}`);
  }
  return { ms, ...res };
}

export function timeRuns(label, runs, fn) {
  const times = [];
  for (let i = 0; i < runs; i++) times.push(fn());
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const line = `${label.padEnd(58)} median ${median.toFixed(0).padStart(6)} ms   min ${times[0].toFixed(0).padStart(6)} ms   max ${times[times.length - 1].toFixed(0).padStart(6)} ms   (n=${runs})`;
  console.log(line);
  return median;
}

export function tempProject(prefix = 'revise-bench-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'bench-project', private: true, type: 'module' }));
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A schema of `count` models, each related to the previous one, with a unique and an index. */
export function generateSchema(count, provider = 'sqlite') {
  const lines = [`datasource db {\n  provider = "${provider}"\n}\n`];
  for (let i = 0; i < count; i++) {
    const rel = i > 0 ? `\n  parentId Int?\n  parent   Model${i - 1}? @relation(fields: [parentId], references: [id])` : '';
    const back = i < count - 1 ? `\n  children Model${i + 1}[]` : '';
    lines.push(`model Model${i} {
  id        Int      @id @default(autoincrement())
  name      String
  email     String   @unique
  score     Float    @default(0)
  active    Boolean  @default(true)
  createdAt DateTime @default(now())${rel}${back}

  @@index([name])
}
`);
  }
  return lines.join('\n');
}
