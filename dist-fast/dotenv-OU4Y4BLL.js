import {
  readDotenv
} from "./chunk-H2JDVS7E.js";
import "./chunk-AVVEHRSJ.js";
export {
  readDotenv
};
