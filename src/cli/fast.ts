import { consoleOutput } from './output.js';
import { HOT_COMMANDS, type HotCommand, type Invocation } from './invocations.js';

/**
 * The hot commands (`upgrade`, `downgrade`, `stamp`, `current`, `heads`,
 * `history`) without oclif: loading @oclif/core alone costs more than
 * starting Node and opening SQLite, which is what a no-op `upgrade head` at
 * every deploy should cost. Only plain invocations are taken here: the
 * command's own flags, spelled as its oclif definition spells them. Anything
 * else (`--help`, an unknown or combined flag, a missing argument) returns
 * false and goes to oclif, which owns help and usage errors.
 */

type FlagKind = 'string' | 'boolean';

interface CommandSpec {
  /** Flag name (as in oclif) -> kind; `short` maps one-letter aliases. */
  flags: Record<string, FlagKind>;
  short?: Record<string, string>;
  /** How many positionals: [min, max]. */
  positionals: [number, number];
  /** The same function the oclif command calls (src/cli/invocations.ts). */
  run: Invocation;
}

export const GLOBAL: Record<string, FlagKind> = { url: 'string', schema: 'string', name: 'string', cwd: 'string' };
export const GLOBAL_SHORT: Record<string, string> = { n: 'name' };

/** Exported for the test that keeps these tables equal to the oclif commands' definitions (oclif.manifest.json). */
export const COMMANDS: Record<HotCommand, CommandSpec> = {
  upgrade: { flags: { sql: 'boolean', tag: 'string' }, positionals: [0, 1], run: HOT_COMMANDS.upgrade },
  downgrade: { flags: { sql: 'boolean', tag: 'string' }, positionals: [1, 1], run: HOT_COMMANDS.downgrade },
  stamp: { flags: { sql: 'boolean', purge: 'boolean', tag: 'string' }, positionals: [1, Infinity], run: HOT_COMMANDS.stamp },
  current: { flags: { verbose: 'boolean', json: 'boolean' }, short: { v: 'verbose' }, positionals: [0, 0], run: HOT_COMMANDS.current },
  heads: {
    flags: { verbose: 'boolean', 'resolve-dependencies': 'boolean', json: 'boolean' },
    short: { v: 'verbose' },
    positionals: [0, 0],
    run: HOT_COMMANDS.heads,
  },
  history: {
    flags: { 'rev-range': 'string', verbose: 'boolean', 'indicate-current': 'boolean', json: 'boolean' },
    short: { r: 'rev-range', v: 'verbose', i: 'indicate-current' },
    positionals: [0, 0],
    run: HOT_COMMANDS.history,
  },
};

export interface ParsedFast {
  spec: CommandSpec;
  flags: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** The command line, if the fast path can take it (see above); undefined otherwise. */
export function parseFast(argv: readonly string[]): ParsedFast | undefined {
  const [command, ...rest] = argv;
  const spec = command !== undefined && Object.hasOwn(COMMANDS, command) ? COMMANDS[command as HotCommand] : undefined;
  if (!spec) return undefined;
  const kinds: Record<string, FlagKind> = { ...GLOBAL, ...spec.flags };
  const short: Record<string, string> = { ...GLOBAL_SHORT, ...spec.short };
  const flags: Record<string, string | boolean | undefined> = {};
  const positionals: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const token = rest[i]!;
    if (token === '--') {
      positionals.push(...rest.slice(i + 1));
      break;
    }
    // Alembic's relative targets (`-1`, `-2:base`) are arguments, not flags.
    if (!token.startsWith('-') || /^-\d+(:.*)?$/.test(token)) {
      positionals.push(token);
      continue;
    }
    let name: string | undefined;
    let inline: string | undefined;
    if (token.startsWith('--')) {
      const eq = token.indexOf('=');
      name = eq < 0 ? token.slice(2) : token.slice(2, eq);
      inline = eq < 0 ? undefined : token.slice(eq + 1);
    } else if (token.length === 2) {
      name = short[token[1]!];
    }
    const kind = name === undefined ? undefined : kinds[name];
    if (name === undefined || kind === undefined || flags[name] !== undefined) return undefined;
    if (kind === 'boolean') {
      if (inline !== undefined) return undefined;
      flags[name] = true;
      continue;
    }
    const value = inline ?? rest[++i];
    if (value === undefined) return undefined;
    flags[name] = value;
  }
  const [min, max] = spec.positionals;
  if (positionals.length < min || positionals.length > max) return undefined;
  return { spec, flags, positionals };
}

/** Run the command line without oclif when it can; false means "hand it to oclif". Sets process.exitCode on failure. */
export async function runFast(argv: readonly string[]): Promise<boolean> {
  const parsed = parseFast(argv);
  if (!parsed) return false;
  try {
    await parsed.spec.run(parsed.flags, parsed.positionals);
  } catch (error) {
    // Loaded only when something failed: a successful run never needs it.
    const { reportFailure } = await import('./errors.js');
    const report = reportFailure(error);
    // Through the console output, which first flushes any stdout it still holds.
    for (const line of report.lines) consoleOutput.log(line);
    process.exitCode = report.exitCode;
  }
  return true;
}
