/** How SQLite (and MySQL, on most systems) compare table and index names: ASCII letters in any case. */
export function foldAscii(name: string): string {
  return name.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}
