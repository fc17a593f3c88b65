import type { PrismaDefault, PrismaFieldType, TypeMap } from '../dialect/types.js';
import { ReviseError } from '../errors.js';
import {
  qualifiedName,
  type ColumnModel,
  type DatabaseModel,
  type EnumModel,
  type ExtensionModel,
  type ForeignKeyModel,
  type IndexModel,
  type ReferentialAction,
  type TableModel,
} from '../model/types.js';
import type { DmmfEnum, DmmfField, DmmfIndex, DmmfModel } from './dmmf.js';
import { datasourceExtensions } from './extensions.js';
import { partialIndexSources, whereSql, type PartialIndexSource } from './partial-indexes.js';
import type { LoadedSchema } from './load.js';
import { foreignKeyName, indexName, joinTableNames, primaryKeyName, uniqueIndexName, type Provider } from './naming.js';
import { scanSchema, unquote, type ScannedBlock } from './scan.js';

export interface IgnoredObjects {
  /** Tables of `@@ignore`d models and names of `view` blocks (qualified `schema.name` under multiSchema). */
  tables: string[];
  /** Columns of `@ignore`d and `Unsupported(...)` fields, by table (same keys as `tables`). */
  columns: Record<string, string[]>;
  /** The schema cannot have partial indexes (no `partialIndexes` preview feature): the database's are left alone. */
  partialIndexes: boolean;
}

const ACTIONS: Record<string, ReferentialAction> = {
  Cascade: 'CASCADE',
  Restrict: 'RESTRICT',
  NoAction: 'NO ACTION',
  SetNull: 'SET NULL',
  SetDefault: 'SET DEFAULT',
};

/**
 * The database Prisma Migrate would create for a schema, as a DatabaseModel:
 * database names, SQL types and defaults (through the dialect's type map),
 * Prisma's default constraint names and referential actions, and the
 * implicit many-to-many join tables, partial index predicates and the
 * extensions the datasource lists or the schema needs. Objects Prisma
 * creates but the DMMF omits (@@ignore models, @ignore and Unsupported
 * fields), and what a `view` block names, are listed in `ignored` so that
 * autogenerate leaves them alone.
 */
export function schemaToModel(
  schema: LoadedSchema,
  typeMap: TypeMap,
): { model: DatabaseModel; ignored: IgnoredObjects; warnings: string[] } {
  return new ModelBuilder(schema, typeMap).build();
}

class ModelBuilder {
  private readonly provider: Provider;
  private readonly multiSchema: boolean;
  private readonly blocks: ScannedBlock[];
  private readonly blocksByKey = new Map<string, ScannedBlock>();
  private readonly modelsByName = new Map<string, DmmfModel>();
  private readonly enumsByName = new Map<string, DmmfEnum>();
  private readonly tables = new Map<string, TableModel>();
  private readonly partialIndexes: boolean;

  constructor(
    private readonly schema: LoadedSchema,
    private readonly typeMap: TypeMap,
  ) {
    this.provider = schema.provider;
    this.multiSchema = (schema.schemas?.length ?? 0) > 0;
    this.partialIndexes = schema.previewFeatures.includes('partialIndexes');
    this.blocks = scanSchema(schema.files);
    for (const b of this.blocks) this.blocksByKey.set(`${b.kind}:${b.name}`, b);
    for (const m of schema.datamodel.models) this.modelsByName.set(m.name, m);
    for (const e of schema.datamodel.enums) this.enumsByName.set(e.name, e);
  }

  build(): { model: DatabaseModel; ignored: IgnoredObjects; warnings: string[] } {
    // Views are not tables; Prisma Migrate does not create them.
    const models = this.schema.datamodel.models.filter((m) => !this.block('view', m.name));
    for (const m of models) this.tables.set(m.name, this.table(m));
    if (this.usesForeignKeys()) {
      for (const m of models) this.tables.get(m.name)!.foreignKeys.push(...this.foreignKeys(m));
      if (this.provider === 'mysql') for (const t of this.tables.values()) addImplicitForeignKeyIndexes(t);
    }
    const joinTables = this.joinTables(models);
    const model: DatabaseModel = {
      tables: [...this.tables.values(), ...joinTables],
      enums: this.provider === 'postgresql' ? this.schema.datamodel.enums.map((e) => this.enumModel(e)) : [],
    };
    const extensions = this.extensions(model.tables);
    if (extensions.length > 0) model.extensions = extensions;
    return { model, ignored: this.ignored(), warnings: this.usesForeignKeys() ? [] : this.unindexedRelations(models) };
  }

