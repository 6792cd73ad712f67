import * as path from "node:path";
import type { VolumeInspector, VolumeVerdict } from "../../../src/app/ports/volume-inspector.port.js";

/** Paths under one of the `encrypted` directories are on "LUKS"; everything else is a plain disk. */
export class FakeVolumeInspector implements VolumeInspector {
  readonly asked: string[] = [];

  constructor(private readonly encrypted: readonly string[] = []) {}

  isEncrypted(target: string): VolumeVerdict {
    this.asked.push(target);
    const inside = this.encrypted.some((dir) => {
      const rel = path.relative(dir, target);
      return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
    });
    return inside
      ? { encrypted: true, device: "253:0", detail: "dm-crypt CRYPT-LUKS2 on dm-0" }
      : { encrypted: false, device: "8:1", detail: "no dm-crypt layer under sda" };
  }
}
