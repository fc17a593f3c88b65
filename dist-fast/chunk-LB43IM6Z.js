import {
  ReviseError,
  maskUrl
} from "./chunk-AVVEHRSJ.js";

// dist/runtime/dialects.js
async function loadDialect(provider) {
  switch (provider) {
    case "sqlite":
      return (await import("./sqlite-ZZQVJLDG.js")).sqliteDialect;
    case "postgresql":
      return (await import("./postgres-DKANJEHH.js")).postgresDialect;
    default:
      throw new ReviseError(`Unsupported provider "${String(provider)}" (revise supports sqlite and postgresql)`);
  }
}
function providerOfUrl(url) {
  const lower = url.trim().toLowerCase();
  if (lower.startsWith("postgresql://") || lower.startsWith("postgres://"))
    return "postgresql";
  if (lower.startsWith("file:") || lower.startsWith("sqlite:"))
    return "sqlite";
  throw new ReviseError(`Cannot tell the database from the URL ${maskUrl(url)}: expected file:... (SQLite) or postgresql://... (PostgreSQL)`);
}

export {
  loadDialect,
  providerOfUrl
};
