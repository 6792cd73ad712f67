import type { Clock } from "../../../src/app/ports/clock.port.js";
import type { ClockObservation, ClockWitness } from "../../../src/app/ports/clock-witness.port.js";

export const FAKE_BOOT_ID = "0b5e1c4e-3f1a-4c8e-9a51-6f1c2d3e4f50";

/**
 * Says whatever the test last set; `elapse` moves the uptime as a running machine would.
 * `FakeClockWitness.following(clock)` is a machine that never steps its clock: one boot whose
 * uptime advances with the test's clock, until `set` pins an observation (to simulate a jump).
 */
export class FakeClockWitness implements ClockWitness {
  private follow?: { clock: Clock; bootAt: number };

  constructor(private observation: ClockObservation = {}) {}

  static following(clock: Clock, uptimeSeconds = 3600): FakeClockWitness {
    const witness = new FakeClockWitness();
    witness.follow = { clock, bootAt: clock.now().getTime() - uptimeSeconds * 1000 };
    return witness;
  }

  observe(): ClockObservation {
    if (!this.follow) return { ...this.observation };
    return {
      bootId: FAKE_BOOT_ID,
      uptimeSeconds: (this.follow.clock.now().getTime() - this.follow.bootAt) / 1000,
    };
  }

  set(observation: ClockObservation): void {
    this.follow = undefined;
    this.observation = { ...observation };
  }

  elapse(seconds: number): void {
    const uptime = this.observation.uptimeSeconds;
    if (uptime !== undefined) this.observation = { ...this.observation, uptimeSeconds: uptime + seconds };
  }
}
