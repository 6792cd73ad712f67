import type { ServiceIdentifier } from "inversify";

/** Every read of the time goes through here, so `--now` and tests control it. */
export interface Clock {
  now(): Date;
}
export const Clock: ServiceIdentifier<Clock> = Symbol.for("Clock");
