/**
 * The rename question on a terminal, driven through a fake input stream (the
 * real prompter and the real autogenerate, on a real SQLite file), the
 * never-hang rule for a piped stdin, and the recorded name map's text format.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autogenerate } from '../src/actions/revision.ts';
import { createPrompter, isInteractive } from '../src/cli/prompt.ts';
import { parseNameMap, recordedNameMap, renderNameMap, type NameMap } from '../src/autogenerate/name-map.ts';
import { parseRevisionHeader } from '../src/script/revision.ts';
import { BIN, describeRun, generatedFile, makeProject, withDb, type E2EProject } from './support/e2e.ts';

function collect(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

describe('prompter', () => {
  it('reads one answer per question; y/yes is a yes, anything else or end of input a no', async () => {
    const input = new PassThrough();
    const out = collect();
    const prompter = createPrompter(input, out.stream);
    input.write('y\nnope\n YES \n');
    input.end();
    expect(await prompter.ask('one? ')).toBe(true);
    expect(await prompter.ask('two? ')).toBe(false);
    expect(await prompter.ask('three? ')).toBe(true);
    expect(await prompter.ask('four? ')).toBe(false); // end of input
    prompter.close();
    expect(out.text()).toContain('one? two? three? four? ');
  });

  it('waits for an answer typed after the question', async () => {
    const input = new PassThrough();
    const prompter = createPrompter(input, collect().stream);
    const answer = prompter.ask('q? ');
    setTimeout(() => input.write('yes\n'), 20);
    expect(await answer).toBe(true);
    prompter.close();
  });

  it('only a terminal on both ends counts as interactive', () => {
    expect(isInteractive({ isTTY: true }, { isTTY: true })).toBe(true);
    expect(isInteractive({ isTTY: true }, {})).toBe(false);
    expect(isInteractive({}, { isTTY: true })).toBe(false);
  });
});

describe('answering the rename question (SQLite)', () => {
  let project: E2EProject;
  const v1 = 'model Post {\n  id    Int    @id\n  title String\n}';
  const v2 = 'model Post {\n  id       Int    @id\n  headline String\n}';
  beforeAll(async () => {
    project = makeProject({ provider: 'sqlite' });
    project.writeSchema(v1);
    for (const args of [['autogenerate', '-m', 'init'], ['upgrade', 'head']]) {
      const run = project.cli(args);
      if (run.status !== 0) throw new Error(describeRun(run));
    }
    await withDb('sqlite', project.url, (db) => db.exec(`INSERT INTO "Post" ("id", "title") VALUES (1, 'kept')`));
    project.writeSchema(v2);
  }, 180_000);
  afterAll(() => project?.cleanup());

  async function answer(text: string) {
    const input = new PassThrough();
    const out = collect();
    const prompter = createPrompter(input, out.stream);
    input.end(text);
    const logs: string[] = [];
    const result = await autogenerate({
      cwd: project.dir,
      url: project.url,
      message: `answer ${text.trim()}`,
      ask: (q) => prompter.ask(q),
      out: () => undefined,
      log: (line) => logs.push(line),
    });
    prompter.close();
    return { result, question: out.text(), logs, file: readFileSync(result.path!, 'utf8') };
  }

  it('"n": drop + add, with the warning in the file and the log', async () => {
    const { question, file, logs, result } = await answer('n\n');
    expect(question).toBe('Was Post.title renamed to Post.headline? [y/N] ');
    expect(file).toContain("// WARNING: Post.title was dropped and Post.headline added: if this was a rename, re-run with --rename Post.title=headline");
    expect(file).toMatch(/batch\.dropColumn\('title'\)/);
    expect(logs.some((l) => l.startsWith('WARN  [revise.autogenerate.compare] Post.title was dropped'))).toBe(true);
    rmSync(result.path!);
  });

  it('"y": a rename, and the row survives upgrade and downgrade', async () => {
    const { file, result } = await answer('y\n');
    expect(file).toContain("batch.renameColumn('title', 'headline');");
    expect(file).not.toMatch(/dropColumn|WARNING/);
    expect(file).toContain("Post: { table: 'Post', columns: { id: 'id', headline: 'headline' } }");
    const up = project.cli(['upgrade', 'head']);
    expect(up.status, describeRun(up)).toBe(0);
    expect(await withDb('sqlite', project.url, (db) => db.query('SELECT "id", "headline" FROM "Post"'))).toEqual([{ id: 1, headline: 'kept' }]);
    const down = project.cli(['downgrade', '-1']);
    expect(down.status, describeRun(down)).toBe(0);
    expect(await withDb('sqlite', project.url, (db) => db.query('SELECT "id", "title" FROM "Post"'))).toEqual([{ id: 1, title: 'kept' }]);
    rmSync(result.path!);
  });

  it('a piped stdin that never closes is not a terminal: no question, no wait', async () => {
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, 'autogenerate', '-m', 'piped'], {
        cwd: project.dir,
        env: { ...process.env, DATABASE_URL: project.url },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      // stdin stays open: a prompt would hang here until the timer kills it.
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        child.stdin.destroy();
        resolve({ code, stdout, stderr });
      });
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout + run.stderr).not.toContain('[y/N]');
    expect(run.stderr).toContain('WARN  [revise.autogenerate.compare] Post.title was dropped and Post.headline added');
    const file = generatedFile({ status: 0, stdout: run.stdout, stderr: run.stderr })!;
    expect(readFileSync(file, 'utf8')).toContain('// WARNING: Post.title was dropped');
    rmSync(file);
  }, 90_000);
});

describe('recorded name map', () => {
  const names: NameMap = {
    Post: { table: 'posts', columns: { id: 'id', title: 'head line', "it's": 'q"uote' } },
    Role: { enum: 'role', schema: 'app', values: { USER: 'user' } },
  };

  it('renders as an exported const the header parser ignores, and parses back', () => {
    const lines = renderNameMap(names);
    expect(lines.join('\n')).toMatch(/^\/\*\*[^\n]*\*\/\nexport const prismaNames = \{/);
    const file = [
      "export const revision = 'abc';",
      'export const downRevision: string | string[] | null = null;',
      'export const branchLabels: string[] | null = null;',
      'export const dependsOn: string[] | null = null;',
      ...lines,
    ].join('\n');
    expect(parseRevisionHeader(file, 'x.ts').id).toBe('abc');
    expect(parseNameMap(file)).toEqual(names);
    expect(renderNameMap({})).toEqual([]);
  });

  it('accepts hand edits (comments, double quotes, trailing commas) and ignores what is not a literal', () => {
    expect(parseNameMap(`export const prismaNames = { "A": { table: "a", /* x */ columns: { f: 'g', }, }, } as const;`)).toEqual({
      A: { table: 'a', columns: { f: 'g' } },
    });
    expect(parseNameMap('export const prismaNames = makeNames();')).toBeUndefined();
    expect(parseNameMap('export const other = {};')).toBeUndefined();
  });

  it('the newest mention along the chain wins; none recorded is undefined', () => {
    const dir = mkdtempSync(join(tmpdir(), 'revise-names-'));
    try {
      const write = (name: string, map: NameMap | undefined) => {
        const path = join(dir, name);
        writeFileSync(path, map ? renderNameMap(map).join('\n') : '// nothing recorded');
        return { path };
      };
      const a = write('a.ts', { Post: { table: 'Post', columns: { title: 'title' } }, Tag: { table: 'Tag', columns: {} } });
      const b = write('b.ts', undefined);
      const c = write('c.ts', { Post: { table: 'posts', columns: { title: 'headline' } } });
      expect(recordedNameMap([b])).toBeUndefined();
      expect(recordedNameMap([a, b, c])).toEqual({
        Post: { table: 'posts', columns: { title: 'headline' } },
        Tag: { table: 'Tag', columns: {} },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
