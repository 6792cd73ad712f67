import { essendantSftpPlugin } from "../../adapters/essendant-sftp/essendant-sftp.plugin.js";
import { localFolderPlugin } from "../../adapters/local-folder/local-folder.plugin.js";
import { tslogPlugin } from "../../adapters/logging/tslog.plugin.js";
import { samplePlugin } from "../../adapters/sample/sample.plugin.js";
import { spApiPlugin } from "../../adapters/sp-api/sp-api.plugin.js";
import { sqlitePlugin } from "../../adapters/sqlite/sqlite.plugin.js";
import type { Config } from "../config/config.js";
import { ConfigError } from "../errors.js";
import type { Plugin, PluginFamily } from "./plugin.js";

/** Every plugin this build has, by family. The composition root is the only place that knows them. */
export const PLUGINS: Readonly<Record<PluginFamily, readonly Plugin[]>> = {
  marketplace: [samplePlugin, spApiPlugin],
  supplier: [localFolderPlugin, essendantSftpPlugin],
  store: [sqlitePlugin],
  logger: [tslogPlugin],
};

export const FAMILIES: readonly PluginFamily[] = ["marketplace", "supplier", "store", "logger"];

/**
 * The plugins the configuration names, one per family. An unknown name stops start-up with the
 * valid names; a plugin missing configuration it needs says which key to add.
 */
export function selectPlugins(
  config: Config,
  env: Readonly<Record<string, string | undefined>> = {},
): Readonly<Record<PluginFamily, Plugin>> {
  const problems: string[] = [];
  const chosen: Partial<Record<PluginFamily, Plugin>> = {};
  for (const family of FAMILIES) {
    const name = config.adapters[family];
    const plugin = PLUGINS[family].find((p) => p.name === name);
    if (!plugin) {
      const valid = PLUGINS[family].map((p) => `"${p.name}"`).join(", ");
      problems.push(
        `"adapters.${family}" is "${name}", which is not a ${family} plugin; valid plugins: ${valid}`,
      );
      continue;
    }
    chosen[family] = plugin;
    problems.push(...(plugin.check?.(config, env) ?? []));
  }
  if (problems.length > 0) {
    throw new ConfigError(`configuration file ${config.file} is invalid:\n  - ${problems.join("\n  - ")}`);
  }
  return chosen as Record<PluginFamily, Plugin>;
}
