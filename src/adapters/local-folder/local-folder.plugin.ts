import { ContainerModule } from "inversify";
import type { Plugin } from "../../app/composition/plugin.js";
import { SupplierGateway } from "../../app/ports/supplier-gateway.port.js";
import { LocalFolderSupplierGateway } from "./local-folder.supplier-gateway.js";

/** Essendant's SFTP drop played by a local folder, optionally answered by the built-in simulator (demo). */
export const localFolderPlugin: Plugin = {
  family: "supplier",
  name: "local-folder",
  summary: "a local folder stands in for Essendant's SFTP server; the simulator answers POs (demo)",
  check: (config) =>
    config.essendant.localFolder
      ? []
      : [
          'essendant.localFolder is required when adapters.supplier is local-folder; add { "root": "./var/demo/essendant" }',
        ],
  module: () =>
    new ContainerModule(({ bind }) => {
      bind(SupplierGateway).to(LocalFolderSupplierGateway).inSingletonScope();
    }),
};
