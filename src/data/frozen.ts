import type { DialectName } from '../dialect/types.js';
import type { DatabaseModel, EnumModel, TableModel } from '../model/types.js';
import { qualifiedName } from '../model/types.js';
import type { Operation } from '../operations/types.js';
import { columnType } from './value-types.js';

/**
 * The tables a data hook works with, as they are while it runs: frozen into
 * the revision file, so the hook never depends on the app's current models.
 */
export interface FrozenTables {
  tables: TableModel[];
  /** Enums the frozen columns use (their values become string unions). */
  enums: EnumModel[];
  /** Which driver's value types to use; when absent, types cover both dialects. */
  dialect?: DialectName;
}

/** Inner operations that change a table only where a data hook cannot see it (Kysely types know columns, not keys or indexes). */
const INVISIBLE_TO_HOOKS = new Set<Operation['kind']>([
  'createIndex',
  'dropIndex',
  'renameIndex',
  'addForeignKey',
  'dropForeignKey',
  'addPrimaryKey',
  'dropPrimaryKey',
]);

/**
 * Qualified names of the tables whose shape, as a data hook sees it, `ops`
 * change: created, dropped, renamed, a column added, dropped, renamed or
 * altered, or an enum they use altered. Index, key and foreign-key changes
 * leave the hook's types as they were, so those tables are not frozen.
 */
export function touchedTables(ops: Operation[]): Set<string> {
  const names = new Set<string>();
  for (const op of ops) {
    switch (op.kind) {
      case 'createTable':
      case 'dropTable':
        names.add(qualifiedName(op.table));
        break;
      case 'renameTable':
        names.add(qualifiedName({ ...(op.schema ? { schema: op.schema } : {}), name: op.from }));
        names.add(qualifiedName({ ...(op.schema ? { schema: op.schema } : {}), name: op.to }));
        break;
      case 'alterEnum':
        for (const usage of op.usages ?? []) names.add(qualifiedName(usage.table));
        break;
      case 'createEnum':
      case 'dropEnum':
      case 'renameEnumValue':
      case 'execute':
      case 'createExtension':
      case 'dropExtension':
      case 'alterExtension':
        break;
      case 'batchAlterTable':
        if (op.ops.some((inner) => !INVISIBLE_TO_HOOKS.has(inner.kind))) names.add(qualifiedName(op.table));
        break;
      default:
        if (!INVISIBLE_TO_HOOKS.has(op.kind)) names.add(qualifiedName(op.table));
    }
  }
  return names;
}

/** The touched tables of `model` (the database as the hook sees it), with the enums their columns use. */
export function freezeTables(model: DatabaseModel, touched: Set<string>, dialect?: DialectName): FrozenTables {
  const tables = model.tables.filter((t) => touched.has(qualifiedName(t)));
  const used = new Set(tables.flatMap((t) => t.columns.flatMap((c) => (c.enumType ? [qualifiedName(c.enumType)] : []))));
  return {
    tables,
    enums: model.enums.filter((e) => used.has(qualifiedName(e))),
    ...(dialect ? { dialect } : {}),
  };
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const key = (name: string): string => (IDENTIFIER.test(name) ? name : `'${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`);

/**
 * `interface UpgradeTables { User: { id: Generated<number>; ... } }`: the
 * frozen shapes as the TypeScript type Kysely is parameterised with. Each
 * column's SQL type follows as a comment, so the file says what is stored.
 */
export function renderTablesInterface(name: string, frozen: FrozenTables | undefined, doc: string[]): string[] {
  const lines = doc.length === 0 ? [] : doc.length === 1 ? [`/** ${doc[0]} */`] : ['/**', ...doc.map((l) => (l === '' ? ' *' : ` * ${l}`)), ' */'];
  const tables = frozen?.tables ?? [];
  if (tables.length === 0) {
    // A type, not an empty interface: linters (no-empty-interface, no-empty-object-type) reject those.
    return [...lines, `type ${name} = Record<string, never>;`];
  }
  lines.push(`interface ${name} {`);
  for (const table of tables) {
    lines.push(`  ${key(qualifiedName(table))}: {`);
    const pk = new Set(table.primaryKey?.columns ?? []);
    for (const column of table.columns) {
      const type = columnType(column, { ...(frozen!.dialect ? { dialect: frozen!.dialect } : {}), enums: frozen!.enums });
      const sqlType = column.enumType ? `enum ${qualifiedName(column.enumType)}` : column.type;
      const notes = [
        `${sqlType}${column.isList ? '[]' : ''}`,
        ...(pk.has(column.name) ? ['primary key'] : []),
        ...(column.nullable ? [] : ['NOT NULL']),
        ...(column.autoincrement ? ['autoincrement'] : column.default !== undefined ? [`default ${column.default}`] : []),
      ];
      lines.push(`    ${key(column.name)}: ${type}; // ${notes.join(', ').replace(/\s*\n\s*/g, ' ')}`);
    }
    lines.push('  };');
  }
  lines.push('}');
  return lines;
}
