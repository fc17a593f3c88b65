/**
 * The one error type users see. The CLI prints `message` as a single line and
 * exits non-zero; anything else that escapes is a bug and is printed the same
 * way with its stack only under REVISE_DEBUG=1.
 */
export class ReviseError extends Error {
  override readonly name = 'ReviseError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** Hide the password of a database URL (`postgresql://u:****@h/db`); anything unparsable is returned unchanged. */
export function maskUrl(url: string): string {
  return url.replace(/(\/\/[^:/?#@]*:)[^@/?#]*@/, '$1****@');
}
