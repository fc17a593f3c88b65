import { spawn } from 'node:child_process';
import { ReviseError } from '../errors.js';
import type { Revision } from '../script/revision.js';
import { resolveIO, type ActionOptions } from './context.js';
import { databaseHeads, openEnv, openScripts } from './scripts.js';

/** Alembic's `edit`: open the revision file(s) a symbol names in $EDITOR. Returns the paths. */
export async function edit(options: ActionOptions & { revision: string; editor?: string }): Promise<string[]> {
  resolveIO(options);
  const editor = options.editor ?? process.env.EDITOR;
  if (!editor || editor.trim() === '') throw new ReviseError('$EDITOR is not set; set it to the command of your editor (e.g. EDITOR=vim)');
  let revisions: Revision[];
  if (options.revision === 'current') {
    const env = await openEnv(options);
    revisions = env.scripts.allCurrent(await databaseHeads(env));
  } else {
    revisions = (await openScripts(options)).scripts.resolveMany(options.revision);
  }
  if (revisions.length === 0) throw new ReviseError(`No revision files indicated by symbol '${options.revision}'`);
  for (const rev of revisions) await openInEditor(editor, rev.path);
  return revisions.map((r) => r.path);
}

/** Run the editor on a file and wait. $EDITOR may carry arguments (`code --wait`), so it goes through the shell. */
function openInEditor(editor: string, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const quoted = `'${path.replace(/'/g, `'\\''`)}'`;
    const child = spawn(`${editor} ${quoted}`, { shell: true, stdio: 'inherit' });
    child.on('error', (error) => reject(new ReviseError(`Cannot run $EDITOR (${editor}): ${error.message}`)));
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else reject(new ReviseError(`$EDITOR (${editor}) exited with code ${code ?? 'signal'} for ${path}`));
    });
  });
}
