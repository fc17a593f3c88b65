// Every bench script in turn (`npm run bench`, after `npm run build`).
// PostgreSQL benches run when a server answers (REVISE_TEST_PG_URL or
// postgresql://postgres@127.0.0.1:5432/postgres); the Alembic comparison when
// ALEMBIC_PYTHON (default /usr/bin/python3) has alembic. Skips are announced.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { repoRoot } from './lib.mjs';

const require = createRequire(join(repoRoot, 'package.json'));

async function postgresAnswers() {
  const pg = require('pg');
  const client = new pg.Client({ connectionString: process.env.REVISE_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres', connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

async function mysqlAnswers() {
  const mysql = require('mysql2/promise');
  try {
    const client = await mysql.createConnection({ uri: process.env.REVISE_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test', connectTimeout: 2000 });
    await client.end();
    return true;
  } catch {
    return false;
  }
}

const python = process.env.ALEMBIC_PYTHON ?? '/usr/bin/python3';
const hasAlembic = spawnSync(python, ['-c', 'import alembic'], { stdio: 'ignore' }).status === 0;
const hasPostgres = await postgresAnswers();
const hasMysql = await mysqlAnswers();

const benches = [
  ['sqlite-cli.mjs', true, ''],
  ['postgres-cli.mjs', hasPostgres, 'no PostgreSQL server answers'],
  ['mysql-cli.mjs', hasMysql, 'no MySQL / MariaDB server answers'],
  ['graph-vs-alembic.mjs', hasAlembic, `${python} has no alembic (apt-get install python3-alembic, or set ALEMBIC_PYTHON)`],
  ['data-sqlite.mjs', true, ''],
  ['data-postgres.mjs', hasPostgres, 'no PostgreSQL server answers'],
  ['import-prisma.mjs', true, ''],
  // Skips PostgreSQL and Alembic by itself when they are not there.
  ['apply-chain.mjs', true, ''],
  ['rebuild-populated.mjs', true, ''],
  ['revision-size.mjs', true, ''],
];
let failed = 0;
for (const [script, available, why] of benches) {
  console.log(`\n### bench/${script}`);
  if (!available) {
    console.log(`SKIPPED: ${why}`);
    continue;
  }
  const res = spawnSync(process.execPath, [join(repoRoot, 'bench', script)], { stdio: 'inherit' });
  if (res.status !== 0) failed++;
}
process.exitCode = failed > 0 ? 1 : 0;
