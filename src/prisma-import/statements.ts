import type { DialectName } from '../dialect/types.js';
import { splitTopLevel } from '../model/sql-split.js';
import { stripComments } from './split.js';

/**
 * What a migration's statements say beyond the schema change introspection
 * sees: which tables, columns and enum values they rename (so the downgrade
 * renames them back instead of dropping and re-adding), which write data
 * (a downgrade cannot take that back), and which create or drop objects the
 * table model does not hold (views, functions, triggers, policies, CHECK
 * constraints), which the downgrade handles from the statements themselves.
 */

const IDENT = String.raw`(?:"(?:[^"]|"")+"|\`[^\`]+\`|[A-Za-z_][\w$]*)`;
const QUALIFIED = String.raw`${IDENT}(?:\s*\.\s*${IDENT})?`;

/** An identifier as the database stores it: quotes removed, an unquoted name folded (PostgreSQL folds to lower case). */
export function unquote(ident: string, foldCase: boolean): string {
  const t = ident.trim();
  if (t.startsWith('"')) return t.slice(1, -1).replace(/""/g, '"');
  if (t.startsWith('`')) return t.slice(1, -1);
  return foldCase ? t.toLowerCase() : t;
}

/** `"schema"."name"` -> { schema, name }. */
export function qualified(text: string, foldCase: boolean): { schema?: string; name: string } {
  const parts = [...text.matchAll(new RegExp(IDENT, 'g'))].map((m) => unquote(m[0], foldCase));
  return parts.length > 1 ? { schema: parts[0]!, name: parts[1]! } : { name: parts[0]! };
}

export interface StatementRenames {
  /** Table renames in statement order: from -> to (names without schema). */
  tables: Array<{ schema?: string; from: string; to: string }>;
  columns: Array<{ table: { schema?: string; name: string }; from: string; to: string }>;
  enumValues: Array<{ type: { schema?: string; name: string }; from: string; to: string }>;
}

const sqlString = (text: string): string => text.slice(1, -1).replace(/''/g, "'");

/** The renames a migration's statements spell out. */
export function renamesIn(statements: string[], foldCase: boolean): StatementRenames {
  const found: StatementRenames = { tables: [], columns: [], enumValues: [] };
  const table = new RegExp(String.raw`^ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?(${QUALIFIED})\s+RENAME\s+TO\s+(${IDENT})\s*;?$`, 'i');
  const column = new RegExp(String.raw`^ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?(${QUALIFIED})\s+RENAME\s+(?:COLUMN\s+)?(${IDENT})\s+TO\s+(${IDENT})\s*;?$`, 'i');
  // MySQL: RENAME TABLE a TO b[, c TO d ...]
  const renameTable = new RegExp(String.raw`^RENAME\s+TABLE\s+(${QUALIFIED}\s+TO\s+${QUALIFIED}(?:\s*,\s*${QUALIFIED}\s+TO\s+${QUALIFIED})*)\s*;?$`, 'i');
  const value = new RegExp(String.raw`^ALTER\s+TYPE\s+(${QUALIFIED})\s+RENAME\s+VALUE\s+('(?:[^']|'')*')\s+TO\s+('(?:[^']|'')*')\s*;?$`, 'i');
  for (const statement of statements) {
    const code = stripComments(statement).trim();
    let m = renameTable.exec(code);
    if (m) {
      for (const pair of m[1]!.matchAll(new RegExp(String.raw`(${QUALIFIED})\s+TO\s+(${QUALIFIED})`, 'gi'))) {
        const from = qualified(pair[1]!, foldCase);
        found.tables.push({ ...(from.schema ? { schema: from.schema } : {}), from: from.name, to: qualified(pair[2]!, foldCase).name });
      }
      continue;
    }
    m = table.exec(code);
    if (m) {
      const from = qualified(m[1]!, foldCase);
      found.tables.push({ ...(from.schema ? { schema: from.schema } : {}), from: from.name, to: unquote(m[2]!, foldCase) });
      continue;
    }
    m = column.exec(code);
    if (m) {
      found.columns.push({ table: qualified(m[1]!, foldCase), from: unquote(m[2]!, foldCase), to: unquote(m[3]!, foldCase) });
      continue;
    }
    m = value.exec(code);
    if (m) found.enumValues.push({ type: qualified(m[1]!, foldCase), from: sqlString(m[2]!), to: sqlString(m[3]!) });
  }
  return found;
}

