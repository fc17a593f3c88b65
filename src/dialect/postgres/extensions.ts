/**
 * Which contrib extension provides a type, an operator class or a function
 * that a Prisma schema can name. A schema that uses one without listing the
 * extension still gets it created (ahead of what needs it), as a hand-edited
 * Prisma migration would have done with `CREATE EXTENSION`.
 */
import type { ExtensionUsage } from '../types.js';

const TYPES: Record<string, string> = { CITEXT: 'citext' };

const OPERATOR_CLASSES: Record<string, string> = {
  gin_trgm_ops: 'pg_trgm',
  gist_trgm_ops: 'pg_trgm',
  citext_ops: 'citext',
  gin_hstore_ops: 'hstore',
  gist_hstore_ops: 'hstore',
  gist_ltree_ops: 'ltree',
  gin__int_ops: 'intarray',
  gist__int_ops: 'intarray',
  gist__intbig_ops: 'intarray',
};

/** Functions a default may call (gen_random_uuid() is built in since PostgreSQL 13). */
const FUNCTIONS: Array<[RegExp, string]> = [
  [/\buuid_(generate_v1mc|generate_v[1345]|nil|ns_(dns|url|oid|x500))\s*\(/i, 'uuid-ossp'],
  [/\b(gen_random_bytes|gen_salt|crypt|digest|hmac|pgp_sym_encrypt|pgp_sym_decrypt)\s*\(/i, 'pgcrypto'],
];

export function extensionFor(usage: ExtensionUsage): string | undefined {
  switch (usage.kind) {
    case 'type':
      return TYPES[usage.sql.toUpperCase().replace(/\(.*$/, '')];
    case 'opclass':
      return OPERATOR_CLASSES[usage.sql.toLowerCase()];
    case 'default':
      return FUNCTIONS.find(([re]) => re.test(usage.sql))?.[1];
  }
}
