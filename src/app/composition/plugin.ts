import type { ContainerModule } from "inversify";
import type { Config } from "../config/config.js";

export type PluginFamily = "marketplace" | "supplier" | "store" | "logger";

/**
 * An adapter family's implementation, chosen by name in `adapters.<family>`. Its module binds the
 * ports it provides; `check` reports configuration (or environment) it needs but did not get (exit 2 at start).
 */
export interface Plugin {
  readonly family: PluginFamily;
  readonly name: string;
  readonly summary: string;
  /** `env` is the process environment, for plugins whose secrets or safety settings live there. */
  check?(config: Config, env?: Readonly<Record<string, string | undefined>>): readonly string[];
  module(config: Config): ContainerModule;
}
