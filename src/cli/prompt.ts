import { createInterface } from 'node:readline';

/**
 * Yes/no questions on a terminal (node:readline, no dependency). Only ever
 * used when both stdin and stdout are terminals: a postinstall script or a CI
 * job has no one to answer and must never wait for input.
 */

export interface Prompter {
  /** Writes `question`, reads one line; `y` / `yes` (any case) is true, anything else or end of input false. */
  ask(question: string): Promise<boolean>;
  close(): void;
}

/** Whether a person can answer: stdin and stdout are both terminals. */
export function isInteractive(stdin: { isTTY?: boolean } = process.stdin, stdout: { isTTY?: boolean } = process.stdout): boolean {
  return stdin.isTTY === true && stdout.isTTY === true;
}

/** Questions on `output`, answers from `input`, one line each (lines that arrive early wait for their question). */
export function createPrompter(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Prompter {
  const rl = createInterface({ input, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  let ended = false;
  return {
    async ask(question) {
      output.write(question);
      if (ended) {
        output.write('\n');
        return false;
      }
      const next = await lines.next();
      if (next.done) {
        ended = true;
        output.write('\n');
        return false;
      }
      return /^\s*y(es)?\s*$/i.test(next.value);
    },
    close() {
      rl.close();
    },
  };
}

/** A prompter on this process's terminal, or undefined when there is none (never prompt then). */
export function terminalPrompter(): Prompter | undefined {
  return isInteractive() ? createPrompter(process.stdin, process.stdout) : undefined;
}
