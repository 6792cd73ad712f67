import type { ServiceIdentifier } from "inversify";

/** How this process was started: what the CLI knows that the configuration file does not. */
export interface Runtime {
  /** The command being run (`run`, `cycle`, `status` …). */
  readonly command: string;
  /** Echo one readable line per event on the terminal (the daemon and the demo do). */
  readonly consoleEvents: boolean;
  /** The fixed instant from `--now`, if given. */
  readonly now?: Date;
  /** The process environment, read once by the CLI: secrets (SPAPI_*) come from here, never from the config file. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** `purge --force`: the administrator checked the clock, so the purge goes ahead despite a clock jump. */
  readonly force?: boolean;
}
export const Runtime: ServiceIdentifier<Runtime> = Symbol.for("Runtime");
