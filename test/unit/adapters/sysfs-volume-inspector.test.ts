import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import {
  type DeviceNumber,
  decodeDev,
  deviceOf,
  SysfsVolumeInspector,
} from "../../../src/adapters/volume/sysfs.volume-inspector.js";

/**
 * A fake /sys laid out as the kernel does it: device directories under devices/, reached through
 * relative symlinks from dev/block/MAJ:MIN, class/block/NAME and each holder's slaves/.
 */
class FakeSysfs {
  constructor(readonly root: string) {}

  /** A device directory at `where` (relative to devices/), registered under its number and name. */
  device(
    where: string,
    number: string,
    options: { uuid?: string; slaves?: string[]; partition?: boolean } = {},
  ): string {
    const dir = path.join(this.root, "devices", where);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "dev"), `${number}\n`);
    if (options.partition) fs.writeFileSync(path.join(dir, "partition"), "1\n");
    if (options.uuid) {
      fs.mkdirSync(path.join(dir, "dm"));
      fs.writeFileSync(path.join(dir, "dm", "uuid"), `${options.uuid}\n`);
    }
    fs.mkdirSync(path.join(dir, "slaves"));
    for (const slave of options.slaves ?? []) {
      const target = path.join(this.root, "devices", slave);
      fs.symlinkSync(
        path.relative(path.join(dir, "slaves"), target),
        path.join(dir, "slaves", path.basename(slave)),
      );
    }
    this.link(path.join("dev", "block", number), dir);
    this.link(path.join("class", "block", path.basename(where)), dir);
    return dir;
  }

  private link(at: string, target: string): void {
    const file = path.join(this.root, at);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.symlinkSync(path.relative(path.dirname(file), target), file);
  }
}

const LUKS_UUID = "CRYPT-LUKS2-4f3c0e9a1b2d4c5e8f7a6b5c4d3e2f10-luks-root";
const LVM_UUID = "LVM-Vx1abcDEFghiJKLmnoPQRstuVWXyz0123456789abcdefghijklmnopqrstu";

function number(text: string): DeviceNumber {
  const [major, minor] = text.split(":").map(Number);
  return { major: major ?? -1, minor: minor ?? -1 };
}

const sysfs = suite<{ tmp: string; fake: FakeSysfs }>("sysfs volume inspector");

sysfs.before.each((ctx) => {
  ctx.tmp = fs.mkdtempSync(path.join(os.tmpdir(), "fulfillment-sysfs-"));
  ctx.fake = new FakeSysfs(path.join(ctx.tmp, "sys"));
});
sysfs.after.each((ctx) => {
  fs.rmSync(ctx.tmp, { recursive: true, force: true });
});

/** The inspector on the fake tree, every path living on device `dev`. */
function inspectorOn(
  fake: FakeSysfs,
  dev: string,
  mountInfo = "/nonexistent/mountinfo",
): SysfsVolumeInspector {
  return new SysfsVolumeInspector(fake.root, mountInfo, () => number(dev));
}

sysfs("a file system on a plain disk is not encrypted", ({ fake }) => {
  fake.device("pci0000:00/virtio1/block/vda", "254:0");
  const verdict = inspectorOn(fake, "254:0").isEncrypted("/var/lib/fulfillment");
  assert.equal(verdict, { encrypted: false, device: "254:0", detail: "no dm-crypt layer under vda" });
});

sysfs("a file system on a partition of a plain disk is not encrypted", ({ fake }) => {
  fake.device("pci0000:00/ata1/block/sda", "8:0");
  fake.device("pci0000:00/ata1/block/sda/sda1", "8:1", { partition: true });
  const verdict = inspectorOn(fake, "8:1").isEncrypted("/var/lib/fulfillment");
  assert.is(verdict.encrypted, false);
  assert.is(verdict.detail, "no dm-crypt layer under sda");
});

sysfs("a file system on an opened LUKS device is encrypted", ({ fake }) => {
  fake.device("pci0000:00/ata1/block/sda", "8:0");
  fake.device("pci0000:00/ata1/block/sda/sda2", "8:2", { partition: true });
  fake.device("virtual/block/dm-0", "253:0", { uuid: LUKS_UUID, slaves: ["pci0000:00/ata1/block/sda/sda2"] });
  const verdict = inspectorOn(fake, "253:0").isEncrypted("/var/lib/fulfillment");
  assert.equal(verdict, { encrypted: true, device: "253:0", detail: "dm-crypt CRYPT-LUKS2 on dm-0" });
});

