import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { RetainedKind, RetentionFiles } from "../../src/app/ports/retention-files.port.js";

export interface RetentionFilesHarness {
  readonly files: RetentionFiles;
  /** Puts a file of this name where `kind` lives (the logger or a backup writing it). */
  add(kind: RetainedKind, name: string): void;
  /** Every name present where `kind` lives, sorted. */
  present(kind: RetainedKind): string[];
  dispose(): void;
}

/** The same assertions on the fake and on the file-system adapter. */
export function retentionFilesContract(label: string, make: () => RetentionFilesHarness): void {
  const test = suite(`RetentionFiles contract: ${label}`);
  const withFiles = (name: string, body: (h: RetentionFilesHarness) => void) =>
    test(name, () => {
      const h = make();
      try {
        body(h);
      } finally {
        h.dispose();
      }
    });

  withFiles("lists daily logs by the UTC day in their names, oldest first", (h) => {
    h.add("log", "fulfillment-2026-12-04.log");
    h.add("log", "audit-2025-01-31.log");
    h.add("log", "fulfillment-2025-01-31.log");
    assert.equal(
      h.files.list("log").map((f) => [f.name, f.date.toISOString()]),
      [
        ["audit-2025-01-31.log", "2025-01-31T00:00:00.000Z"],
        ["fulfillment-2025-01-31.log", "2025-01-31T00:00:00.000Z"],
        ["fulfillment-2026-12-04.log", "2026-12-04T00:00:00.000Z"],
      ],
    );
  });

  withFiles("lists backups by the instant in their names", (h) => {
    h.add("backup", "fulfillment-20261204T024500Z.backup");
    assert.equal(
      h.files.list("backup").map((f) => [f.kind, f.name, f.date.toISOString()]),
      [["backup", "fulfillment-20261204T024500Z.backup", "2026-12-04T02:45:00.000Z"]],
    );
    assert.equal(h.files.list("log"), []);
  });

  withFiles("never lists a file whose name is not a dated log or backup, so never deletes it", (h) => {
    for (const name of [
      "notes.txt",
      "fulfillment-2026-02-30.log",
      "fulfillment-2026-12-04.log.gz",
      "fulfillment-20261204T024500Z.backup.123.tmp",
      "other-2026-12-04.log",
    ])
      h.add(name.includes("backup") ? "backup" : "log", name);
    assert.equal(h.files.list("log"), []);
    assert.equal(h.files.list("backup"), []);
  });

  withFiles("deletes a listed file, and deleting it again is no error", (h) => {
    h.add("log", "audit-2025-01-31.log");
    h.add("log", "audit-2025-02-01.log");
    const [first] = h.files.list("log");
    if (!first) return assert.unreachable("a file was listed");
    h.files.delete(first);
    h.files.delete(first);
    assert.equal(h.present("log"), ["audit-2025-02-01.log"]);
  });
  test.run();
}