  /**
   * Prisma's validation warning under `relationMode = "prisma"`: without
   * foreign keys the database makes no index for a relation's fields, so one
   * that no index or primary key leads with makes its queries scan.
   */
  private unindexedRelations(models: DmmfModel[]): string[] {
    const out: string[] = [];
    for (const m of models) {
      const table = this.tables.get(m.name);
      if (!table) continue;
      for (const f of m.fields) {
        if (f.kind !== 'object' || !f.relationFromFields || f.relationFromFields.length === 0) continue;
        const columns = f.relationFromFields.map((n) => this.columnName(m, n));
        const leads = (keys: string[]) => columns.every((c, i) => keys[i] === c);
        if ((table.primaryKey && leads(table.primaryKey.columns)) || table.indexes.some((i) => !i.using && leads(i.columns.map((c) => c.name)))) continue;
        out.push(
          `relationMode = "prisma": relation ${m.name}.${f.name} has no index on ${f.relationFromFields.join(', ')} (no foreign key makes one); ` +
            `add @@index([${f.relationFromFields.join(', ')}]) to model ${m.name}, as Prisma recommends`,
        );
      }
    }
    return out;
  }

  private isView(modelName: string): boolean {
    return this.block('view', modelName) !== undefined;
  }

  /**
   * The datasource's `extensions` (PostgreSQL), then those the schema needs
   * but does not list (a type, operator class or default function that comes
   * from one), each with what needs it.
   */
  private extensions(tables: TableModel[]): ExtensionModel[] {
    if (this.provider !== 'postgresql') return [];
    const datasource = this.blocks.find((b) => b.kind === 'datasource');
    const listed = datasourceExtensions(datasource?.properties.extensions);
    const needed = new Map<string, string>();
    const need = (kind: 'type' | 'opclass' | 'default', sql: string, what: string) => {
      const name = this.typeMap.extensionFor?.({ kind, sql });
      if (name && !listed.some((x) => x.name === name) && !needed.has(name)) needed.set(name, what);
    };
    for (const t of tables) {
      for (const c of t.columns) {
        if (!c.enumType) need('type', c.type, `the ${c.type} type of ${qualifiedName(t)}.${c.name}`);
        if (c.default !== undefined) need('default', c.default, `the default ${c.default} of ${qualifiedName(t)}.${c.name}`);
      }
      for (const i of t.indexes) for (const c of i.columns) if (c.opclass) need('opclass', c.opclass, `the operator class ${c.opclass} of index ${i.name}`);
    }
    return [...listed, ...[...needed].map(([name, requiredBy]) => ({ name, requiredBy }))];
  }

  private block(kind: ScannedBlock['kind'], name: string): ScannedBlock | undefined {
    return this.blocksByKey.get(`${kind}:${name}`);
  }

  /** `relationMode = "prisma"` emulates relations: no foreign keys in the database. */
  private usesForeignKeys(): boolean {
    const datasource = this.blocks.find((b) => b.kind === 'datasource');
    return unquote(datasource?.properties.relationMode) !== 'prisma';
  }

  private tableName(m: DmmfModel): string {
    return m.dbName ?? m.name;
  }

  private tableSchema(m: DmmfModel): string | undefined {
    return this.multiSchema ? (m.schema ?? this.block('model', m.name)?.schema ?? undefined) : undefined;
  }

  private columnName(m: DmmfModel, fieldName: string): string {
    const field = m.fields.find((f) => f.name === fieldName);
    if (field) return field.dbName ?? field.name;
    // @ignore and Unsupported fields are not in the DMMF, but indexes may use them.
    const scanned = this.block('model', m.name)?.fields.find((f) => f.name === fieldName);
    if (scanned) return scanned.dbName;
    throw new ReviseError(`field '${fieldName}' not found on model '${m.name}'`);
  }

  private enumSqlName(name: string): string {
    const e = this.enumsByName.get(name);
    return e?.dbName ?? name;
  }

  private enumSchema(name: string): string | undefined {
    return this.multiSchema ? this.block('enum', name)?.schema : undefined;
  }

  private fieldType(f: DmmfField): PrismaFieldType {
    const type: PrismaFieldType = { type: f.type, kind: f.kind === 'enum' ? 'enum' : 'scalar', isList: f.isList };
    if (f.nativeType) type.nativeType = { name: f.nativeType[0], args: f.nativeType[1] ?? [] };
    // MySQL spells an enum's values in each column's type.
    if (f.kind === 'enum' && this.provider === 'mysql') type.enumValues = this.enumsByName.get(f.type)?.values.map((v) => v.dbName ?? v.name) ?? [];
    return type;
  }

