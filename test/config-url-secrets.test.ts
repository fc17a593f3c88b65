import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { reportFailure } from '../src/cli/errors.js';
import { ReviseError, maskSecrets, maskUrl } from '../src/errors.js';
import { describeRun, ensureBuilt, problemLines, runCli, type CliResult } from './support/e2e.ts';
import { adminUrl, pgAvailable } from './support/postgres.ts';

/**
 * A URL's secrets (the user-info password and secret query parameters) are
 * never printed: not by `current`, not in connection errors, not in any
 * one-line failure the CLI reports.
 */

const SECRETS = ['hunter2', 's3cr3t-pw', 'ssl-pass-1', 'tok-abc-123', 'key-xyz-789', 'acc-tok-456'];
const QUERY = 'password=s3cr3t-pw&sslpassword=ssl-pass-1&authToken=tok-abc-123&api_key=key-xyz-789&access_token=acc-tok-456';

function expectNoSecret(text: string): void {
  for (const secret of SECRETS) expect(text, text).not.toContain(secret);
}

describe('maskUrl', () => {
  test('user-info password and secret query parameters are hidden, everything else kept', () => {
    expect(maskUrl(`postgresql://app:hunter2@db:5432/main?schema=app&${QUERY}&sslcert=/etc/ca.pem&connect_timeout=5`)).toBe(
      'postgresql://app:****@db:5432/main?schema=app&password=****&sslpassword=****&authToken=****&api_key=****&access_token=****&sslcert=/etc/ca.pem&connect_timeout=5',
    );
    expect(maskUrl('postgresql://app:p@ss@db/main')).toBe('postgresql://app:****@db/main');
    expect(maskUrl('file:./dev.db?connection_limit=1')).toBe('file:./dev.db?connection_limit=1');
    expect(maskUrl('sqlserver://h:1433;database=x;user=sa;password=hunter2;')).toBe('sqlserver://h:1433;database=x;user=sa;password=****;');
    expect(maskUrl('libsql://db.turso.io?authToken=tok-abc-123')).toBe('libsql://db.turso.io?authToken=****');
    expect(maskUrl('postgresql://u@h/db?sslkey=/k.pem&Token=tok-abc-123&PASSWORD=hunter2')).toBe('postgresql://u@h/db?sslkey=****&Token=****&PASSWORD=****');
  });

  test('maskSecrets: URLs and key=value connection strings inside free text', () => {
    expect(maskSecrets('connect failed: host=db user=app password=hunter2 dbname=main (see postgresql://a:s3cr3t-pw@h/d?token=tok-abc-123)')).toBe(
      'connect failed: host=db user=app password=**** dbname=main (see postgresql://a:****@h/d?token=****)',
    );
    expect(maskSecrets("password='hunter2' apikey=\"key-xyz-789\"")).toBe('password=**** apikey=****');
    expect(maskSecrets('table "password" does not exist')).toBe('table "password" does not exist');
  });

  test("the CLI's failure report masks whatever reaches it, ReviseError or a driver's own error", () => {
    const revise = reportFailure(new ReviseError(`cannot open postgresql://u:hunter2@h/db?${QUERY}`), false);
    const foreign = reportFailure(new Error(`getaddrinfo failed for postgresql://u:hunter2@h/db?${QUERY}\nsecond line`), true);
    for (const line of [...revise.lines, ...foreign.lines]) expectNoSecret(line);
    expect(revise.lines[0]).toBe('Error: cannot open postgresql://u:****@h/db?password=****&sslpassword=****&authToken=****&api_key=****&access_token=****');
  });
});

describe('through the CLI', async () => {
  const postgres = await pgAvailable();
  let dir: string;
  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'revise-secrets-'));
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    const init = runCli(['init'], { cwd: dir });
    expect(init.status, describeRun(init)).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const all = (run: CliResult) => `${run.stdout}\n${run.stderr}`;

  test('SQLite: current -v and current --json show the URL with its query secrets hidden', () => {
    const url = `file:./app.db?${QUERY}`;
    writeFileSync(join(dir, '.env'), `DATABASE_URL="${url}"\n`);
    const verbose = runCli(['current', '-v'], { cwd: dir });
    expect(verbose.status, describeRun(verbose)).toBe(0);
    expectNoSecret(all(verbose));
    expect(verbose.stdout).toContain(`app.db?password=****&sslpassword=****&authToken=****&api_key=****&access_token=****:`);
    expect(verbose.stderr).toContain('from DATABASE_URL (.env)');
    const json = runCli(['current', '--json'], { cwd: dir });
    expectNoSecret(all(json));
    expect(JSON.parse(json.stdout).url).toMatch(/app\.db\?password=\*\*\*\*&/);
  });

  test('SQLite: a URL revise cannot use is reported masked', () => {
    const run = runCli(['upgrade', 'head', '--url', `file:?${QUERY}`], { cwd: dir });
    expect(run.status).toBe(1);
    expectNoSecret(all(run));
    expect(problemLines(run.stderr)).toEqual([
      'Error: invalid SQLite URL "file:?password=****&sslpassword=****&authToken=****&api_key=****&access_token=****": no file path',
    ]);
  });

  test.skipIf(!postgres)('PostgreSQL: connection failures never show ?password= or the user-info password', () => {
    const refused = runCli(['current', '--url', `postgresql://postgres:hunter2@127.0.0.1:1/db?${QUERY}`], { cwd: dir });
    expect(refused.status).toBe(1);
    expectNoSecret(all(refused));
    expect(problemLines(refused.stderr)[0]).toMatch(/^Error: could not connect to PostgreSQL at 127\.0\.0\.1:1: connection refused .*\[postgresql:\/\/postgres:\*\*\*\*@127\.0\.0\.1:1\/db\?password=\*\*\*\*&/);

    // A real server, a database that does not exist; and the same with REVISE_DEBUG=1 (the stack is printed too).
    const missing = new URL(adminUrl);
    missing.pathname = '/revise_no_such_database';
    const url = `${missing.toString()}${missing.search ? '&' : '?'}${QUERY}`;
    for (const env of [{}, { REVISE_DEBUG: '1' }]) {
      const run = runCli(['upgrade', 'head'], { cwd: dir, env: { REVISE_DATABASE_URL: url, ...env } });
      expect(run.status, describeRun(run)).toBe(1);
      expectNoSecret(all(run));
      expect(run.stderr).toContain('database "revise_no_such_database" does not exist');
    }
  });
});
