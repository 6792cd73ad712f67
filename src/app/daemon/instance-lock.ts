import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import path from "node:path";

export class AlreadyRunningError extends Error {
  constructor(
    readonly pid: number,
    lockFile: string,
  ) {
    super(
      `another fulfillment daemon is already running on this data directory (pid ${pid}, lock ${lockFile}); stop it first`,
    );
    this.name = "AlreadyRunningError";
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * One daemon per data directory: a pid file created exclusively. A lock left by a process that no
 * longer exists (a crash, a power cut) is taken over, so a crash never blocks the next start.
 */
export class InstanceLock {
  private constructor(private readonly file: string) {}

  static acquire(dataDir: string): InstanceLock {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const file = path.join(dataDir, "fulfillment.pid");
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(file, "wx", 0o600);
        writeSync(fd, `${process.pid}\n`);
        closeSync(fd);
        return new InstanceLock(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        const pid = Number.parseInt(readFileSync(file, "utf8").trim(), 10);
        if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid))
          throw new AlreadyRunningError(pid, file);
        unlinkSync(file);
      }
    }
    throw new AlreadyRunningError(0, file);
  }

  release(): void {
    try {
      if (readFileSync(this.file, "utf8").trim() === String(process.pid)) unlinkSync(this.file);
    } catch {
      // Already gone: nothing to release.
    }
  }
}
