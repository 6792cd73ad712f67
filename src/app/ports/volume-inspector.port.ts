import type { ServiceIdentifier } from "inversify";

/** What the inspector found about the block device under a path. */
export interface VolumeVerdict {
  /** True when every device the path's file system lives on is under a dm-crypt layer. */
  readonly encrypted: boolean;
  /** The file system's device (`MAJ:MIN`), when it could be read. */
  readonly device?: string;
  /** A few words for the administrator, e.g. `dm-crypt CRYPT-LUKS2 on dm-0` or `no dm-crypt layer under vda`. No data. */
  readonly detail: string;
}

/**
 * Tells whether a directory lives on an encrypted (dm-crypt, LUKS) block device. A path that does
 * not exist yet is judged by its nearest existing ancestor. Never throws: anything it cannot
 * prove encrypted (unreadable /sys, overlay or tmpfs, a device it cannot resolve) is `encrypted: false`.
 */
export interface VolumeInspector {
  isEncrypted(path: string): VolumeVerdict;
}
export const VolumeInspector: ServiceIdentifier<VolumeInspector> = Symbol.for("VolumeInspector");
