import {
  quoteSqlString,
  stripWrappingParens
} from "./chunk-2TP5XQGQ.js";

// dist/dialect/sqlite/sql.js
function quoteIdentifier(name) {
  return `"${name.replace(/"/g, '""')}"`;
}
function renderLiteral(value) {
  if (value === null || value === void 0)
    return "NULL";
  if (typeof value === "boolean")
    return value ? "1" : "0";
  if (typeof value === "number") {
    if (!Number.isFinite(value))
      throw new TypeError(`cannot render ${value} as an SQLite literal`);
    return String(value);
  }
  if (typeof value === "bigint")
    return value.toString();
  if (typeof value === "string")
    return quoteSqlString(value);
  if (value instanceof Date)
    return quoteSqlString(value.toISOString());
  if (value instanceof Uint8Array)
    return `X'${Buffer.from(value).toString("hex").toUpperCase()}'`;
  return quoteSqlString(JSON.stringify(value));
}
function toBindable(value) {
  if (value === void 0)
    return null;
  if (typeof value === "boolean")
    return value ? 1 : 0;
  if (value instanceof Date)
    return value.toISOString();
  if (value instanceof Uint8Array || value === null)
    return value;
  if (typeof value === "object")
    return JSON.stringify(value);
  return value;
}
function isConstantDefault(expr) {
  if (expr === void 0)
    return false;
  const e = expr.trim();
  return /^'(?:[^']|'')*'$/.test(e) || /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(e) || /^(true|false|null)$/i.test(e) || /^x'[0-9a-f]*'$/i.test(e);
}
function renderDefault(expr) {
  const e = expr.trim();
  if (isConstantDefault(e) || /^CURRENT_(TIMESTAMP|DATE|TIME)$/i.test(e))
    return e;
  return `(${stripWrappingParens(e)})`;
}

export {
  quoteIdentifier,
  renderLiteral,
  toBindable,
  isConstantDefault,
  renderDefault
};
