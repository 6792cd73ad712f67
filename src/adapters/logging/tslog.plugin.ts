import { ContainerModule } from "inversify";
import type { Plugin } from "../../app/composition/plugin.js";
import { EventLog } from "../../app/ports/event-log.port.js";
import { TslogEventLog } from "./tslog.event-log.js";

/** JSON-lines event and audit log in `storage.logDir`, with a readable echo on the terminal. */
export const tslogPlugin: Plugin = {
  family: "logger",
  name: "tslog",
  summary: "daily JSON-lines event and audit files in storage.logDir (tslog)",
  module: () =>
    new ContainerModule(({ bind }) => {
      bind(EventLog).to(TslogEventLog).inSingletonScope();
    }),
};
