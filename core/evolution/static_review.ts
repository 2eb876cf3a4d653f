/**
 * The static half of `review_generated_code`: type check, lint, forbidden-API scan and doc/type
 * check of one file, run concurrently, merged and sorted. The file must exist; a missing file is
 * an error naming the path, not an empty report.
 */
import { type Finding, passesReview, sortFindings } from "./finding.ts";
import { scanForbiddenApis } from "./forbidden_apis.ts";
import { docCheck, lint, typeCheck } from "./static_checks.ts";

/** The result of the static checks on one file. */
export interface StaticReport {
  file: string;
  findings: Finding[];
  /** No high-severity finding. */
  passed: boolean;
  ms: number;
}

/** Which checks to run; all by default (tests of generated tests skip the doc check). */
export interface StaticReviewOptions {
  docs?: boolean;
}

/** Runs every static check on `file`. */
export async function staticReview(
  file: string,
  options: StaticReviewOptions = {},
): Promise<StaticReport> {
  const started = performance.now();
  let source: string;
  try {
    source = await Deno.readTextFile(file);
  } catch (e) {
    throw new Error(`Cannot review "${file}": ${(e as Error).message}`);
  }
  const [checked, linted, documented] = await Promise.all([
    typeCheck(file),
    lint(file),
    options.docs === false ? Promise.resolve([]) : docCheck(file),
  ]);
  const findings = sortFindings([
    ...scanForbiddenApis(source),
    ...checked,
    ...linted,
    ...documented,
  ]);
  return { file, findings, passed: passesReview(findings), ms: performance.now() - started };
}
