import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FsRetentionFiles } from "../../src/adapters/retention/fs.retention-files.js";
import type { RetainedKind } from "../../src/app/ports/retention-files.port.js";
import { MemoryRetentionFiles } from "../support/fakes/memory.retention-files.js";
import { aLocalFolderConfig } from "../support/local-folder-config.js";
import { retentionFilesContract } from "./retention-files.contract.js";

retentionFilesContract("memory fake", () => {
  const files = new MemoryRetentionFiles();
  return {
    files,
    add: (kind, name) => files.add(kind, name),
    present: (kind) => files.names(kind),
    dispose: () => {},
  };
});

retentionFilesContract("file system (logDir, backupDir)", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "retention-files-"));
  const config = aLocalFolderConfig(root);
  const dirs: Record<RetainedKind, string> = { log: config.storage.logDir, backup: config.storage.backupDir };
  return {
    files: new FsRetentionFiles(config),
    add: (kind, name) => {
      fs.mkdirSync(dirs[kind], { recursive: true });
      fs.writeFileSync(path.join(dirs[kind], name), "x");
    },
    present: (kind) => (fs.existsSync(dirs[kind]) ? fs.readdirSync(dirs[kind]).sort() : []),
    dispose: () => fs.rmSync(root, { recursive: true, force: true }),
  };
});
