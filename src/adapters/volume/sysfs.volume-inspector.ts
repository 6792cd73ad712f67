import * as fs from "node:fs";
import * as path from "node:path";
import type { VolumeInspector, VolumeVerdict } from "../../app/ports/volume-inspector.port.js";

export interface DeviceNumber {
  readonly major: number;
  readonly minor: number;
}

/** Linux `st_dev` decoded as glibc's major()/minor() do (12-bit major and 20-bit minor, split). */
export function decodeDev(dev: bigint): DeviceNumber {
  return {
    major: Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & 0xfffff000n)),
    minor: Number((dev & 0xffn) | ((dev >> 12n) & 0xffffff00n)),
  };
}

/** The device number of the file system holding `target`, or of its nearest existing ancestor. */
export function deviceOf(target: string): DeviceNumber {
  let dir = path.resolve(target);
  for (;;) {
    try {
      return decodeDev(fs.statSync(dir, { bigint: true }).dev);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const parent = path.dirname(dir);
      if ((code !== "ENOENT" && code !== "ENOTDIR") || parent === dir) throw error;
      dir = parent;
    }
  }
}

/** cryptsetup names its mappings `CRYPT-<type>-…` (LUKS1, LUKS2, PLAIN …); `CRYPT-SUBDEV` is an integrity layer under one. */
function cryptType(uuid: string): string | undefined {
  if (!uuid.startsWith("CRYPT-") || uuid.startsWith("CRYPT-SUBDEV")) return undefined;
  return uuid.split("-").slice(0, 2).join("-");
}

/** LVM and md can stack this deep at most in practice; deeper means a loop in a broken tree. */
const MAX_DEPTH = 16;

interface Walk {
  readonly encrypted: boolean;
  readonly detail: string;
}

/**
 * Reads the block-device graph in sysfs (ADR-free, unprivileged; reliability-and-security.md 3.5):
 * `/sys/dev/block/MAJ:MIN` → the device's directory; a device is encrypted when its `dm/uuid` is a
 * dm-crypt mapping, or when it has `slaves/` (LVM, md, kpartx) and every one of them is encrypted,
 * or when it is a partition (`partition` file) of an encrypted whole device. File systems without
 * a block device of their own (btrfs, whose st_dev is anonymous) are resolved through the mount
 * source in mountinfo; overlay, tmpfs and the like are refused. The roots are parameters so the
 * tests run it on a fake tree.
 */
export class SysfsVolumeInspector implements VolumeInspector {
  constructor(
    private readonly sysfsRoot = "/sys",
    private readonly mountInfoFile = "/proc/self/mountinfo",
    private readonly deviceOfPath: (target: string) => DeviceNumber = deviceOf,
  ) {}

  isEncrypted(target: string): VolumeVerdict {
    let number: DeviceNumber;
    try {
      number = this.deviceOfPath(target);
    } catch (error) {
      return {
        encrypted: false,
        detail: `cannot stat it (${(error as NodeJS.ErrnoException).code ?? "error"})`,
      };
    }
    const device = `${number.major}:${number.minor}`;
    const dir =
      this.realDir(path.join(this.sysfsRoot, "dev", "block", device)) ?? this.fromMountSource(device);
    if (typeof dir !== "string") return { encrypted: false, device, detail: dir.detail };
    return { device, ...this.walk(dir, new Set(), 0) };
  }

  private walk(dir: string, seen: Set<string>, depth: number): Walk {
    const name = path.basename(dir);
    if (depth > MAX_DEPTH || seen.has(dir))
      return { encrypted: false, detail: `device graph under ${name} loops` };
    seen.add(dir);
    const type = cryptType(this.read(path.join(dir, "dm", "uuid")) ?? "");
    if (type) return { encrypted: true, detail: `dm-crypt ${type} on ${name}` };
    const slaves = this.slavesOf(dir);
    if (slaves.length > 0) {
      const below = slaves.map((slave) => this.walk(slave, seen, depth + 1));
      return below.find((w) => !w.encrypted) ?? (below[0] as Walk);
    }
    if (fs.existsSync(path.join(dir, "partition"))) return this.walk(path.dirname(dir), seen, depth + 1);
    return { encrypted: false, detail: `no dm-crypt layer under ${name}` };
  }

  private slavesOf(dir: string): string[] {
    let names: string[];
    try {
      names = fs.readdirSync(path.join(dir, "slaves"));
    } catch {
      return [];
    }
    return names
      .sort()
      .map((n) => this.realDir(path.join(dir, "slaves", n)))
      .filter((d): d is string => d !== undefined);
  }

  /** For an anonymous device (btrfs, overlay, tmpfs): the block device named as the mount's source. */
  private fromMountSource(device: string): string | { readonly detail: string } {
    const mount = this.mountOf(device);
    if (!mount) return { detail: `device ${device} is not a block device and no mount names it` };
    if (!mount.source.startsWith("/dev/"))
      return { detail: `${mount.fsType} file system (${mount.source}) is not on a block device` };
    const name = path.basename(this.realDir(mount.source) ?? mount.source);
    const dir = this.realDir(path.join(this.sysfsRoot, "class", "block", name));
    return dir ?? { detail: `${mount.fsType} file system on ${mount.source}: no such block device in sysfs` };
  }

  private mountOf(device: string): { fsType: string; source: string } | undefined {
    const text = this.read(this.mountInfoFile);
    for (const line of text?.split("\n") ?? []) {
      const fields = line.split(" ");
      const dash = fields.indexOf("-", 6);
      if (fields[2] !== device || dash < 0) continue;
      // mountinfo escapes space, tab, newline and backslash as \ooo.
      const decode = (s = "") =>
        s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)));
      return { fsType: decode(fields[dash + 1]), source: decode(fields[dash + 2]) };
    }
    return undefined;
  }

  private realDir(link: string): string | undefined {
    try {
      return fs.realpathSync(link);
    } catch {
      return undefined;
    }
  }

  private read(file: string): string | undefined {
    try {
      return fs.readFileSync(file, "utf8").trim();
    } catch {
      return undefined;
    }
  }
}
