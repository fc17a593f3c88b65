/**
 * Post-write hooks (Alembic's post_write_hooks): a new revision goes through
 * the project's own prettier (and eslint when it has one with a config), or
 * the commands package.json#revise.postWriteHooks lists; `false` turns them
 * off. The formatted file still loads, runs and keeps its recorded names.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseNameMap } from '../src/autogenerate/name-map.ts';
import { makeDataProject, REPO, type DataProject } from './data-helpers.ts';

const PRETTIER = join(REPO, 'node_modules', 'prettier', 'bin', 'prettier.cjs');
const hasPrettier = existsSync(PRETTIER);
if (!hasPrettier) console.warn('revision-post-write: prettier is not installed (npm ci), the prettier cases are skipped');

const SCHEMA = `
model User {
  id        Int     @id @default(autoincrement())
  email     String  @unique
  name      String?
  createdAt DateTime @default(now())
}`;

let projects: DataProject[] = [];
afterEach(() => {
  for (const p of projects) p.cleanup();
  projects = [];
});

async function project(revise?: Record<string, unknown>): Promise<DataProject> {
  const p = await makeDataProject('sqlite');
  projects.push(p);
  if (revise) writeFileSync(join(p.dir, 'package.json'), JSON.stringify({ name: 'data-app', private: true, type: 'module', revise }));
  p.writeSchema(SCHEMA);
  return p;
}

function installPrettier(p: DataProject): void {
  mkdirSync(join(p.dir, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(PRETTIER, join(p.dir, 'node_modules', '.bin', 'prettier'));
  // A project style unlike revise's own: double quotes, no semicolons, narrow lines.
  writeFileSync(join(p.dir, '.prettierrc'), JSON.stringify({ semi: false, printWidth: 80 }));
}

describe('post-write hooks', () => {
  it.skipIf(!hasPrettier)("the project's prettier formats the new revision; it still loads, runs and records its names", async () => {
    const p = await project();
    installPrettier(p);
    const path = await p.autogenerate('users', 'aaaa00000001');
    expect(p.logs.join('\n')).toMatch(/Ran prettier on .*aaaa00000001_users\.ts/);
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('export const revision = "aaaa00000001"\n');
    const check = spawnSync(process.execPath, [PRETTIER, '--check', path], { cwd: p.dir, encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    expect(parseNameMap(text)).toEqual({ User: { table: 'User', columns: { id: 'id', email: 'email', name: 'name', createdAt: 'createdAt' } } });
    await p.upgrade();
    await p.downgrade('base');
    // The next autogenerate reads the formatted file's header and names.
    p.writeSchema(SCHEMA.replace('  name      String?\n', '  fullName  String? @map("name")\n  age Int?\n'));
    const next = readFileSync(await p.upgrade().then(() => p.autogenerate('age', 'bbbb00000002')), 'utf8');
    expect(next).toContain('export const downRevision: string | string[] | null = "aaaa00000001"');
    // fullName is the old name's column (read from the formatted prismaNames): only age is new.
    expect(next).toMatch(/addColumn\([\s\S]*"age"/);
    expect(next).not.toMatch(/dropColumn\([^)]*"name"|renameColumn/);
    expect(parseNameMap(next)!.User).toMatchObject({ columns: { fullName: "name", age: "age" } });
  });

  it.skipIf(!hasPrettier)('postWriteHooks: false writes the file as revise renders it, prettier or not', async () => {
    const p = await project({ postWriteHooks: false });
    installPrettier(p);
    const text = readFileSync(await p.revision('by hand', 'aaaa00000001'), 'utf8');
    expect(text).toContain("export const revision = 'aaaa00000001';");
    expect(p.logs.join('\n')).not.toMatch(/post_write/);
  });

  it('configured shell commands get the file (REVISION_SCRIPT_FILENAME); a failing one warns and keeps the file', async () => {
    const p = await project({
      postWriteHooks: [
        `node -e "const f = process.argv[1]; require('fs').appendFileSync(f, '// checked\\\\n')" REVISION_SCRIPT_FILENAME`,
        'node -e "process.exit(3)"',
      ],
    });
    const path = await p.revision('by hand', 'aaaa00000001');
    expect(readFileSync(path, 'utf8').endsWith('// checked\n')).toBe(true);
    const logs = p.logs.join('\n');
    expect(logs).toMatch(/INFO {2}\[revise\.post_write\] Ran 'node -e/);
    expect(logs).toMatch(/WARN {2}\[revise\.post_write\] 'node -e "process\.exit\(3\)"' failed on .* \(exit 3\)/);
    await p.upgrade();
  });

  it('a bad postWriteHooks setting is a one-line error', async () => {
    const p = await project({ postWriteHooks: 'prettier' });
    await expect(p.revision('x', 'aaaa00000001')).rejects.toThrow(/revise\.postWriteHooks must be false or a list/);
  });
});
