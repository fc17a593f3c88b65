// dist/errors.js
var ReviseError = class extends Error {
  exitCode;
  name = "ReviseError";
  constructor(message, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
};
function maskUrl(url) {
  return url.replace(/(\/\/[^:/?#@]*:)[^@/?#]*@/, "$1****@");
}

export {
  ReviseError,
  maskUrl
};
