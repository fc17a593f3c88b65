/**
 * How SQLite (and MySQL, on most systems) compare table and index names:
 * ASCII letters in any case, other characters as they are. A name of ASCII
 * only (nearly all) is lowercased whole; `toLowerCase` alone would also fold
 * non-ASCII letters, which SQLite keeps apart.
 */
export function foldAscii(name: string): string {
  return NON_ASCII.test(name) ? name.replace(/[A-Z]+/g, (letters) => letters.toLowerCase()) : name.toLowerCase();
}

const NON_ASCII = /[^\x00-\x7f]/;
