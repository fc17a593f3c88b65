#!/usr/bin/env node
// The hot commands (upgrade, current, heads, history...) run without loading
// oclif when their command line is plain; everything else goes through oclif.
const { runFast } = await import('../dist/cli/fast.js');
if (!(await runFast(process.argv.slice(2)))) {
  const { execute } = await import('@oclif/core');
  await execute({ dir: import.meta.url });
}