sysfs("LVM on LUKS is encrypted: the crypt layer is found two levels of slaves down", ({ fake }) => {
  fake.device("pci0000:00/nvme0/block/nvme0n1", "259:0");
  fake.device("pci0000:00/nvme0/block/nvme0n1/nvme0n1p3", "259:3", { partition: true });
  fake.device("virtual/block/dm-0", "253:0", {
    uuid: LUKS_UUID,
    slaves: ["pci0000:00/nvme0/block/nvme0n1/nvme0n1p3"],
  });
  // A thin pool's logical volume: LVM over LVM over LUKS.
  fake.device("virtual/block/dm-1", "253:1", { uuid: `${LVM_UUID}-tpool`, slaves: ["virtual/block/dm-0"] });
  fake.device("virtual/block/dm-2", "253:2", { uuid: LVM_UUID, slaves: ["virtual/block/dm-1"] });
  const verdict = inspectorOn(fake, "253:2").isEncrypted("/var/lib/fulfillment");
  assert.equal(verdict, { encrypted: true, device: "253:2", detail: "dm-crypt CRYPT-LUKS2 on dm-0" });
});

sysfs("LVM spanning a LUKS volume and a plain disk is not encrypted: every path down must be", ({ fake }) => {
  fake.device("pci0000:00/ata1/block/sda", "8:0");
  fake.device("pci0000:00/ata1/block/sdb", "8:16");
  fake.device("virtual/block/dm-0", "253:0", { uuid: LUKS_UUID, slaves: ["pci0000:00/ata1/block/sda"] });
  fake.device("virtual/block/dm-1", "253:1", {
    uuid: LVM_UUID,
    slaves: ["virtual/block/dm-0", "pci0000:00/ata1/block/sdb"],
  });
  const verdict = inspectorOn(fake, "253:1").isEncrypted("/var/lib/fulfillment");
  assert.equal(verdict, { encrypted: false, device: "253:1", detail: "no dm-crypt layer under sdb" });
});

sysfs("plain LVM and a dm-integrity sub-device are not encryption", ({ fake }) => {
  fake.device("pci0000:00/ata1/block/sda", "8:0");
  fake.device("virtual/block/dm-0", "253:0", {
    uuid: "CRYPT-SUBDEV-4f3c0e9a1b2d4c5e8f7a6b5c4d3e2f10-x_dif",
    slaves: ["pci0000:00/ata1/block/sda"],
  });
  fake.device("virtual/block/dm-1", "253:1", { uuid: LVM_UUID, slaves: ["virtual/block/dm-0"] });
  assert.is(inspectorOn(fake, "253:1").isEncrypted("/srv").encrypted, false);
});

sysfs("btrfs on LUKS (an anonymous st_dev) is resolved through the mount's source", ({ fake, tmp }) => {
  fake.device("pci0000:00/ata1/block/sda", "8:0");
  fake.device("virtual/block/dm-3", "253:3", { uuid: LUKS_UUID, slaves: ["pci0000:00/ata1/block/sda"] });
  const mountInfo = path.join(tmp, "mountinfo");
  fs.writeFileSync(
    mountInfo,
    [
      "22 1 0:21 / /proc rw,relatime - proc proc rw",
      "36 1 0:45 /@home /var/lib rw,relatime shared:1 - btrfs /dev/dm-3 rw,ssd,subvol=/@home",
      "37 1 0:46 / /run/user rw - tmpfs tmp\\040fs rw",
    ].join("\n"),
  );
  const verdict = inspectorOn(fake, "0:45", mountInfo).isEncrypted("/var/lib/fulfillment");
  assert.equal(verdict, { encrypted: true, device: "0:45", detail: "dm-crypt CRYPT-LUKS2 on dm-3" });
  const tmpfs = inspectorOn(fake, "0:46", mountInfo).isEncrypted("/run/user/1000");
  assert.equal(tmpfs, {
    encrypted: false,
    device: "0:46",
    detail: "tmpfs file system (tmp fs) is not on a block device",
  });
});

sysfs("an anonymous device no mount names fails closed", ({ fake }) => {
  const verdict = inspectorOn(fake, "0:99").isEncrypted("/var/lib/fulfillment");
  assert.is(verdict.encrypted, false);
  assert.match(verdict.detail, /not a block device/);
});

sysfs("a path that does not exist yet is judged by its nearest existing ancestor", ({ tmp }) => {
  const missing = path.join(tmp, "not", "yet", "there");
  assert.equal(deviceOf(missing), deviceOf(tmp));
  const onTmp = new SysfsVolumeInspector(path.join(tmp, "no-sys")).isEncrypted(missing);
  assert.is(onTmp.device, `${deviceOf(tmp).major}:${deviceOf(tmp).minor}`);
  assert.is(onTmp.encrypted, false);
});

sysfs("st_dev is decoded as glibc does, large minors and majors included", () => {
  assert.equal(decodeDev(0xfe00n), { major: 254, minor: 0 });
  assert.equal(decodeDev(0x10301n), { major: 259, minor: 1 });
  // makedev(8, 300): the minor's high bits sit above the major's low twelve.
  assert.equal(decodeDev(0x10082cn), { major: 8, minor: 300 });
  // makedev(4096, 0): a major beyond twelve bits goes above bit 32.
  assert.equal(decodeDev(0x100000000000n), { major: 4096, minor: 0 });
});

sysfs.run();