/** The first keywords of a statement, upper-cased, comments and extra spaces removed. */
export function leadingWords(statement: string, count = 6): string {
  return stripComments(statement).trim().split(/\s+/).slice(0, count).join(' ').toUpperCase();
}

/** Transaction control a script may carry: revise runs each revision in its own transaction already. */
export function isTransactionControl(statement: string): boolean {
  return /^(BEGIN|COMMIT|END|START TRANSACTION|ROLLBACK)( TRANSACTION| WORK)?;?$/.test(leadingWords(statement).replace(/;$/, ''));
}

/** A statement that writes rows: INSERT, UPDATE, DELETE, MERGE, TRUNCATE, COPY. */
export function writesData(statement: string): { kind: string; table?: string } | undefined {
  const code = stripComments(statement).trim();
  const m = new RegExp(String.raw`^(?:WITH\b[\s\S]*?\)\s*)?(INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM|MERGE\s+INTO|TRUNCATE(?:\s+TABLE)?|COPY)\s+(?:ONLY\s+)?(${QUALIFIED})`, 'i').exec(code);
  if (!m) return undefined;
  return { kind: m[1]!.split(/\s+/)[0]!.toUpperCase(), table: m[2]! };
}

/** An object the table model does not hold, named the way its DROP statement needs. */
export interface UnmodelledObject {
  /** `VIEW`, `MATERIALIZED VIEW`, `FUNCTION`, `PROCEDURE`, `TRIGGER`, `POLICY`, `CONSTRAINT` (CHECK / EXCLUDE), `DOMAIN`, `TYPE`, `SEQUENCE`, `RULE`. */
  kind: string;
  /** The object's name as written (quotes kept). */
  name: string;
  /** Triggers, policies, rules and constraints belong to a table: `ON <table>`. */
  on?: string;
  /** Identity across the history: kind, table and name as the database stores them. */
  key: string;
}

export interface UnmodelledStatement {
  action: 'create' | 'replace' | 'drop';
  object: UnmodelledObject;
}

function objectKey(kind: string, name: string, on: string | undefined, foldCase: boolean): string {
  // SQLite's trigger names are unique in the database (its DROP TRIGGER names no table); PostgreSQL's per table.
  if (!foldCase && kind === 'TRIGGER') on = undefined;
  const q = (text: string) => {
    const { schema, name: n } = qualified(text, foldCase);
    return schema ? `${schema}.${n}` : n;
  };
  return `${kind}:${on ? `${q(on)}:` : ''}${q(name)}`;
}

/** MySQL's `CREATE [ALGORITHM=...] [DEFINER=...] [SQL SECURITY ...] VIEW | TRIGGER | FUNCTION`. */
const MYSQL_OPTIONS = String.raw`(?:(?:ALGORITHM\s*=\s*\w+|DEFINER\s*=\s*\S+|SQL\s+SECURITY\s+\w+)\s+)*`;

/**
 * A CREATE / CREATE OR REPLACE / DROP of an object outside the table model,
 * or undefined for every other statement. Enum types (`CREATE TYPE ... AS
 * ENUM`) are in the model; other types are not.
 */
