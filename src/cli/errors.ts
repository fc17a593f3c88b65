import { ReviseError, maskSecrets } from '../errors.js';

/** What the CLI prints for a failure and the exit code it uses. */
export interface FailureReport {
  lines: string[];
  exitCode: number;
}

/** oclif's own argument/flag errors (unknown flag, missing argument) carry the parser's input. */
function isParseError(error: unknown): error is Error & { parse: unknown } {
  return error instanceof Error && 'parse' in error && (error as { parse?: unknown }).parse !== undefined;
}

/**
 * Collapse a message to one line: users get one line, whatever the source.
 * Secrets are hidden here too: the last line of defence for a driver message
 * that echoes a connection string.
 */
function oneLine(message: string): string {
  return maskSecrets(
    message
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line.length > 0)
      .join(' '),
  );
}

/**
 * ReviseError: `Error: <message>`, its exit code. oclif parse errors: their
 * first line, exit 2 (usage error). Anything else is a bug: the same one line,
 * plus the stack only under REVISE_DEBUG=1.
 */
export function reportFailure(error: unknown, debug = process.env.REVISE_DEBUG === '1'): FailureReport {
  if (error instanceof ReviseError) {
    const lines = [`Error: ${oneLine(error.message)}`];
    if (debug && error.stack) lines.push(maskSecrets(error.stack));
    return { lines, exitCode: error.exitCode };
  }
  if (isParseError(error)) {
    const missing = (error as { args?: Array<{ name?: string }> }).args;
    if (/^Missing \d+ required arg/.test(error.message) && Array.isArray(missing) && missing.length > 0) {
      const names = missing.map((a) => (a.name ?? '').toUpperCase()).join(', ');
      return { lines: [`Error: Missing required argument${missing.length === 1 ? '' : 's'}: ${names} (see --help)`], exitCode: 2 };
    }
    const first = error.message.split(/\r?\n/)[0] ?? error.message;
    return { lines: [`Error: ${maskSecrets(first)}`], exitCode: 2 };
  }
  const message = error instanceof Error ? error.message : String(error);
  const lines = [`Error: ${oneLine(message) || 'unknown error'}`];
  if (debug && error instanceof Error && error.stack) lines.push(maskSecrets(error.stack));
  return { lines, exitCode: 1 };
}
