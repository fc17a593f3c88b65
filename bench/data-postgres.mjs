// Back-fill figures on PostgreSQL (after `npm run build`; server from
// REVISE_TEST_PG_URL or postgresql://postgres@127.0.0.1:5432/postgres):
//   node bench/data-postgres.mjs            (BENCH_ROWS=..., BENCH_RUNS=...)
// `op.batched` (5,000-row keyset chunks through the typed Kysely handle)
// against one `UPDATE`, each in a fresh process on a fresh copy of the table
// (CREATE DATABASE ... TEMPLATE), with peak RSS / heap.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { repoRoot } from './lib.mjs';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const ADMIN = process.env.REVISE_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const dist = (p) => pathToFileURL(join(repoRoot, 'dist', p)).href;
const urlFor = (db) => {
  const u = new URL(ADMIN);
  u.pathname = `/${db}`;
  return u.toString();
};

async function job(kind, url) {
  const { postgresDialect } = await import(dist('dialect/postgres/index.js'));
  const { createOps } = await import(dist('runtime/executor.js'));
  let heapPeak = process.memoryUsage().heapUsed;
  const sample = () => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed));
  const connection = await postgresDialect.connect(url);
  const started = process.hrtime.bigint();
  await connection.begin();
  const op = createOps({ dialect: postgresDialect, connection, progress: { isTTY: false, write() {} } });
  if (kind === 'single-update') {
    await op.execute(`UPDATE "t" SET "code" = 'item-' || "id"`);
  } else {
    const db = op.data();
    const result = await op.batched({ table: 't', key: 'id', size: 5000 }, async (chunk) => {
      await db
        .updateTable('t')
        .set((eb) => ({ code: eb(eb.val('item-'), '||', eb.cast(eb.ref('id'), 'text')) }))
        .where(chunk.where)
        .execute();
      sample();
    });
    if (result.rows !== ROWS) throw new Error(`batched walked ${result.rows} rows`);
  }
  await connection.commit();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const check = await connection.query(`SELECT count(*) AS n FROM "t" WHERE "code" = 'item-' || "id"`);
  if (Number(check[0].n) !== ROWS) throw new Error(`${kind}: ${check[0].n} rows back-filled`);
  await connection.close();
  return { ms, heapPeak };
}

if (process.argv[2] === '--job') {
  const result = await job(process.argv[3], process.argv[4]);
  console.log(JSON.stringify({ ...result, maxRss: process.resourceUsage().maxRSS * 1024 }));
  process.exit(0);
}

const pg = (await import('pg')).default;
const admin = new pg.Client({ connectionString: ADMIN });
try {
  await admin.connect();
} catch (error) {
  console.error(`PostgreSQL bench skipped: no server at ${ADMIN.replace(/\/\/[^@]*@/, '//')} (${error.message})`);
  process.exit(0);
}
const template = `revise_bench_tpl_${process.pid}`;
const created = [template];
try {
  await admin.query(`CREATE DATABASE "${template}"`);
  const seed = new pg.Client({ connectionString: urlFor(template) });
  await seed.connect();
  await seed.query(`CREATE TABLE "t" ("id" SERIAL PRIMARY KEY, "name" TEXT NOT NULL, "code" TEXT)`);
  await seed.query(`INSERT INTO "t" ("name") SELECT 'user ' || i FROM generate_series(1, ${ROWS}) AS i`);
  await seed.query('VACUUM ANALYZE "t"');
  await seed.end();

  const self = fileURLToPath(import.meta.url);
  const results = { 'single-update': [], batched: [] };
  for (let r = 0; r < RUNS; r++) {
    for (const kind of Object.keys(results)) {
      const name = `revise_bench_${process.pid}_${kind.replace('-', '_')}_${r}`;
      await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
      created.push(name);
      const run = spawnSync(process.execPath, [self, '--job', kind, urlFor(name)], { encoding: 'utf8' });
      await admin.query(`DROP DATABASE "${name}"`);
      created.pop();
      if (run.status !== 0) throw new Error(`${kind} failed: ${run.stderr}`);
      results[kind].push(JSON.parse(run.stdout.trim().split('\n').at(-1)));
    }
  }
  const median = (list) => list.sort((a, b) => a.ms - b.ms)[Math.floor(list.length / 2)];
  const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
  const single = median(results['single-update']);
  const batched = median(results.batched);
  console.log(`PostgreSQL back-fill, ${ROWS.toLocaleString('en-US')} rows (Node ${process.version}, median of ${RUNS} interleaved runs)`);
  for (const [label, r] of [
    ['one UPDATE t SET code = ... (op.execute)', single],
    ['op.batched, 5,000-row keyset chunks, typed Kysely UPDATE', batched],
  ]) {
    console.log(`${label.padEnd(60)} ${r.ms.toFixed(0).padStart(6)} ms   peak RSS ${mb(r.maxRss).padStart(7)}   peak heap ${mb(r.heapPeak).padStart(6)}`);
  }
  console.log(`   batched = ${(batched.ms / single.ms).toFixed(2)}x one UPDATE (target <= 2x)`);
} finally {
  for (const name of created.reverse()) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
  await admin.end();
}
