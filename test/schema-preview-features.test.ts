import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadSchema, withoutPreviewFeatures } from '../src/schema/load.js';
import { ReviseError } from '../src/errors.js';

/**
 * Prisma 5/6 schemas list preview features Prisma 7's engine no longer knows
 * (`metrics`, with 7.10): they are read with one warning per process; a name
 * that was never a Prisma feature stays Prisma's own error.
 */

const dir = mkdtempSync(path.join(os.tmpdir(), 'revise-preview-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string): string {
  const file = path.join(dir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  return file;
}

const prisma6 = (features: string, extra = '') => `generator client {
  provider        = "prisma-client-js"
  previewFeatures = [${features}]
}

datasource db {
  provider  = "postgresql"
  url       = env("DATABASE_URL")
  directUrl = env("DIRECT_URL")
}

model User {
  id   Int    @id
  name String
}
${extra}`;

describe('retired preview features', () => {
  test('metrics (retired in Prisma 7) loads with one warning per process, naming where it is listed', async () => {
    const warnings: string[] = [];
    const warn = (line: string) => warnings.push(line);
    const file = write('a/schema.prisma', prisma6('"metrics", "tracing", "views", "fullTextSearch"'));
    const schema = await loadSchema(file, { warn });
    expect(schema.provider).toBe('postgresql');
    expect(schema.datamodel.models.map((m) => m.name)).toEqual(['User']);
    // Two generators listing it, and a second load: still one line.
    const other = write('b/schema.prisma', prisma6('"metrics"', 'generator other {\n  provider        = "prisma-client-js"\n  previewFeatures = ["metrics"]\n}\n'));
    await loadSchema(other, { warn });
    await loadSchema(file, { warn });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^WARN {2}\[revise\.schema\] previewFeatures "metrics" \(.*a[\\/]schema\.prisma:3\) is not a preview feature of Prisma 7 any more; ignored$/);
  });

  test('a feature that was never Prisma\'s is Prisma\'s own error', async () => {
    const file = write('c/schema.prisma', prisma6('"notARealFeature"'));
    const error = await loadSchema(file, { warn: () => undefined }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReviseError);
    expect((error as Error).message).toMatch(/^invalid Prisma schema: The preview feature "notARealFeature" is not known\..*schema\.prisma:3\)$/);
  });

  test('other errors keep their line numbers after a retired feature is dropped', async () => {
    const file = write('d/schema.prisma', prisma6('"metrics"', '\nmodel Broken {\n  id Int @id\n  owner NoSuchType\n}\n'));
    const error = await loadSchema(file, { warn: () => undefined }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReviseError);
    const message = (error as Error).message;
    expect(message).toContain('NoSuchType');
    expect(message).toMatch(/schema\.prisma:19\)/);
    expect(message).not.toContain('metrics');
  });
});

describe('withoutPreviewFeatures', () => {
  test('one-line and multi-line arrays, only inside generator blocks, line count kept', () => {
    const text = [
      'generator a {',
      '  previewFeatures = ["metrics"]',
      '}',
      'generator b {',
      '  previewFeatures = ["views", "metrics", "tracing"]',
      '}',
      'generator c {',
      '  previewFeatures = [',
      '    "metrics",',
      '    "views"',
      '  ]',
      '  output = "metrics"',
      '}',
      'model metrics {',
      '  id Int @id // "metrics"',
      '}',
    ].join('\n');
    const out = withoutPreviewFeatures(text, ['metrics']).split('\n');
    expect(out).toHaveLength(16);
    expect(out[1]).toBe('  previewFeatures = []');
    expect(out[4]).toBe('  previewFeatures = ["views", "tracing"]');
    expect(out[8]!.trim()).toBe('');
    expect(out[9]).toBe('    "views"');
    expect(out[11]).toBe('  output = "metrics"');
    expect(out[14]).toBe('  id Int @id // "metrics"');
  });
});
