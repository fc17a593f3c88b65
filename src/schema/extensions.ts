/**
 * The datasource's `extensions = [...]` (Prisma's `postgresqlExtensions`
 * preview feature), which neither the DMMF nor `get_config` reports:
 *
 *   extensions = [pg_trgm, uuid_ossp(map: "uuid-ossp"), postgis(version: "3.4", schema: "gis")]
 */
import type { ExtensionModel } from '../model/types.js';

/** The extensions a datasource lists, by database name (`map:` when given). */
export function datasourceExtensions(value: string | undefined): ExtensionModel[] {
  if (value === undefined) return [];
  const inner = value.trim().replace(/^\[/, '').replace(/\]$/, '');
  const out: ExtensionModel[] = [];
  for (const m of inner.matchAll(/([A-Za-z_][\w]*)\s*(?:\(([^)]*)\))?/g)) {
    const extension: ExtensionModel = { name: m[1]! };
    for (const arg of (m[2] ?? '').matchAll(/(map|schema|version)\s*:\s*"((?:[^"\\]|\\.)*)"/g)) {
      const text = JSON.parse(`"${arg[2]!}"`) as string;
      if (arg[1] === 'map') extension.name = text;
      else extension[arg[1] as 'schema' | 'version'] = text;
    }
    out.push(extension);
  }
  return out;
}
