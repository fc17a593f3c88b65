// CLI start-up and autogenerate figures on the embedded SQLite default.
//   node bench/sqlite-cli.mjs            (after `npm run build`)
// Prints: cold `revise --help`, a no-op `revise upgrade head` next to the floor
// (start Node + open one SQLite connection), and autogenerate / check on a
// 200-model schema.
import { writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cli, run, timeRuns, tempProject, generateSchema, repoRoot } from './lib.mjs';

const runs = Number(process.env.BENCH_RUNS ?? 10);
const project = tempProject();
try {
  const { dir } = project;
  mkdirSync(join(dir, 'prisma'));
  writeFileSync(join(dir, 'prisma', 'schema.prisma'), generateSchema(200));
  const env = { DATABASE_URL: `file:${join(dir, 'bench.db')}` };
  run([cli, 'init'], { cwd: dir, env });

  console.log(`revise on SQLite (Node ${process.version})`);
  timeRuns('node -e "" (Node start-up alone)', runs, () => run(['-e', ''], { cwd: dir }).ms);
  timeRuns('floor: start Node + open one SQLite connection', runs, () =>
    run(['-e', `const D=require(${JSON.stringify(join(repoRoot, 'node_modules', 'better-sqlite3'))});new D(process.argv[1]).prepare('select 1').get()`, join(dir, 'floor.db')], { cwd: dir }).ms,
  );
  timeRuns('revise --help (cold process)', runs, () => run([cli, '--help'], { cwd: dir }).ms);

  const gen = run([cli, 'autogenerate', '-m', 'two hundred models'], { cwd: dir, env });
  console.log(`${'revise autogenerate, 200 models vs empty database'.padEnd(58)} ${gen.ms.toFixed(0).padStart(13)} ms   (n=1, ${readdirSync(join(dir, 'migrations', 'versions')).length} file)`);
  const up = run([cli, 'upgrade', 'head'], { cwd: dir, env });
  console.log(`${'revise upgrade head, 200 tables (one revision)'.padEnd(58)} ${up.ms.toFixed(0).padStart(13)} ms   (n=1)`);
  timeRuns('revise upgrade head (no-op, up to date)', runs, () => run([cli, 'upgrade', 'head'], { cwd: dir, env }).ms);
  timeRuns('revise check, 200 models vs up-to-date database', Math.min(runs, 5), () => run([cli, 'check'], { cwd: dir, env }).ms);
} finally {
  project.cleanup();
}
