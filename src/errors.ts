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

const HIDDEN = '****';

/**
 * Query parameter names whose values are secrets: passwords (`password`,
 * `sslpassword`, `pwd`), tokens (`token`, `authToken`, `access_token`), keys
 * (`api_key`, `sslkey`, `accessKey`), `secret`, `credentials`. Compared
 * without case, `_` or `-`. Certificates (`sslcert`, `sslrootcert`) are public.
 */
function isSecretName(name: string): boolean {
  const n = name.toLowerCase().replace(/[-_]/g, '');
  return /pass(word|wd|phrase)?$|^pwd$|secret|token|apikey|accesskey|^key$|^sslkey$|^privatekey$|credential|^auth$|^sig(nature)?$/.test(n);
}

/** `name=value` after `?`, `&` or `;` (URL queries and `;`-separated connection strings). */
const QUERY_PAIR = /([?&;])([^=&;#?\s]+)=([^&;#\s]*)/g;

/**
 * A database URL as it may be shown: the user-info password and every secret
 * query parameter hidden (`postgresql://u:****@h/db?sslpassword=****`); the
 * rest stays as written. Anything unparsable is returned with the same rules
 * applied to its text.
 */
export function maskUrl(url: string): string {
  return url
    .replace(/(\/\/[^:/?#@\s]*:)[^/?#\s]*@/, `$1${HIDDEN}@`)
    .replace(QUERY_PAIR, (pair, lead: string, name: string) => (isSecretName(name) ? `${lead}${name}=${HIDDEN}` : pair));
}

/**
 * Free text (a driver's error message, anything about to be printed) with
 * the secrets of any URL or `key=value` connection string in it hidden.
 */
export function maskSecrets(text: string): string {
  return text
    .replace(/(\/\/[^:/?#@\s]*:)[^/?#\s]*@/g, `$1${HIDDEN}@`)
    .replace(/(^|[?&;\s(,'"])([A-Za-z_][\w-]*)=('[^']*'|"[^"]*"|[^&;#\s'",)]*)/g, (pair, lead: string, name: string) =>
      isSecretName(name) ? `${lead}${name}=${HIDDEN}` : pair,
    );
}
