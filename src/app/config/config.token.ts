import type { ServiceIdentifier } from "inversify";
import type { SkuMap } from "../../domain/sku-map.js";
import type { Config } from "./config.js";

/** The validated configuration, bound once by the composition root. */
export const AppConfig: ServiceIdentifier<Config> = Symbol.for("AppConfig");
/** The SKU map read from `essendant.skuMapFile`. */
export const SkuMapToken: ServiceIdentifier<SkuMap> = Symbol.for("SkuMap");
