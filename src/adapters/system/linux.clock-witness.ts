import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import type { ClockObservation, ClockWitness } from "../../app/ports/clock-witness.port.js";

export interface LinuxClockSources {
  readonly bootIdFile: string;
  readonly uptimeFile: string;
  /** The `timedatectl` to run (a name looked up in PATH, or a path). */
  readonly timedatectl: string;
}

const LINUX: LinuxClockSources = {
  bootIdFile: "/proc/sys/kernel/random/boot_id",
  uptimeFile: "/proc/uptime",
  timedatectl: "timedatectl",
};

/** timedatectl asks systemd over D-Bus; a hung bus must not hold up the purge. */
const TIMEDATECTL_TIMEOUT_MS = 2_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    return undefined;
  }
}

/**
 * The kernel's boot id, the uptime from /proc/uptime (its first number is CLOCK_BOOTTIME, which
 * counts suspend and is never stepped) and systemd's NTPSynchronized. Anything unreadable (no
 * /proc, no systemd in a container, no timedatectl) is left out; it never throws.
 */
export class LinuxClockWitness implements ClockWitness {
  constructor(private readonly sources: LinuxClockSources = LINUX) {}

  observe(): ClockObservation {
    const bootId = this.bootId();
    const uptimeSeconds = this.uptimeSeconds();
    const ntpSynchronized = this.ntpSynchronized();
    return {
      ...(bootId === undefined ? {} : { bootId }),
      ...(uptimeSeconds === undefined ? {} : { uptimeSeconds }),
      ...(ntpSynchronized === undefined ? {} : { ntpSynchronized }),
    };
  }

  private bootId(): string | undefined {
    const id = readText(this.sources.bootIdFile)?.toLowerCase();
    return id && UUID.test(id) ? id : undefined;
  }

  private uptimeSeconds(): number | undefined {
    const first = readText(this.sources.uptimeFile)?.split(/\s+/)[0];
    const seconds = first && /^\d+(\.\d+)?$/.test(first) ? Number(first) : Number.NaN;
    return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
  }

  private ntpSynchronized(): boolean | undefined {
    try {
      const answer = execFileSync(this.sources.timedatectl, ["show", "-p", "NTPSynchronized", "--value"], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
        timeout: TIMEDATECTL_TIMEOUT_MS,
      }).trim();
      return answer === "yes" ? true : answer === "no" ? false : undefined;
    } catch {
      // Absent binary, no systemd (containers), timeout: the state is unknown, not "unsynchronised".
      return undefined;
    }
  }
}
