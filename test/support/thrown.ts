import * as assert from "uvu/assert";
import type { IntegrationError } from "../../src/app/errors.js";

/** What `work` throws; fails the test when it returns instead. */
export function thrown(work: () => unknown): IntegrationError {
  try {
    work();
  } catch (error) {
    return error as IntegrationError;
  }
  return assert.unreachable("expected a failure") as never;
}
