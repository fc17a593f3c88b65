// dist/cli/output.js
var FLUSH_AT = 64 * 1024;
var pending = [];
var pendingLength = 0;
var flushOnExit = false;
function flushOutput() {
  if (pending.length === 0)
    return;
  const text = pending.join("");
  pending = [];
  pendingLength = 0;
  process.stdout.write(text);
}
var consoleOutput = {
  out: (line) => {
    if (process.stdout.isTTY) {
      process.stdout.write(`${line}
`);
      return;
    }
    if (!flushOnExit) {
      flushOnExit = true;
      process.once("exit", flushOutput);
    }
    pending.push(line, "\n");
    pendingLength += line.length + 1;
    if (pendingLength >= FLUSH_AT)
      flushOutput();
  },
  log: (line) => {
    flushOutput();
    process.stderr.write(`${line}
`);
  }
};
function infoLine(logger, message) {
  return `INFO  [revise.${logger}] ${message}`;
}
function asMigrationLog(log) {
  return (line) => {
    const named = line.replace(/^(INFO|WARN|WARNING|ERROR|DEBUG)(\s+)\[revise\]/, "$1$2[revise.runtime.migration]");
    log(/^(INFO|WARN|WARNING|ERROR|DEBUG)\s/.test(named) ? named : infoLine("runtime.migration", named));
  };
}

export {
  consoleOutput,
  infoLine,
  asMigrationLog
};
