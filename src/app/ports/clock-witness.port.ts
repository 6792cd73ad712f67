import type { ServiceIdentifier } from "inversify";

/** What the machine can say about its clock now; each field is absent when it cannot be known. */
export interface ClockObservation {
  /** Changes at every boot: uptimes compare only within one boot. */
  readonly bootId?: string;
  /** Seconds since boot, suspend included: it never steps when the wall clock does. */
  readonly uptimeSeconds?: number;
  /** Whether the time service says the wall clock is synchronised. */
  readonly ntpSynchronized?: boolean;
}

/**
 * Evidence beside the wall clock, so a job that deletes by age can tell a machine that was
 * stopped for days from a clock that jumped. Never throws: what it cannot read is left out.
 */
export interface ClockWitness {
  observe(): ClockObservation;
}
export const ClockWitness: ServiceIdentifier<ClockWitness> = Symbol.for("ClockWitness");
