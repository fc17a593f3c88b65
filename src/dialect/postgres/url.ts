import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { ReviseError, maskUrl } from '../../errors.js';

/**
 * A `postgresql://` URL as Prisma understands it, turned into pg client
 * options. The pg config is built from the fields below only, so Prisma's own
 * query parameters (`schema`, `connection_limit`, `pgbouncer`, ...) never
 * reach pg; libpq's `options` is passed on.
 */
export interface PostgresTarget {
  host: string;
  port: number;
  user?: string;
  password?: string;
  database: string;
  /** Prisma's `?schema=`; `public` when absent. */
  schema: string;
  /**
   * `false`: plain; an object: TLS required; `'prefer'`: try TLS, fall back
   * to plain when the server has none (libpq's and Prisma's default).
   */
  ssl: false | 'prefer' | ConnectionOptions;
  connectTimeoutMs: number;
  applicationName: string;
  /** Prisma's `?pgbouncer=true`: the URL points at a transaction-mode pooler. */
  pgbouncer: boolean;
  /** libpq `options` (e.g. `-c statement_timeout=5000`). */
  options?: string;
  /** `host:port` (or the socket directory) for messages. */
  address: string;
  /** The URL with its password hidden, for messages. */
  masked: string;
}

export function parsePostgresUrl(url: string): PostgresTarget {
  const masked = maskUrl(url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ReviseError(`invalid PostgreSQL URL: ${masked}`);
  }
  if (parsed.protocol !== 'postgresql:' && parsed.protocol !== 'postgres:') {
    throw new ReviseError(`not a PostgreSQL URL (expected postgresql://...): ${masked}`);
  }
  const params = parsed.searchParams;
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres';
  // `?host=/var/run/postgresql` selects a Unix socket directory (Prisma and libpq both accept it).
  const host = params.get('host') || decodeURIComponent(parsed.hostname) || 'localhost';
  const port = parsed.port ? Number(parsed.port) : Number(params.get('port') ?? 5432);
  const connectTimeoutSeconds = Number(params.get('connect_timeout') ?? 5);
  const sslmode = (params.get('sslmode') ?? 'prefer').toLowerCase();

  const target: PostgresTarget = {
    host: host.replace(/^\[|\]$/g, ''),
    port,
    user: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    database,
    schema: params.get('schema') || 'public',
    ssl: sslOptions(sslmode, params, masked),
    // connect_timeout=0 means "no limit" for Prisma and libpq.
    connectTimeoutMs: connectTimeoutSeconds > 0 ? connectTimeoutSeconds * 1000 : 0,
    applicationName: params.get('application_name') || 'revise',
    pgbouncer: params.get('pgbouncer') === 'true',
    options: params.get('options') ?? undefined,
    address: host.startsWith('/') ? host : `${host}:${port}`,
    masked,
  };
  return target;
}

function sslOptions(sslmode: string, params: URLSearchParams, masked: string): PostgresTarget['ssl'] {
  // Prisma: `sslcert` is the CA/server certificate; libpq: `sslrootcert`.
  const caPath = params.get('sslrootcert') ?? params.get('sslcert');
  const acceptInvalid = params.get('sslaccept') === 'accept_invalid_certs';
  const ca = caPath ? readCertificate(caPath, masked) : undefined;
  switch (sslmode) {
    case 'disable':
      return false;
    case 'allow':
    case 'prefer':
      return 'prefer';
    case 'require':
      // libpq: require checks nothing unless a root certificate is given.
      return ca && !acceptInvalid ? { ca, rejectUnauthorized: true, checkServerIdentity: () => undefined } : { rejectUnauthorized: false };
    case 'verify-ca':
      return { ca, rejectUnauthorized: !acceptInvalid, checkServerIdentity: () => undefined };
    case 'verify-full':
      return { ca, rejectUnauthorized: !acceptInvalid };
    default:
      throw new ReviseError(
        `unknown sslmode "${sslmode}" in ${masked} (use disable, prefer, require, verify-ca or verify-full)`,
      );
  }
}

function readCertificate(path: string, masked: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new ReviseError(`cannot read the TLS certificate "${path}" named in ${masked}`);
  }
}

/** pg client options for one connection; `ssl` already decided (prefer is resolved by the caller). */
export function clientConfig(target: PostgresTarget, ssl: false | ConnectionOptions): Record<string, unknown> {
  return {
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    database: target.database,
    ssl,
    connectionTimeoutMillis: target.connectTimeoutMs,
    application_name: target.applicationName,
    ...(target.options ? { options: target.options } : {}),
  };
}
