import type { Hook } from '@oclif/core';

/** An unknown command gets the same one-line `Error:` as every other failure, and oclif's usage exit code. */
const hook: Hook.CommandNotFound = async function (options) {
  // With a space as topic separator oclif joins the arguments into the id (`upgrad head` -> `upgrad:head`).
  const name = options.id.split(':')[0]!;
  const known = options.config.commandIDs.filter((id) => id.startsWith(name.slice(0, 2)));
  const hint = known.length > 0 ? ` (did you mean ${known.map((id) => `'${id}'`).join(', ')}?)` : '';
  process.stderr.write(`Error: unknown command '${name}'${hint}; see 'revise --help'\n`);
  process.exit(2);
};

export default hook;
