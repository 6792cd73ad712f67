import type { DatedFile, RetainedKind, RetentionFiles } from "../ports/retention-files.port.js";
import { describeFault, type StepTally } from "./step-report.js";

export interface DateRange {
  readonly from_date: string;
  readonly to_date: string;
}

/**
 * Deletes (or, in a dry run, only counts) the files of `kind` that `expired` selects. A file that
 * cannot be deleted is a problem of the step; the others still go. Returns how many went (or would
 * go) and the range of their dates.
 */
export function expireFiles(
  files: RetentionFiles,
  kind: RetainedKind,
  expired: (file: DatedFile) => boolean,
  dryRun: boolean,
  tally: StepTally,
): { count: number; range?: DateRange } {
  const due = files.list(kind).filter(expired);
  let count = 0;
  const dates: string[] = [];
  for (const file of due) {
    try {
      if (!dryRun) files.delete(file);
      count++;
      dates.push(file.date.toISOString());
    } catch (error) {
      const fault = describeFault(error);
      tally.problem({
        code: `${kind.toUpperCase()}_DELETE_FAILED`,
        message: `could not delete ${file.name} (${fault.code}); it is retried at the next run`,
        fileName: file.name,
      });
    }
  }
  dates.sort();
  const [first, last] = [dates[0], dates[dates.length - 1]];
  return { count, ...(first && last ? { range: { from_date: first, to_date: last } } : {}) };
}