  private table(m: DmmfModel): TableModel {
    const name = this.tableName(m);
    const indexes = this.schema.datamodel.indexes.filter((i) => i.model === m.name);
    const scanned = this.block('model', m.name);
    const partial = this.partialIndexes && scanned ? partialIndexSources(scanned) : [];
    const id = indexes.find((i) => i.type === 'id');
    const pkColumns = id?.fields.map((f) => this.columnName(m, f.name)) ?? [];

    const columns = m.fields
      .filter((f) => f.kind === 'scalar' || f.kind === 'enum')
      .map((f) => this.column(f, id !== undefined && id.fields.length === 1 && id.fields[0].name === f.name));

    const table: TableModel = { name, columns, indexes: [], foreignKeys: [] };
    const schema = this.tableSchema(m);
    if (schema !== undefined) table.schema = schema;

    if (id) {
      table.primaryKey = { columns: pkColumns };
      // SQLite keeps no name for a primary key (Prisma writes none).
      if (this.provider === 'postgresql') table.primaryKey.name = id.dbName ?? primaryKeyName(name, this.provider);
    }

    for (const index of indexes) {
      if (index.type !== 'unique' && index.type !== 'normal' && index.type !== 'fulltext') continue;
      const cols = index.fields.map((f) => this.columnName(m, f.name));
      const unique = index.type === 'unique';
      const model: IndexModel = {
        name: index.dbName ?? (unique ? uniqueIndexName : indexName)(name, cols, this.provider),
        columns: index.fields.map((f, i) => {
          const col: IndexModel['columns'][number] = { name: cols[i] };
          if (f.sortOrder === 'desc') col.sort = 'DESC';
          if (f.operatorClass) col.opclass = operatorClassSql(f.operatorClass);
          if (f.length !== undefined && this.keepsPrefixLength(table, cols[i]!, f.length)) col.length = f.length;
          return col;
        }),
        unique,
      };
      if (index.algorithm && index.algorithm.toLowerCase() !== 'btree') model.using = index.algorithm.toLowerCase();
      if (index.type === 'fulltext') model.using = 'fulltext';
      const where = this.partialIndexes ? this.predicate(m, index, partial) : undefined;
      if (where !== undefined) model.where = where;
      table.indexes.push(model);
    }
    return table;
  }

  /**
   * MySQL keeps an index prefix length only on a string or binary column
   * shorter than it (it drops `(100)` on an ENUM or a VARCHAR(100) and reports
   * none), so the schema's is kept only where the database keeps it.
   */
  private keepsPrefixLength(table: TableModel, column: string, length: number): boolean {
    if (this.provider !== 'mysql') return true;
    const type = table.columns.find((c) => c.name === column)?.type.toUpperCase() ?? '';
    const match = /^(VARCHAR|CHAR|VARBINARY|BINARY)\((\d+)\)$/.exec(type);
    if (match) return length < Number(match[2]);
    return /^(TINY|MEDIUM|LONG)?(TEXT|BLOB)$/.test(type);
  }

  /** The `where:` of a DMMF index (found by kind, fields and `map:`), as Prisma's engine writes it. */
  private predicate(m: DmmfModel, index: DmmfIndex, sources: PartialIndexSource[]): string | undefined {
    const fields = index.fields.map((f) => f.name).join('\u0000');
    const source = sources.find((s) => s.type === index.type && s.fields.join('\u0000') === fields && s.map === index.dbName);
    return source ? whereSql(source.where, (field) => this.columnName(m, field), this.provider) : undefined;
  }

  private column(f: DmmfField, isSolePrimaryKey: boolean): ColumnModel {
    const type = this.fieldType(f);
    const enumName = f.kind === 'enum' ? this.enumSqlName(f.type) : undefined;
    const column: ColumnModel = {
      name: f.dbName ?? f.name,
      type: this.typeMap.sqlType(type, enumName),
      // Prisma leaves list columns nullable on PostgreSQL.
      nullable: !f.isRequired || f.isList,
    };
    const def = f.default as PrismaDefault | undefined;
    const isAutoincrementDefault = isFunction(def, 'autoincrement');
    if (this.provider === 'sqlite') {
      // An Int that is the whole primary key becomes the rowid alias: INTEGER PRIMARY KEY AUTOINCREMENT.
      if (isSolePrimaryKey && f.type === 'Int' && f.kind === 'scalar') column.autoincrement = true;
    } else if (isAutoincrementDefault) {
      column.autoincrement = true;
    }
    if (f.isList) column.isList = true;
    if (enumName !== undefined && this.provider === 'postgresql') {
      column.enumType = { name: enumName };
      const schema = this.enumSchema(f.type);
      if (schema !== undefined) column.enumType.schema = schema;
    }
    if (def !== undefined && !isAutoincrementDefault) {
      const value = f.kind === 'enum' ? this.enumValueDbNames(f.type, def) : def;
      const sql = this.typeMap.sqlDefault(value, type, enumName);
      if (sql !== undefined) column.default = sql;
    }
    return column;
  }

