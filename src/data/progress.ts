/**
 * Progress of a long back-fill, for a person watching a terminal: one line on
 * stderr, rewritten in place (rows done, rate, time left). Nothing at all
 * when stderr is not a TTY (CI logs, pipes, tests), so scripts stay quiet.
 */

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface Progress {
  /** `rows` more rows are done. */
  advance(rows: number): void;
  /** Final line (and newline) when anything was drawn. */
  done(): void;
}

const REDRAW_MS = 200;

const SILENT: Progress = { advance: () => undefined, done: () => undefined };

/** A progress line for `label`; `total` rows when known. Silent unless `stream` is a TTY. */
export function createProgress(
  label: string,
  total: number | undefined,
  stream: ProgressStream = process.stderr,
  now: () => number = Date.now,
): Progress {
  if (!stream.isTTY) return SILENT;
  const started = now();
  let rows = 0;
  let drawnAt = 0;
  let drawn = false;
  const draw = (): void => {
    drawnAt = now();
    drawn = true;
    stream.write(`\r\x1b[2K${formatProgress(label, rows, total, drawnAt - started)}`);
  };
  return {
    advance(n) {
      rows += n;
      if (now() - drawnAt >= REDRAW_MS) draw();
    },
    done() {
      if (!drawn && now() - started < REDRAW_MS) return;
      draw();
      stream.write('\n');
    },
  };
}

/** `User: 120,000 / 1,000,000 rows (12%), 45,000 rows/s, 19s left` */
export function formatProgress(label: string, rows: number, total: number | undefined, elapsedMs: number): string {
  const n = (x: number): string => Math.round(x).toLocaleString('en-US');
  const rate = elapsedMs > 0 ? (rows * 1000) / elapsedMs : 0;
  let text = `${label}: ${n(rows)}`;
  if (total !== undefined && total > 0) text += ` / ${n(total)} rows (${Math.min(100, Math.floor((rows * 100) / total))}%)`;
  else text += ' rows';
  if (rate > 0) text += `, ${n(rate)} rows/s`;
  if (total !== undefined && rate > 0 && rows < total) text += `, ${formatDuration(((total - rows) * 1000) / rate)} left`;
  else text += `, ${formatDuration(elapsedMs)}`;
  return text;
}

function formatDuration(ms: number): string {
  const s = Math.ceil(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
