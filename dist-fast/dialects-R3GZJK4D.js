import {
  loadDialect,
  providerOfUrl
} from "./chunk-LB43IM6Z.js";
import "./chunk-AVVEHRSJ.js";
export {
  loadDialect,
  providerOfUrl
};