  /** Enum defaults name Prisma values; the database stores their @map names. */
  private enumValueDbNames(enumName: string, value: PrismaDefault): PrismaDefault {
    const e = this.enumsByName.get(enumName);
    const dbName = (v: unknown) =>
      typeof v === 'string' ? (e?.values.find((x) => x.name === v)?.dbName ?? v) : v;
    if (Array.isArray(value)) return value.map(dbName);
    return typeof value === 'string' ? (dbName(value) as string) : value;
  }

  private foreignKeys(m: DmmfModel): ForeignKeyModel[] {
    const table = this.tableName(m);
    const scanned = this.block('model', m.name);
    const out: ForeignKeyModel[] = [];
    for (const f of m.fields) {
      if (f.kind !== 'object' || !f.relationFromFields || f.relationFromFields.length === 0) continue;
      const target = this.modelsByName.get(f.type);
      if (!target) continue; // the other side is @@ignore'd: Prisma validates that case away
      if (this.isView(target.name)) continue; // a view has no keys to point at: Prisma creates no foreign key
      const columns = f.relationFromFields.map((n) => this.columnName(m, n));
      const anyRequired = f.relationFromFields.some((n) => m.fields.find((x) => x.name === n)?.isRequired);
      const fk: ForeignKeyModel = {
        name: scanned?.fields.find((x) => x.name === f.name)?.relationMap ?? foreignKeyName(table, columns, this.provider),
        columns,
        referencedTable: this.tableName(target),
        referencedColumns: (f.relationToFields ?? []).map((n) => this.columnName(target, n)),
        onDelete: f.relationOnDelete ? ACTIONS[f.relationOnDelete] : anyRequired ? 'RESTRICT' : 'SET NULL',
        onUpdate: f.relationOnUpdate ? ACTIONS[f.relationOnUpdate] : 'CASCADE',
      };
      const referencedSchema = this.tableSchema(target);
      if (referencedSchema !== undefined) fk.referencedSchema = referencedSchema;
      out.push(fk);
    }
    return out;
  }

  /** Implicit many-to-many relations: both sides are lists and neither holds the foreign key. */
  private joinTables(models: DmmfModel[]): TableModel[] {
    const seen = new Set<string>();
    const out: TableModel[] = [];
    for (const m of models) {
      for (const f of m.fields) {
        if (f.kind !== 'object' || !f.isList || !f.relationName || seen.has(f.relationName)) continue;
        if (f.relationFromFields && f.relationFromFields.length > 0) continue;
        const other = this.modelsByName.get(f.type);
        const back = other?.fields.filter((x) => x.kind === 'object' && x.relationName === f.relationName && x !== f);
        const isManyToMany = other !== undefined && back !== undefined && back.length > 0 && back.every((x) => x.isList);
        if (!isManyToMany || this.isView(m.name) || this.isView(other.name)) continue;
        seen.add(f.relationName);
        // Column A points at the model whose name sorts first.
        const [a, b] = m.name <= other.name ? [m, other] : [other, m];
        out.push(this.joinTable(f.relationName, a, b));
      }
    }
    return out;
  }

