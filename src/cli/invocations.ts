import { consoleOutput, type Output } from './output.js';

/** Flags by their oclif names (the global ones included), as oclif or the fast path parsed them. */
export type ParsedFlags = Record<string, string | boolean | undefined>;

/** An invocation: the parsed flags and the positional arguments, in order. */
export type Invocation = (flags: ParsedFlags, args: readonly (string | undefined)[]) => Promise<unknown>;

/** The options every action takes from the global flags (`--cwd`, `--url`, `--schema`, `--name`). */
export function projectOptions(flags: ParsedFlags, output: Output = consoleOutput) {
  return {
    cwd: str(flags.cwd) ?? process.cwd(),
    url: str(flags.url),
    schema: str(flags.schema),
    name: str(flags.name),
    out: output.out,
    log: output.log,
  };
}

function str(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

const bool = (value: string | boolean | undefined) => value === true;

/** The commands the oclif-free fast path takes (src/cli/fast.ts). */
export type HotCommand = 'upgrade' | 'downgrade' | 'stamp' | 'current' | 'heads' | 'history';

/**
 * What each hot command does with its command line, written once: the oclif
 * command (src/commands) and the oclif-free fast path (fast.ts) both call
 * these, so the two can only differ in how they parse.
 */
export const HOT_COMMANDS: Record<HotCommand, Invocation> = {
  upgrade: async (f, [target]) =>
    (await import('../actions/migrate.js')).upgrade({ ...projectOptions(f), target: target ?? 'head', sql: bool(f.sql), tag: str(f.tag) }),
  downgrade: async (f, [target]) =>
    (await import('../actions/migrate.js')).downgrade({ ...projectOptions(f), target: target ?? '', sql: bool(f.sql), tag: str(f.tag) }),
  stamp: async (f, revisions) =>
    (await import('../actions/migrate.js')).stamp({
      ...projectOptions(f),
      revisions: revisions.filter((r): r is string => r !== undefined),
      sql: bool(f.sql),
      purge: bool(f.purge),
      tag: str(f.tag),
    }),
  current: async (f) => (await import('../actions/inspect.js')).current({ ...projectOptions(f), verbose: bool(f.verbose), json: bool(f.json) }),
  heads: async (f) =>
    (await import('../actions/inspect.js')).heads({
      ...projectOptions(f),
      verbose: bool(f.verbose),
      resolveDependencies: bool(f['resolve-dependencies']),
      json: bool(f.json),
    }),
  history: async (f) =>
    (await import('../actions/inspect.js')).printHistory({
      ...projectOptions(f),
      range: str(f['rev-range']),
      verbose: bool(f.verbose),
      indicateCurrent: bool(f['indicate-current']),
      json: bool(f.json),
    }),
};
