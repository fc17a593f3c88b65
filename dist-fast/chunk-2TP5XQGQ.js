// dist/dialect/sqlite/type-map.js
var SCALAR_TYPES = {
  String: "TEXT",
  Int: "INTEGER",
  BigInt: "BIGINT",
  Float: "REAL",
  Decimal: "DECIMAL",
  DateTime: "DATETIME",
  Boolean: "BOOLEAN",
  Json: "JSONB",
  Bytes: "BLOB"
};
var CLIENT_SIDE_DEFAULTS = /* @__PURE__ */ new Set(["autoincrement", "uuid", "cuid", "nanoid", "ulid", "sequence", "auto"]);
var KEYWORDS = /* @__PURE__ */ new Set(["CURRENT_TIMESTAMP", "CURRENT_DATE", "CURRENT_TIME", "NULL"]);
function quoteSqlString(value) {
  return `'${value.replace(/'/g, "''")}'`;
}
function normalizeSqliteType(sqlType) {
  return sqlType.trim().replace(/\s+/g, " ").replace(/\s*\(\s*/g, "(").replace(/\s*,\s*/g, ",").replace(/\s*\)/g, ")").toUpperCase();
}
function stripWrappingParens(expr) {
  let s = expr.trim();
  while (s.startsWith("(") && s.endsWith(")") && closingParenOf(s, 0) === s.length - 1) {
    s = s.slice(1, -1).trim();
  }
  return s;
}
function closingParenOf(s, open) {
  let depth = 0;
  let quote;
  for (let i = open; i < s.length; i++) {
    const ch = s[i];
    if (quote) {
      if (ch === quote)
        quote = s[i + 1] === quote ? (i++, quote) : void 0;
      continue;
    }
    if (ch === "'" || ch === '"')
      quote = ch;
    else if (ch === "(")
      depth++;
    else if (ch === ")" && --depth === 0)
      return i;
  }
  return -1;
}
function canonicalNumber(text) {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text.trim());
  if (!m || m[2] === "" && (m[3] ?? "") === "")
    return void 0;
  const int = m[2].replace(/^0+(?=\d)/, "") || "0";
  const frac = (m[3] ?? "").replace(/0+$/, "");
  const exp = m[4] !== void 0 ? `e${Number(m[4])}` : "";
  const body = (frac ? `${int}.${frac}` : int) + exp;
  const zero = /^0(\.0*)?$/.test(frac ? `${int}.${frac}` : int);
  return (m[1] === "-" && !zero ? "-" : "") + body;
}
function normalizeSqliteDefault(sqlDefault2, column) {
  const expr = stripWrappingParens(sqlDefault2);
  const upper = expr.toUpperCase();
  if (KEYWORDS.has(upper))
    return upper;
  if (upper === "TRUE" || upper === "FALSE")
    return upper.toLowerCase();
  const num = canonicalNumber(expr);
  if (num !== void 0) {
    if (normalizeSqliteType(column.type) === "BOOLEAN" && (num === "1" || num === "0"))
      return num === "1" ? "true" : "false";
    return num;
  }
  if (expr.length >= 2 && expr.startsWith('"') && expr.endsWith('"') && !expr.slice(1, -1).includes('"')) {
    return quoteSqlString(expr.slice(1, -1));
  }
  return expr;
}
function sqlDefault(value, field) {
  if (Array.isArray(value))
    return void 0;
  if (typeof value === "object" && value !== null) {
    const name = value.name.toLowerCase();
    if (name === "now")
      return "CURRENT_TIMESTAMP";
    if (name === "dbgenerated") {
      const expr = value.args[0];
      return typeof expr === "string" && expr.trim() !== "" ? normalizeSqliteDefault(expr, { type: sqliteSqlType(field) }) : void 0;
    }
    if (CLIENT_SIDE_DEFAULTS.has(name))
      return void 0;
    return void 0;
  }
  if (typeof value === "boolean")
    return value ? "true" : "false";
  if (typeof value === "number")
    return normalizeSqliteDefault(String(value), { type: sqliteSqlType(field) });
  if (typeof value === "string") {
    if ((field.type === "BigInt" || field.type === "Decimal" || field.type === "Int" || field.type === "Float") && canonicalNumber(value) !== void 0) {
      return canonicalNumber(value);
    }
    if (field.type === "Boolean" && (value === "true" || value === "false"))
      return value;
    if (field.type === "DateTime")
      return quoteSqlString(prismaDateTimeText(value));
    return quoteSqlString(value);
  }
  return void 0;
}
function prismaDateTimeText(value) {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?\s*(Z|[+-]\d{2}:?\d{2})$/i.exec(value.trim());
  if (!m)
    return value;
  const nanos = Number((m[3] ?? "").padEnd(9, "0").slice(0, 9) || "0");
  let fraction = "";
  if (nanos !== 0) {
    if (nanos % 1e6 === 0)
      fraction = "." + String(nanos / 1e6).padStart(3, "0");
    else if (nanos % 1e3 === 0)
      fraction = "." + String(nanos / 1e3).padStart(6, "0");
    else
      fraction = "." + String(nanos).padStart(9, "0");
  }
  const zone = m[4].toUpperCase() === "Z" ? "+00:00" : m[4].includes(":") ? m[4] : `${m[4].slice(0, 3)}:${m[4].slice(3)}`;
  return `${m[1]} ${m[2]}${fraction} ${zone}`;
}
function sqliteSqlType(field) {
  if (field.kind === "enum")
    return "TEXT";
  return SCALAR_TYPES[field.type] ?? "TEXT";
}
var sqliteTypeMap = {
  sqlType: (field) => sqliteSqlType(field),
  sqlDefault: (value, field) => sqlDefault(value, field),
  normalizeType: normalizeSqliteType,
  normalizeDefault: normalizeSqliteDefault
};

export {
  quoteSqlString,
  normalizeSqliteType,
  stripWrappingParens,
  normalizeSqliteDefault,
  prismaDateTimeText,
  sqliteTypeMap
};
