import { readFileSync } from 'node:fs';
import { ReviseError, maskUrl } from '../../errors.js';

/**
 * A `mysql://` URL as Prisma's MySQL connector reads it, turned into mysql2
 * options. Only the fields below reach mysql2, so Prisma's pool settings
 * (`connection_limit`, `pool_timeout`, `socket_timeout`, `statement_cache_size`,
 * ...) are ignored: revise uses one connection (plus one for the lock).
 */
export interface MysqlTarget {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
  /** `?socket=/path` (a Unix socket instead of host:port). */
  socketPath?: string;
  /**
   * undefined: plain; an object: TLS required, with these mysql2 `ssl`
   * options; `prefer`: TLS when the server offers it, else plain (Prisma's
   * default, `sslmode=prefer`), unverified unless `sslaccept=strict`.
   */
  ssl?: { ca?: string; rejectUnauthorized: boolean } | { prefer: true; rejectUnauthorized: boolean };
  connectTimeoutMs: number;
  /** `host:port` (or the socket) for messages. */
  address: string;
  /** The URL with its password hidden, for messages. */
  masked: string;
}

export function parseMysqlUrl(url: string): MysqlTarget {
  const masked = maskUrl(url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ReviseError(`invalid MySQL URL: ${masked}`);
  }
  if (parsed.protocol !== 'mysql:' && parsed.protocol !== 'mariadb:') {
    throw new ReviseError(`not a MySQL URL (expected mysql://...): ${masked}`);
  }
  const params = parsed.searchParams;
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (database === '') throw new ReviseError(`the MySQL URL names no database (mysql://user@host:3306/DATABASE): ${masked}`);
  const host = decodeURIComponent(parsed.hostname).replace(/^\[|\]$/g, '') || 'localhost';
  const port = parsed.port ? Number(parsed.port) : 3306;
  const socketPath = params.get('socket') ?? undefined;
  const connectTimeoutSeconds = Number(params.get('connect_timeout') ?? 5);
  return {
    host,
    port,
    // Prisma's MySQL connector logs in as root when the URL names no user.
    user: parsed.username ? decodeURIComponent(parsed.username) : 'root',
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    database,
    socketPath,
    ssl: sslOptions(params, masked),
    connectTimeoutMs: connectTimeoutSeconds > 0 ? connectTimeoutSeconds * 1000 : 0,
    address: socketPath ?? `${host}:${port}`,
    masked,
  };
}

/** Prisma: `sslmode=disable|prefer|require`, `sslaccept=strict|accept_invalid_certs`, `sslcert` (the CA certificate). */
function sslOptions(params: URLSearchParams, masked: string): MysqlTarget['ssl'] {
  const mode = (params.get('sslmode') ?? 'prefer').toLowerCase();
  const accept = params.get('sslaccept');
  const caPath = params.get('sslcert');
  const ca = caPath ? readCertificate(caPath, masked) : undefined;
  const verify = accept !== 'accept_invalid_certs' && (ca !== undefined || accept === 'strict');
  switch (mode) {
    case 'disable':
    case 'disabled':
      return undefined;
    case 'prefer':
    case 'preferred':
      return { prefer: true, rejectUnauthorized: verify };
    case 'require':
    case 'required':
      return { ...(ca ? { ca } : {}), rejectUnauthorized: verify };
    default:
      throw new ReviseError(`unknown sslmode "${mode}" in ${masked} (use disable, prefer or require)`);
  }
}

function readCertificate(path: string, masked: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new ReviseError(`cannot read the TLS certificate "${path}" named in ${masked}`);
  }
}