export function unmodelledStatement(statement: string, foldCase: boolean): UnmodelledStatement | undefined {
  const code = stripComments(statement).trim();
  const make = (action: UnmodelledStatement['action'], kind: string, name: string, on?: string): UnmodelledStatement => ({
    action,
    object: { kind, name: name.trim(), ...(on ? { on: on.trim() } : {}), key: objectKey(kind, name, on, foldCase) },
  });
  let m = new RegExp(
    String.raw`^CREATE\s+(OR\s+REPLACE\s+)?${MYSQL_OPTIONS}(?:TEMP(?:ORARY)?\s+)?(?:RECURSIVE\s+)?(MATERIALIZED\s+VIEW|VIEW|FUNCTION|PROCEDURE|DOMAIN|SEQUENCE|TYPE)\s+(?:IF\s+NOT\s+EXISTS\s+)?(${QUALIFIED})`,
    'i',
  ).exec(code);
  if (m) {
    const kind = m[2]!.toUpperCase().replace(/\s+/g, ' ');
    if (kind === 'TYPE' && /\bAS\s+ENUM\b/i.test(code)) return undefined;
    return make(m[1] ? 'replace' : 'create', kind, m[3]!);
  }
  m = new RegExp(String.raw`^CREATE\s+(OR\s+REPLACE\s+)?${MYSQL_OPTIONS}(?:CONSTRAINT\s+)?(?:TEMP(?:ORARY)?\s+)?(TRIGGER|POLICY|RULE)\s+(?:IF\s+NOT\s+EXISTS\s+)?(${QUALIFIED})[\s\S]*?\bON\s+(?:ONLY\s+)?(${QUALIFIED})`, 'i').exec(code);
  if (m) return make(m[1] ? 'replace' : 'create', m[2]!.toUpperCase(), m[3]!, m[4]!);
  m = new RegExp(String.raw`^ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?(${QUALIFIED})\s+ADD\s+CONSTRAINT\s+(${IDENT})\s+(CHECK|EXCLUDE)\b`, 'i').exec(code);
  if (m) return make('create', 'CONSTRAINT', m[2]!, m[1]!);
  // MySQL 8 also spells it DROP CHECK.
  m = new RegExp(String.raw`^ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?(${QUALIFIED})\s+DROP\s+(?:CONSTRAINT|CHECK)\s+(?:IF\s+EXISTS\s+)?(${IDENT})`, 'i').exec(code);
  if (m) return make('drop', 'CONSTRAINT', m[2]!, m[1]!);
  m = new RegExp(
    String.raw`^DROP\s+(MATERIALIZED\s+VIEW|VIEW|FUNCTION|PROCEDURE|DOMAIN|SEQUENCE|TYPE|TRIGGER|POLICY|RULE)\s+(?:IF\s+EXISTS\s+)?(${QUALIFIED})(?:[\s\S]*?\bON\s+(${QUALIFIED}))?`,
    'i',
  ).exec(code);
  if (m) {
    const kind = m[1]!.toUpperCase().replace(/\s+/g, ' ');
    const onTable = kind === 'TRIGGER' || kind === 'POLICY' || kind === 'RULE' ? m[3] : undefined;
    return make('drop', kind, m[2]!, onTable);
  }
  return undefined;
}

/** What a statement does outside the table model, with the statement that makes each object again. */
export interface UnmodelledChange extends UnmodelledStatement {
  /** The statement for this object alone: an `ALTER TABLE` with several constraint clauses gives one per clause. */
  sql: string;
}

/**
 * Every object outside the table model a statement creates or drops. One
 * `ALTER TABLE` may add or drop several CHECK constraints (and change
 * columns besides): each constraint clause counts, with its own statement.
 */
export function unmodelledChanges(statement: string, foldCase: boolean): UnmodelledChange[] {
  const code = stripComments(statement).trim().replace(/;$/, '');
  const alter = new RegExp(String.raw`^ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?(${QUALIFIED})\s+([\s\S]+)$`, 'i').exec(code);
  if (alter) {
    const table = alter[1]!;
    const found: UnmodelledChange[] = [];
    for (const clause of splitTopLevel(alter[2]!).map((c) => c.trim()).filter((c) => c !== '')) {
      const single = `ALTER TABLE ${table} ${clause}`;
      const change = unmodelledStatement(single, foldCase);
      if (change) found.push({ ...change, sql: single });
    }
    return found;
  }
  const change = unmodelledStatement(statement, foldCase);
  return change ? [{ ...change, sql: statement }] : [];
}

/** `DROP <kind> IF EXISTS <name> [ON <table>]`: the statement that removes what a CREATE made. */
export function dropStatement(object: UnmodelledObject, dialect: DialectName): string {
  // MySQL 8 has no IF EXISTS there (MariaDB has).
  if (object.kind === 'CONSTRAINT') return `ALTER TABLE ${object.on} DROP CONSTRAINT ${dialect === 'mysql' ? '' : 'IF EXISTS '}${object.name}`;
  // SQLite and MySQL name a trigger alone (its name is the schema's); PostgreSQL also names its table.
  const on = object.on && dialect === 'postgresql' ? ` ON ${object.on}` : '';
  return `DROP ${object.kind} IF EXISTS ${object.name}${on}`;
}
