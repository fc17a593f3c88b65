// dist/dialect/postgres/type-map.js
var SCALAR_TYPES = {
  String: "TEXT",
  Int: "INTEGER",
  BigInt: "BIGINT",
  Float: "DOUBLE PRECISION",
  Decimal: "DECIMAL(65,30)",
  DateTime: "TIMESTAMP(3)",
  Boolean: "BOOLEAN",
  Json: "JSONB",
  Bytes: "BYTEA"
};
var NATIVE_TYPES = {
  VarChar: "VARCHAR",
  Char: "CHAR",
  Text: "TEXT",
  Uuid: "UUID",
  Xml: "XML",
  Inet: "INET",
  Citext: "CITEXT",
  Bit: "BIT",
  VarBit: "VARBIT",
  SmallInt: "SMALLINT",
  Integer: "INTEGER",
  BigInt: "BIGINT",
  Oid: "OID",
  Real: "REAL",
  DoublePrecision: "DOUBLE PRECISION",
  Decimal: "DECIMAL",
  Money: "MONEY",
  Timestamp: "TIMESTAMP",
  Timestamptz: "TIMESTAMPTZ",
  Date: "DATE",
  Time: "TIME",
  Timetz: "TIMETZ",
  Boolean: "BOOLEAN",
  Json: "JSON",
  JsonB: "JSONB",
  ByteA: "BYTEA"
};
var TYPE_ALIASES = {
  "INT": "INTEGER",
  "INT4": "INTEGER",
  "INTEGER": "INTEGER",
  "INT2": "SMALLINT",
  "SMALLINT": "SMALLINT",
  "INT8": "BIGINT",
  "BIGINT": "BIGINT",
  "SERIAL": "INTEGER",
  "SERIAL4": "INTEGER",
  "BIGSERIAL": "BIGINT",
  "SERIAL8": "BIGINT",
  "SMALLSERIAL": "SMALLINT",
  "SERIAL2": "SMALLINT",
  "FLOAT8": "DOUBLE PRECISION",
  "DOUBLE PRECISION": "DOUBLE PRECISION",
  "FLOAT": "DOUBLE PRECISION",
  "FLOAT4": "REAL",
  "REAL": "REAL",
  "NUMERIC": "DECIMAL",
  "DECIMAL": "DECIMAL",
  "CHARACTER VARYING": "VARCHAR",
  "VARCHAR": "VARCHAR",
  "CHARACTER": "CHAR",
  "CHAR": "CHAR",
  "BPCHAR": "CHAR",
  "BIT VARYING": "VARBIT",
  "VARBIT": "VARBIT",
  "BOOL": "BOOLEAN",
  "BOOLEAN": "BOOLEAN",
  "TIMESTAMP WITHOUT TIME ZONE": "TIMESTAMP",
  "TIMESTAMP": "TIMESTAMP",
  "TIMESTAMP WITH TIME ZONE": "TIMESTAMPTZ",
  "TIMESTAMPTZ": "TIMESTAMPTZ",
  "TIME WITHOUT TIME ZONE": "TIME",
  "TIME": "TIME",
  "TIME WITH TIME ZONE": "TIMETZ",
  "TIMETZ": "TIMETZ"
};
var LENGTH_ONE_BY_DEFAULT = /* @__PURE__ */ new Set(["CHAR", "BIT"]);
var NUMERIC_TYPES = /* @__PURE__ */ new Set(["SMALLINT", "INTEGER", "BIGINT", "REAL", "DOUBLE PRECISION", "DECIMAL", "OID", "MONEY"]);
function baseType(type) {
  return type.replace(/\(.*\)$/, "");
}
function normalizeType(sqlType2) {
  let text = sqlType2.trim();
  let arraySuffix = "";
  while (text.endsWith("[]")) {
    arraySuffix += "[]";
    text = text.slice(0, -2).trimEnd();
  }
  if (text.startsWith('"'))
    return text + arraySuffix;
  const match = /^([a-zA-Z_ ][a-zA-Z0-9_ ]*?)\s*(?:\(([^)]*)\))?\s*(with(?:out)? time zone)?$/i.exec(text);
  if (!match)
    return text + arraySuffix;
  const name = [match[1].trim(), match[3]].filter(Boolean).join(" ").replace(/\s+/g, " ").toUpperCase();
  const args = match[2]?.split(",").map((a) => a.trim()).join(",");
  const base = TYPE_ALIASES[name] ?? name;
  const withArgs = args !== void 0 && args !== "" ? `${base}(${args})` : LENGTH_ONE_BY_DEFAULT.has(base) ? `${base}(1)` : base;
  return withArgs + arraySuffix;
}
function sqlType(field, enumSqlName) {
  if (field.kind === "enum")
    return enumSqlName ?? field.type;
  if (field.nativeType) {
    const name = NATIVE_TYPES[field.nativeType.name] ?? field.nativeType.name;
    const args = field.nativeType.args;
    return normalizeType(args.length > 0 ? `${name}(${args.join(",")})` : name);
  }
  const scalar = SCALAR_TYPES[field.type];
  if (!scalar)
    throw new Error(`no PostgreSQL type for Prisma type ${field.type}`);
  return scalar;
}
function quoteString(value) {
  return `'${value.replace(/'/g, "''")}'`;
}
function sqlDefault(value, field, enumSqlName) {
  const column = { type: sqlType(field, enumSqlName) };
  if (Array.isArray(value)) {
    const elements = value.map((v) => scalarDefault(v, field, column.type));
    if (elements.some((e) => e === void 0))
      return void 0;
    return normalizeDefault(`ARRAY[${elements.join(", ")}]`, column);
  }
  if (typeof value === "object" && value !== null) {
    switch (value.name) {
      case "now":
        return "CURRENT_TIMESTAMP";
      case "dbgenerated": {
        const expr = value.args[0];
        return typeof expr === "string" && expr.trim() !== "" ? normalizeDefault(expr, column) : void 0;
      }
      default:
        return void 0;
    }
  }
  const literal = scalarDefault(value, field, column.type);
  return literal === void 0 ? void 0 : normalizeDefault(literal, column);
}
function scalarDefault(value, field, type) {
  if (value === null || value === void 0)
    return void 0;
  if (typeof value === "boolean")
    return value ? "true" : "false";
  if (typeof value === "number" || typeof value === "bigint")
    return String(value);
  if (typeof value !== "string")
    return quoteString(JSON.stringify(value));
  if (field.kind === "enum")
    return quoteString(value);
  switch (field.type) {
    case "Int":
    case "BigInt":
    case "Float":
    case "Decimal":
      return value;
    case "Boolean":
      return value === "true" ? "true" : "false";
    case "Bytes":
      return quoteString(`\\x${Buffer.from(value, "base64").toString("hex")}`);
    case "DateTime":
      return dateTimeDefault(value, type);
    default:
      return quoteString(value);
  }
}
function dateTimeDefault(value, type) {
  const date = new Date(value);
  if (Number.isNaN(date.getTime()))
    return quoteString(value);
  const iso = date.toISOString();
  const day = iso.slice(0, 10);
  const time = iso.slice(11, 23).replace(/\.?0+$/, "");
  const base = baseType(type);
  if (base === "DATE")
    return quoteString(day);
  if (base === "TIMESTAMPTZ")
    return quoteString(`${day} ${time}+00`);
  if (base === "TIME")
    return quoteString(time);
  return quoteString(`${day} ${time}`);
}
var CAST_LITERAL = /^('(?:[^']|'')*')((?:::(?:[^'":]|"[^"]*")+)+)$/s;
var NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$/;
function normalizeDefault(sqlDefault2, column) {
  let text = sqlDefault2.trim();
  const type = normalizeType(column.type);
  const base = baseType(type);
  if (/^now\(\)$/i.test(text) || /^current_timestamp$/i.test(text))
    return "CURRENT_TIMESTAMP";
  if (/^(?:current_date|current_time|localtimestamp|localtime)$/i.test(text))
    return text.toUpperCase();
  if (/^array\[/i.test(text))
    return normalizeArrayDefault(text, column);
  if (/^null(?:::.*)?$/i.test(text))
    return "NULL";
  const cast = CAST_LITERAL.exec(text);
  if (cast) {
    if (cast[2].endsWith("[]") && cast[1].startsWith("'{")) {
      const elements = parseArrayLiteral(cast[1].slice(1, -1).replace(/''/g, "'"));
      if (elements) {
        const rendered = elements.map((e) => NUMERIC_TYPES.has(base) || base === "BOOLEAN" ? e : quoteString(e));
        return normalizeDefault(`ARRAY[${rendered.join(", ")}]`, column);
      }
    }
    text = cast[1];
  }
  const numberCast = /^\(?(-?\d+(?:\.\d+)?)\)?::[\w ]+$/.exec(text);
  if (numberCast)
    text = numberCast[1];
  if (/^(?:true|false)$/i.test(text))
    return text.toLowerCase();
  if (NUMBER.test(text))
    return canonicalNumber(text);
  if (text.startsWith("'") && text.endsWith("'")) {
    const inner = text.slice(1, -1).replace(/''/g, "'");
    if (NUMERIC_TYPES.has(base) && NUMBER.test(inner))
      return canonicalNumber(inner);
    if (base === "BOOLEAN" && /^(?:true|false)$/i.test(inner))
      return inner.toLowerCase();
    if (base === "JSONB")
      return quoteString(canonicalJsonb(inner));
    return text;
  }
  return text;
}
function parseArrayLiteral(text) {
  if (!text.startsWith("{") || !text.endsWith("}"))
    return void 0;
  const body = text.slice(1, -1);
  if (body === "")
    return [];
  const out = [];
  const pattern = /\s*(?:"((?:[^"\\]|\\.)*)"|([^,{}"]*?))\s*(?:,|$)/gy;
  let match;
  while (pattern.lastIndex < body.length && (match = pattern.exec(body))) {
    if (match[1] !== void 0)
      out.push(match[1].replace(/\\(.)/g, "$1"));
    else if (/^null$/i.test(match[2]))
      return void 0;
    else
      out.push(match[2]);
  }
  return pattern.lastIndex >= body.length ? out : void 0;
}
function canonicalNumber(text) {
  if (/[eE]/.test(text) || !text.includes("."))
    return text;
  return text.replace(/0+$/, "").replace(/\.$/, "");
}
function normalizeArrayDefault(text, column) {
  const close = matchingBracket(text, text.indexOf("["));
  if (close < 0)
    return text;
  const elements = splitTopLevel(text.slice(text.indexOf("[") + 1, close)).map((e) => normalizeDefault(e, column));
  return `ARRAY[${elements.join(", ")}]`;
}
function matchingBracket(text, open) {
  let depth = 0;
  let inString = false;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === "'")
        inString = text[i + 1] === "'" ? (i++, true) : false;
      continue;
    }
    if (ch === "'")
      inString = true;
    else if (ch === "[" || ch === "(")
      depth++;
    else if (ch === "]" || ch === ")") {
      depth--;
      if (depth === 0)
        return i;
    }
  }
  return -1;
}
function splitTopLevel(text) {
  const parts = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === "'")
        inString = text[i + 1] === "'" ? (i++, true) : false;
      continue;
    }
    if (ch === "'")
      inString = true;
    else if (ch === "[" || ch === "(")
      depth++;
    else if (ch === "]" || ch === ")")
      depth--;
    else if (ch === "," && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = text.slice(start).trim();
  if (last !== "" || parts.length > 0)
    parts.push(last);
  return parts;
}
function canonicalJsonb(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    return text;
  }
  const render = (v) => {
    if (Array.isArray(v))
      return `[${v.map(render).join(", ")}]`;
    if (v !== null && typeof v === "object") {
      const keys = Object.keys(v).sort((a, b) => {
        const la = Buffer.byteLength(a);
        const lb = Buffer.byteLength(b);
        return la !== lb ? la - lb : Buffer.compare(Buffer.from(a), Buffer.from(b));
      });
      return `{${keys.map((k) => `${JSON.stringify(k)}: ${render(v[k])}`).join(", ")}}`;
    }
    return JSON.stringify(v);
  };
  return render(value);
}
var postgresTypeMap = {
  sqlType,
  sqlDefault,
  normalizeType,
  normalizeDefault
};

export {
  baseType,
  normalizeType,
  quoteString,
  normalizeDefault,
  postgresTypeMap
};
