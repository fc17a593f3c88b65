import {
  VERSION_TABLE,
  VersionTable,
  VersionTableSql
} from "./chunk-NGLJZLU3.js";
export {
  VERSION_TABLE,
  VersionTable,
  VersionTableSql
};
