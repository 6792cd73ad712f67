import * as fs from "node:fs";
import * as path from "node:path";
import type { EssendantConfig } from "../../app/config/config.js";
import { IntegrationError } from "../../app/errors.js";

/** File names of the interface (spec/essendant README): `[A-Za-z0-9_.-]`, never a dot file, so never `..`. */
const SAFE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,199}$/;

export function isSafeName(name: string): boolean {
  return SAFE_NAME.test(name);
}

/** Refuses any name that could leave its folder; names come from remote listings and documents. */
export function checkName(name: string): string {
  if (!isSafeName(name))
    throw new IntegrationError("INVALID_FILE_NAME", "a file name outside [A-Za-z0-9_.-]", false);
  return name;
}

export interface LocalFolders {
  readonly root: string;
  readonly outbound: string;
  readonly inbound: string;
  readonly archive: string;
  readonly errors: string;
}

/** The configured SFTP paths (`/in`, `/out` …) mapped under the local root; none may escape it. */
export function localFolders(root: string, paths: EssendantConfig["paths"]): LocalFolders {
  const base = path.resolve(root);
  const under = (remote: string) => {
    const local = path.join(base, path.posix.normalize(`/${remote}`));
    if (local !== base && !local.startsWith(base + path.sep)) {
      throw new IntegrationError(
        "INVALID_PATH",
        "essendant.paths must stay under the local folder root",
        false,
      );
    }
    return local;
  };
  return {
    root: base,
    outbound: under(paths.outbound),
    inbound: under(paths.inbound),
    archive: under(paths.archive),
    errors: under(paths.errors),
  };
}

/** Creates the folder (owner-only) if it is missing. */
export function ensureFolder(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** True when anything (even a dangling symlink) has this name. */
export function exists(file: string): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

/** A free name in `dir`: the name itself, else `name.1`, `name.2` … */
export function freeName(dir: string, name: string): string {
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? name : `${name}.${n}`;
    if (!exists(path.join(dir, candidate))) return candidate;
  }
}
