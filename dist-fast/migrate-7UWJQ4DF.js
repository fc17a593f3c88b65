import {
  contextLines,
  downgrade,
  ensureVersion,
  stamp,
  upgrade
} from "./chunk-HVZ2JSW5.js";
import "./chunk-RXECNRUD.js";
import "./chunk-AVVEHRSJ.js";
export {
  contextLines,
  downgrade,
  ensureVersion,
  stamp,
  upgrade
};
