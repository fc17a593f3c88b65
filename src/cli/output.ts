/**
 * Where command output goes. `out` is stdout (results, and the SQL of `--sql`
 * runs, so a script can be piped straight into sqlite3/psql); `log` is stderr
 * (progress lines in Alembic's `INFO  [logger] message` format).
 */
export interface Output {
  out: (line: string) => void;
  log: (line: string) => void;
}

export const consoleOutput: Output = {
  out: (line) => {
    process.stdout.write(`${line}\n`);
  },
  log: (line) => {
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
