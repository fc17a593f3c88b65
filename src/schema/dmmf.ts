/**
 * The part of Prisma's DMMF datamodel revise reads (`get_datamodel` of
 * @prisma/prisma-schema-wasm). Kept local so the heavy @prisma packages are
 * never needed at type level.
 */

export interface DmmfField {
  name: string;
  /** `@map` name; absent or null when the column is named like the field. */
  dbName?: string | null;
  kind: 'scalar' | 'object' | 'enum' | 'unsupported';
  isList: boolean;
  isRequired: boolean;
  isUnique: boolean;
  isId: boolean;
  isUpdatedAt?: boolean;
  type: string;
  /** `@db.VarChar(255)` -> ['VarChar', ['255']] */
  nativeType?: [string, string[]] | null;
  hasDefaultValue: boolean;
  default?: unknown;
  relationName?: string;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
}

export interface DmmfModel {
  name: string;
  dbName: string | null;
  schema?: string | null;
  fields: DmmfField[];
  primaryKey: { name: string | null; fields: string[] } | null;
  uniqueFields: string[][];
  uniqueIndexes: Array<{ name: string | null; fields: string[] }>;
}

export interface DmmfEnum {
  name: string;
  dbName?: string | null;
  values: Array<{ name: string; dbName: string | null }>;
}

export interface DmmfIndexField {
  name: string;
  sortOrder?: 'asc' | 'desc';
  length?: number;
  operatorClass?: string;
}

export interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  isDefinedOnField: boolean;
  /** Explicit `map:` name; absent when Prisma's default name applies. */
  dbName?: string;
  /** `type:` of @@index on PostgreSQL: BTree, Hash, Gist, Gin, SpGist, Brin. */
  algorithm?: string;
  clustered?: boolean;
  fields: DmmfIndexField[];
}

export interface DmmfDatamodel {
  models: DmmfModel[];
  enums: DmmfEnum[];
  types: unknown[];
  indexes: DmmfIndex[];
}
