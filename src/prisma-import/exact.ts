import { qualifiedName, type DatabaseModel } from '../model/types.js';

/**
 * What differs between two introspected schemas, compared field for field
 * (column order aside), where compare would call some differences clean
 * (opaque indexes, twins): the names of the tables, enums and extensions
 * that differ; empty when the schemas are the same.
 */
export function exactDifferences(a: DatabaseModel, b: DatabaseModel): string[] {
  const byName = <T extends { name: string }>(list: readonly T[]) => [...list].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  const tableText = (model: DatabaseModel) =>
    new Map(
      model.tables.map((t) => [
        qualifiedName(t),
        JSON.stringify({ ...t, columns: byName(t.columns), indexes: byName(t.indexes), foreignKeys: byName(t.foreignKeys) }),
      ]),
    );
  const out: string[] = [];
  const left = tableText(a);
  const right = tableText(b);
  for (const key of [...new Set([...left.keys(), ...right.keys()])].sort()) {
    if (left.get(key) !== right.get(key)) out.push(`table "${key}"`);
  }
  const enums = (model: DatabaseModel) => new Map(model.enums.map((e) => [qualifiedName(e), e.values.join('\0')]));
  const le = enums(a);
  const re = enums(b);
  for (const key of [...new Set([...le.keys(), ...re.keys()])].sort()) if (le.get(key) !== re.get(key)) out.push(`enum "${key}"`);
  const extensions = (model: DatabaseModel) => byName(model.extensions ?? []).map((x) => x.name).join(', ');
  if (extensions(a) !== extensions(b)) out.push(`extensions (${extensions(a) || 'none'} where ${extensions(b) || 'none'} were)`);
  return out;
}
