/**
 * Where command output goes. `out` is stdout (results, and the SQL of `--sql`
 * runs, so a script can be piped straight into sqlite3/psql); `log` is stderr
 * (progress lines in Alembic's `INFO  [logger] message` format).
 */
export interface Output {
  out: (line: string) => void;
  log: (line: string) => void;
}

/**
 * Writes to a pipe or file are synchronous system calls in Node, one per
 * `write`: `history` on thousands of revisions would pay one per line. Lines
 * for a non-terminal stdout are gathered and written in blocks, flushed
 * before anything goes to stderr (so the two stay in order) and at exit. A
 * terminal gets each line at once.
 */
const FLUSH_AT = 64 * 1024;
let pending: string[] = [];
let pendingLength = 0;
let flushOnExit = false;

export function flushOutput(): void {
  if (pending.length === 0) return;
  const text = pending.join('');
  pending = [];
  pendingLength = 0;
  process.stdout.write(text);
}

export const consoleOutput: Output = {
  out: (line) => {
    if (process.stdout.isTTY) {
      process.stdout.write(`${line}\n`);
      return;
    }
    if (!flushOnExit) {
      flushOnExit = true;
      process.once('exit', flushOutput);
    }
    pending.push(line, '\n');
    pendingLength += line.length + 1;
    if (pendingLength >= FLUSH_AT) flushOutput();
  },
  log: (line) => {
    flushOutput();
    process.stderr.write(`${line}\n`);
  },
};

/** Alembic's log line: `INFO  [alembic.runtime.migration] Running upgrade ...` with `revise` as the root logger. */
export function infoLine(logger: string, message: string): string {
  return `INFO  [revise.${logger}] ${message}`;
}

/** Lines from the runtime that already carry a level are passed through; bare messages get the migration logger's prefix. */
export function asMigrationLog(log: (line: string) => void): (line: string) => void {
  return (line) => {
    // The runtime logs as the bare `revise` logger; Alembic names it alembic.runtime.migration.
    const named = line.replace(/^(INFO|WARN|WARNING|ERROR|DEBUG)(\s+)\[revise\]/, '$1$2[revise.runtime.migration]');
    log(/^(INFO|WARN|WARNING|ERROR|DEBUG)\s/.test(named) ? named : infoLine('runtime.migration', named));
  };
}
