import { readFileSync } from 'node:fs';

/**
 * Which Prisma migration an imported revision came from, as its file records
 * it: `export const prismaMigration = '<folder name>';` and
 * `export const prismaChecksum = '<sha256>';`. Read as text, never run, like
 * the revision header.
 */
export interface RecordedPrismaMigration {
  revision: string;
  name: string;
  checksum: string;
  path: string;
}

export const PRISMA_MIGRATION_EXPORT = 'prismaMigration';
export const PRISMA_CHECKSUM_EXPORT = 'prismaChecksum';

const exportPattern = (name: string) => new RegExp(String.raw`export\s+const\s+${name}\s*(?::[^=;]*)?=\s*'((?:[^'\\]|\\.)*)'`);

/** The Prisma migration a revision file was imported from; undefined for a revision of revise's own. */
export function readRecordedMigration(source: string): { name: string; checksum: string } | undefined {
  if (!source.includes(PRISMA_MIGRATION_EXPORT)) return undefined;
  const name = exportPattern(PRISMA_MIGRATION_EXPORT).exec(source)?.[1];
  const checksum = exportPattern(PRISMA_CHECKSUM_EXPORT).exec(source)?.[1];
  if (name === undefined || checksum === undefined) return undefined;
  return { name: name.replace(/\\(.)/g, '$1'), checksum };
}

/** Every imported revision among `revisions`, in the order given. */
export function recordedMigrations(revisions: ReadonlyArray<{ id: string; path: string }>): RecordedPrismaMigration[] {
  const out: RecordedPrismaMigration[] = [];
  for (const rev of revisions) {
    let text: string;
    try {
      text = readFileSync(rev.path, 'utf8');
    } catch {
      continue;
    }
    const found = readRecordedMigration(text);
    if (found) out.push({ revision: rev.id, ...found, path: rev.path });
  }
  return out;
}
