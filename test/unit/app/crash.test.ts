import { suite } from "uvu";
import * as assert from "uvu/assert";
import { crashLine } from "../../../src/app/cli/crash.js";

const crash = suite("crash line");

crash("names the error and its code and locations, never its message", () => {
  const error = Object.assign(new RangeError("address 77 Canary Lane, jane@example.com"), {
    code: "ERR_BOOM",
  });
  const line = JSON.parse(crashLine("uncaught-exception", error, new Date("2026-12-04T10:00:00Z")));
  assert.equal(
    [line.level, line.event, line.errorName, line.errorCode],
    ["fatal", "process.uncaught-exception", "RangeError", "ERR_BOOM"],
  );
  assert.ok(line.frames.length > 0 && line.frames.every((f: string) => f.startsWith("at ")));
  assert.not.match(JSON.stringify(line), /Canary|jane/);
});

crash("a rejection with a non-Error value is named by its type", () => {
  const line = JSON.parse(crashLine("unhandled-rejection", "secret token Atza|abc"));
  assert.is(line.errorName, "string");
  assert.not.match(JSON.stringify(line), /Atza/);
});

crash.run();
