import type { Connection, Dialect } from '../dialect/types.js';

/**
 * The names of what a schema holds outside the table model: CHECK and
 * EXCLUDE constraints, triggers, views, functions and procedures, policies
 * (what the database has of these). A downgrade is planned for them from the
 * migration's statements, and the table comparison cannot see them, so the
 * confirmation on the scratch database compares these names too: a CHECK the
 * downgrade failed to drop, or a view it failed to put back, makes it
 * "different from before" instead of passing unseen. Names only, sorted:
 * definitions come back in the database's own spelling.
 */
export async function unmodelledCatalog(connection: Connection, dialect: Dialect, schemas: string[] | undefined): Promise<string[]> {
  const rows = await connection.query<{ o: string }>(...catalogQuery(dialect, schemas));
  return rows.map((r) => String(r.o)).sort();
}

function catalogQuery(dialect: Dialect, schemas: string[] | undefined): [string, unknown[]] {
  if (dialect.name === 'postgresql') {
    // `$1` the schemas; without them, the connection's own.
    const inSchemas = (column: string) => (schemas ? `${column} = ANY($1::text[])` : `${column} = current_schema()`);
    const sql = [
      `SELECT 'constraint ' || n.nspname || '.' || c.relname || '.' || con.conname AS o FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE con.contype IN ('c', 'x') AND ${inSchemas('n.nspname')}`,
      `SELECT 'trigger ' || n.nspname || '.' || c.relname || '.' || t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT t.tgisinternal AND ${inSchemas('n.nspname')}`,
      `SELECT 'view ' || schemaname || '.' || viewname FROM pg_views WHERE ${inSchemas('schemaname')}`,
      `SELECT 'materialized view ' || schemaname || '.' || matviewname FROM pg_matviews WHERE ${inSchemas('schemaname')}`,
      // An extension's functions are the extension's (it is compared on its own).
      `SELECT 'function ' || n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE ${inSchemas('n.nspname')} AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')`,
      `SELECT 'policy ' || schemaname || '.' || tablename || '.' || policyname FROM pg_policies WHERE ${inSchemas('schemaname')}`,
    ].join(' UNION ALL ');
    return [sql, schemas ? [schemas] : []];
  }
  if (dialect.name === 'mysql') {
    const sql = [
      "SELECT CONCAT('constraint ', TABLE_NAME, '.', CONSTRAINT_NAME) AS o FROM information_schema.TABLE_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() AND CONSTRAINT_TYPE = 'CHECK'",
      "SELECT CONCAT('trigger ', TRIGGER_NAME) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()",
      "SELECT CONCAT('view ', TABLE_NAME) FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE()",
      "SELECT CONCAT(LOWER(ROUTINE_TYPE), ' ', ROUTINE_NAME) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()",
    ].join(' UNION ALL ');
    return [sql, []];
  }
  // SQLite: triggers and views (its CHECK constraints are part of a table's CREATE statement).
  return ["SELECT type || ' ' || name AS o FROM sqlite_master WHERE type IN ('trigger', 'view')", []];
}
