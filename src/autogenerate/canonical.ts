import type { ColumnModel, EnumModel, ExtensionModel, ForeignKeyModel, IndexColumnModel, IndexModel, TableModel } from '../model/types.js';
import { canonicalPredicate } from '../model/sql-text.js';
import type { TableRef } from '../operations/types.js';

/**
 * Canonical forms: the same fact always spelled the same way (no `false`
 * flags, no `undefined` fields), so that operations built by compare, rebuilt
 * by the recorder from a revision file, or inverted, deep-equal each other.
 */

export function canonicalColumn(column: ColumnModel): ColumnModel {
  const out: ColumnModel = { name: column.name, type: column.type, nullable: column.nullable };
  if (column.default !== undefined && column.default !== null) out.default = column.default;
  if (column.autoincrement) out.autoincrement = true;
  if (column.isList) out.isList = true;
  if (column.enumType) out.enumType = column.enumType.schema ? { schema: column.enumType.schema, name: column.enumType.name } : { name: column.enumType.name };
  return out;
}

export function canonicalIndexColumn(column: IndexColumnModel): IndexColumnModel {
  const out: IndexColumnModel = { name: column.name };
  if (column.expression) out.expression = true;
  if (column.sort) out.sort = column.sort;
  if (column.opclass) out.opclass = column.opclass;
  if (column.length !== undefined && column.length !== null) out.length = column.length;
  return out;
}

export function canonicalIndex(index: IndexModel): IndexModel {
  const out: IndexModel = { name: index.name, columns: index.columns.map(canonicalIndexColumn), unique: !!index.unique };
  if (index.using) out.using = index.using;
  if (index.where) out.where = index.where;
  if (index.include?.length) out.include = [...index.include];
  if (index.storage?.length) out.storage = [...index.storage];
  return out;
}

export function canonicalForeignKey(fk: ForeignKeyModel): ForeignKeyModel {
  const out: ForeignKeyModel = {
    name: fk.name,
    columns: [...fk.columns],
    referencedTable: fk.referencedTable,
    referencedColumns: [...fk.referencedColumns],
    onDelete: fk.onDelete,
    onUpdate: fk.onUpdate,
  };
  if (fk.referencedSchema) out.referencedSchema = fk.referencedSchema;
  return out;
}

export function canonicalTable(table: TableModel): TableModel {
  const out: TableModel = { name: table.name, columns: table.columns.map(canonicalColumn), indexes: [], foreignKeys: [] };
  if (table.schema) out.schema = table.schema;
  if (table.primaryKey) {
    out.primaryKey = table.primaryKey.name
      ? { name: table.primaryKey.name, columns: [...table.primaryKey.columns] }
      : { columns: [...table.primaryKey.columns] };
  }
  // Hand-written shapes may leave out empty lists.
  out.indexes = (table.indexes ?? []).map(canonicalIndex);
  out.foreignKeys = (table.foreignKeys ?? []).map(canonicalForeignKey);
  return out;
}

export function tableRef(table: { schema?: string; name: string }): TableRef {
  return table.schema ? { schema: table.schema, name: table.name } : { name: table.name };
}

export function sameRef(a: { schema?: string; name: string }, b: { schema?: string; name: string }): boolean {
  return a.name === b.name && (a.schema || undefined) === (b.schema || undefined);
}

/**
 * Whether two columns differ in anything but their name. A list column's
 * NOT NULL is no difference: Prisma's engine reads every array as a list,
 * neither required nor optional, and writes them nullable, while histories
 * with hand-written SQL often have `TEXT[] NOT NULL`.
 */
export function columnsEqual(a: ColumnModel, b: ColumnModel): boolean {
  const lists = !!a.isList && !!b.isList;
  const seen = (c: ColumnModel) => JSON.stringify({ ...canonicalColumn(c), name: '', ...(lists ? { nullable: true } : {}) });
  return seen(a) === seen(b);
}

/**
 * Whether PostgreSQL marks this operator class as its access method's default
 * (pg_opclass.opcdefault), for the classes Prisma offers: GIN ArrayOps and
 * JsonbOps, SP-GiST TextOps and InetOps, BRIN *MinMaxOps (not InetMinMaxOps)
 * and InetInclusionOps. PostgreSQL does not record that a default class was
 * named, so introspection never reports one.
 */
export function isDefaultOperatorClass(using: string | undefined, opclass: string): boolean {
  switch (using?.toLowerCase()) {
    case 'gin':
      return opclass === 'array_ops' || opclass === 'jsonb_ops';
    case 'spgist':
      return opclass === 'text_ops' || opclass === 'inet_ops';
    case 'brin':
      return opclass === 'inet_inclusion_ops' || (/_minmax_ops$/.test(opclass) && opclass !== 'inet_minmax_ops');
    default:
      return false;
  }
}

/**
 * An index's definition without its name: ASC, btree and default operator
 * classes compare equal to "unspecified". INCLUDE columns and storage
 * parameters are left out: the schema cannot write them, and an index tuned
 * by hand is still the schema's index (Prisma's engine would rebuild it
 * without them, losing the tuning; revise leaves it).
 */
export function indexDefinition(index: IndexModel): string {
  return JSON.stringify({
    columns: index.columns.map((c) => ({
      name: c.name,
      expression: c.expression || undefined,
      sort: c.sort === 'ASC' ? undefined : c.sort,
      opclass: c.opclass && !isDefaultOperatorClass(index.using, c.opclass) ? c.opclass : undefined,
      length: c.length ?? undefined,
    })),
    unique: !!index.unique,
    using: index.using && index.using.toLowerCase() !== 'btree' ? index.using.toLowerCase() : undefined,
    where: index.where ? canonicalPredicate(index.where) : undefined,
  });
}

/**
 * An index Prisma's schema cannot describe, which autogenerate therefore
 * leaves alone (as Prisma's engine does): one on an expression, or a partial
 * one when the schema cannot have partial indexes (no `partialIndexes`
 * preview feature).
 */
export function isOpaqueIndex(index: IndexModel, partialIndexes: boolean): boolean {
  return index.columns.some((c) => c.expression) || (!!index.where && !partialIndexes);
}

export function foreignKeyDefinition(fk: ForeignKeyModel, defaultSchema?: string): string {
  return JSON.stringify({
    columns: fk.columns,
    referencedSchema: fk.referencedSchema || defaultSchema || undefined,
    referencedTable: fk.referencedTable,
    referencedColumns: fk.referencedColumns,
    onDelete: fk.onDelete,
    onUpdate: fk.onUpdate,
  });
}

export function canonicalExtension(extension: ExtensionModel): ExtensionModel {
  const out: ExtensionModel = { name: extension.name };
  if (extension.schema) out.schema = extension.schema;
  if (extension.version) out.version = extension.version;
  return out;
}

export function canonicalEnum(e: EnumModel): EnumModel {
  return e.schema ? { schema: e.schema, name: e.name, values: [...e.values] } : { name: e.name, values: [...e.values] };
}
