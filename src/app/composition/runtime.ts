import type { ServiceIdentifier } from "inversify";

/** How this process was started: what the CLI knows that the configuration file does not. */
export interface Runtime {
  /** The command being run (`run`, `cycle`, `status` …). */
  readonly command: string;
  /** Echo one readable line per event on the terminal (the daemon and the demo do). */
  readonly consoleEvents: boolean;
  /** The fixed instant from `--now`, if given. */
  readonly now?: Date;
}
export const Runtime: ServiceIdentifier<Runtime> = Symbol.for("Runtime");
