/**
 * The neutral database model. Both sides of a comparison are expressed in it:
 * the Prisma schema (through the DMMF, see src/schema) and a live database
 * (through a dialect's introspector). Operations carry pieces of it, and
 * revision files freeze it as table shapes. Plain JSON-able data only.
 *
 * Types and defaults are SQL text as the target dialect spells them after the
 * dialect's own normalisation (upper-case type names, e.g. `INTEGER`,
 * `TIMESTAMP(3)`, `DECIMAL(65,30)`; defaults as SQL expressions such as
 * `'abc'`, `0`, `CURRENT_TIMESTAMP`, `now()`), so that comparing two models is
 * comparing strings.
 */

export interface ColumnModel {
  name: string;
  /** SQL type without nullability, e.g. `TEXT`, `INTEGER`, `VARCHAR(255)`, an enum type name on PostgreSQL. */
  type: string;
  nullable: boolean;
  /** SQL default expression, already normalised by the dialect; absent when the column has none. */
  default?: string;
  /** SQLite `INTEGER PRIMARY KEY AUTOINCREMENT`; PostgreSQL SERIAL / BIGSERIAL / SMALLSERIAL (sequence-owned default). */
  autoincrement?: boolean;
  /** PostgreSQL arrays (`TEXT[]`): `type` holds the element type. */
  isList?: boolean;
  /** When `type` names a user-defined enum (PostgreSQL), its schema-qualified identity. */
  enumType?: { schema?: string; name: string };
}

export interface PrimaryKeyModel {
  /** Constraint name; SQLite does not keep one for a primary key, so it is optional there. */
  name?: string;
  columns: string[];
}

export type SortOrder = 'ASC' | 'DESC';

export interface IndexColumnModel {
  /** The column's name; with `expression`, an SQL expression as the database spells it (e.g. `lower(email)`). */
  name: string;
  /** The key is an expression, not a column. Prisma cannot express such an index: autogenerate leaves it alone. */
  expression?: boolean;
  sort?: SortOrder;
  /** PostgreSQL operator class, e.g. `gin_trgm_ops`. */
  opclass?: string;
  /** Prefix length (MySQL); kept for completeness. */
  length?: number;
}

export interface IndexModel {
  name: string;
  columns: IndexColumnModel[];
  unique: boolean;
  /** PostgreSQL access method: BTree (default), Hash, Gist, Gin, SpGist, Brin. Lower-case SQL spelling: `btree`, `gin`... */
  using?: string;
  /**
   * Partial index predicate, SQL as the database or Prisma's engine spells it
   * (compared in a canonical form, see src/model/sql-text.ts). Prisma creates
   * them only with the `partialIndexes` preview feature; without it a partial
   * index in the database is left alone.
   */
  where?: string;
  /**
   * PostgreSQL covering columns (`INCLUDE ("id")`) and storage parameters
   * (`WITH (fillfactor=90)`, as `fillfactor=90`): hand-tuning Prisma's schema
   * cannot write. Kept so that an index revise drops comes back whole; never
   * compared (see indexDefinition).
   */
  include?: string[];
  storage?: string[];
}

export type ReferentialAction = 'CASCADE' | 'RESTRICT' | 'NO ACTION' | 'SET NULL' | 'SET DEFAULT';

export interface ForeignKeyModel {
  /** Constraint name (Prisma: `Model_field_fkey`). */
  name: string;
  columns: string[];
  referencedSchema?: string;
  referencedTable: string;
  referencedColumns: string[];
  onDelete: ReferentialAction;
  onUpdate: ReferentialAction;
}

export interface TableModel {
  /** Database schema (PostgreSQL namespace); undefined means the connection's default schema. */
  schema?: string;
  name: string;
  columns: ColumnModel[];
  primaryKey?: PrimaryKeyModel;
  /** Indexes, including unique ones (Prisma creates @unique / @@unique as unique indexes). */
  indexes: IndexModel[];
  foreignKeys: ForeignKeyModel[];
}

export interface EnumModel {
  schema?: string;
  name: string;
  values: string[];
}

/** A PostgreSQL extension (`CREATE EXTENSION`). */
export interface ExtensionModel {
  /** As the database names it, e.g. `pg_trgm`, `uuid-ossp`. */
  name: string;
  /** The schema holding its objects; from a Prisma schema only when written (`schema: "x"`), else "wherever it is". */
  schema?: string;
  /** Its version; from a Prisma schema only when written (`version: "1.6"`), else "whichever is installed". */
  version?: string;
  /**
   * Prisma schema side only: the extension is not listed in the datasource but
   * something in the schema needs it (an operator class, a type, a default);
   * says what, for the comment in the revision file.
   */
  requiredBy?: string;
}

export interface DatabaseModel {
  tables: TableModel[];
  /** PostgreSQL enum types; always empty on SQLite (Prisma stores enums there as TEXT). */
  enums: EnumModel[];
  /**
   * PostgreSQL extensions (plpgsql left out). Absent when there are none:
   * on SQLite, on a database with none installed, and for a Prisma schema that
   * lists and needs none.
   */
  extensions?: ExtensionModel[];
}

/** `schema.name`, or `name` alone when the schema is the default. Used as a map key and in messages. */
export function qualifiedName(obj: { schema?: string; name: string }): string {
  return obj.schema ? `${obj.schema}.${obj.name}` : obj.name;
}

export function findTable(model: DatabaseModel, name: string, schema?: string): TableModel | undefined {
  return model.tables.find((t) => t.name === name && (t.schema ?? undefined) === (schema ?? undefined));
}