  private joinTable(relationName: string, a: DmmfModel, b: DmmfModel): TableModel {
    const names = joinTableNames(relationName, this.provider);
    const idColumn = (m: DmmfModel, column: 'A' | 'B'): { column: ColumnModel; referenced: string } => {
      const id = this.schema.datamodel.indexes.find((i) => i.model === m.name && i.type === 'id');
      const idField = m.fields.find((f) => f.name === id?.fields[0]?.name);
      if (!idField) throw new ReviseError(`model '${m.name}' in many-to-many relation '${relationName}' has no id`);
      const type = this.fieldType(idField);
      const enumName = idField.kind === 'enum' ? this.enumSqlName(idField.type) : undefined;
      return {
        column: { name: column, type: this.typeMap.sqlType(type, enumName), nullable: false },
        referenced: idField.dbName ?? idField.name,
      };
    };
    const colA = idColumn(a, 'A');
    const colB = idColumn(b, 'B');
    const table: TableModel = {
      name: names.table,
      columns: [colA.column, colB.column],
      indexes: [],
      foreignKeys: [],
    };
    const schema = this.tableSchema(a);
    if (schema !== undefined) table.schema = schema;
    if (this.provider === 'postgresql') {
      table.primaryKey = { name: names.uniqueName, columns: ['A', 'B'] };
    } else {
      table.indexes.push({ name: names.uniqueName, columns: [{ name: 'A' }, { name: 'B' }], unique: true });
    }
    table.indexes.push({ name: names.indexName, columns: [{ name: 'B' }], unique: false });
    if (this.usesForeignKeys()) {
      for (const [fkName, column, target, referenced] of [
        [names.foreignKeyA, 'A', a, colA.referenced],
        [names.foreignKeyB, 'B', b, colB.referenced],
      ] as const) {
        const fk: ForeignKeyModel = {
          name: fkName,
          columns: [column],
          referencedTable: this.tableName(target),
          referencedColumns: [referenced],
          onDelete: 'CASCADE',
          onUpdate: 'CASCADE',
        };
        const referencedSchema = this.tableSchema(target);
        if (referencedSchema !== undefined) fk.referencedSchema = referencedSchema;
        table.foreignKeys.push(fk);
      }
    }
    return table;
  }

  private enumModel(e: DmmfEnum): EnumModel {
    const model: EnumModel = { name: e.dbName ?? e.name, values: e.values.map((v) => v.dbName ?? v.name) };
    const schema = this.enumSchema(e.name);
    if (schema !== undefined) model.schema = schema;
    return model;
  }

  private ignored(): IgnoredObjects {
    const modelNames = new Set(this.blocks.filter((b) => b.kind === 'model' || b.kind === 'view').map((b) => b.name));
    const key = (b: ScannedBlock) => qualifiedName({ schema: this.multiSchema ? b.schema : undefined, name: b.dbName });
    const ignored: IgnoredObjects = { tables: [], columns: {}, partialIndexes: !this.partialIndexes };
    for (const b of this.blocks) {
      // A view block is not a table: one of its name in the database is never altered or dropped.
      if (b.kind === 'view') ignored.tables.push(key(b));
      if (b.kind !== 'model') continue;
      if (b.ignored) {
        ignored.tables.push(key(b));
        continue;
      }
      // Relation fields (typed by a model) have no column of their own.
      const columns = b.fields.filter((f) => (f.ignored || f.unsupported) && !modelNames.has(f.type)).map((f) => f.dbName);
      if (columns.length > 0) ignored.columns[key(b)] = columns;
    }
    return ignored;
  }
}

/**
 * MySQL needs an index whose leading columns are a foreign key's and creates
 * one, named after the constraint, when the table has none: part of the
 * database Prisma Migrate builds, so part of the model (an index the schema
 * adds on those columns later is that index renamed, as Prisma's engine does).
 */
function addImplicitForeignKeyIndexes(table: TableModel): void {
  const leads = (columns: string[], fk: ForeignKeyModel) => fk.columns.every((c, i) => columns[i] === c);
  for (const fk of table.foreignKeys) {
    const covered =
      (table.primaryKey && leads(table.primaryKey.columns, fk)) ||
      table.indexes.some((i) => !i.using && leads(i.columns.map((c) => c.name), fk));
    if (!covered) table.indexes.push({ name: fk.name, columns: fk.columns.map((name) => ({ name })), unique: false });
  }
}

function isFunction(value: PrismaDefault | undefined, name: string): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && value.name === name;
}

/**
 * Prisma's named operator classes (`JsonbPathOps`, `Int4MinMaxMultiOps`) as
 * PostgreSQL spells them (`jsonb_path_ops`, `int4_minmax_multi_ops`);
 * `raw("...")` ones arrive already in SQL spelling and pass through.
 */
export function operatorClassSql(name: string): string {
  if (!/^[A-Z][A-Za-z0-9]*$/.test(name)) return name;
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/(^|_)min_max(?=_|$)/g, '$1minmax')
    .replace(/(^|_)timestamp_tz(?=_|$)/g, '$1timestamptz')
    .replace(/(^|_)time_tz(?=_|$)/g, '$1timetz')
    .replace(/(^|_)var_bit(?=_|$)/g, '$1varbit')
    .replace(/(^|_)mac_addr/g, '$1macaddr');
}
