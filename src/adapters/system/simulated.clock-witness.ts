import type { ClockObservation, ClockWitness } from "../../app/ports/clock-witness.port.js";

/**
 * For a simulated wall clock (`--now`, a test clock): the machine's real uptime would contradict
 * it, so this witness knows nothing and the purge judges on the wall clock alone.
 */
export class SimulatedClockWitness implements ClockWitness {
  observe(): ClockObservation {
    return {};
  }
}
