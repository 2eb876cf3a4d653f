/**
 * The shape every check reports: a finding with a severity, a location and a suggested fix.
 * Static checks (type check, lint, forbidden APIs, docs) and the reviewer sub-agent share it, so
 * the refinement loop can feed any of them back to the code generator as text.
 */

/** How bad a finding is. Any `high` finding blocks loading the code. */
export type Severity = "high" | "medium" | "low";

/** Which check produced a finding. */
export type FindingSource = "check" | "lint" | "forbidden" | "docs" | "test" | "review";

/** One problem in a generated file. `line` is 1-based; 0 means the whole file. */
export interface Finding {
  severity: Severity;
  source: FindingSource;
  /** A short rule id, e.g. `TS2322`, `no-unused-vars`, `net-fetch`, `missing-doc`. */
  rule: string;
  message: string;
  line: number;
  /** What to change, in one sentence. */
  fix: string;
}

const ORDER: Record<Severity, number> = { high: 0, medium: 1, low: 2 };

/** Sorts findings by severity, then line. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => ORDER[a.severity] - ORDER[b.severity] || a.line - b.line);
}

/** True when no finding is high severity. */
export function passesReview(findings: readonly Finding[]): boolean {
  return !findings.some((f) => f.severity === "high");
}

/** Renders findings as numbered lines for a prompt, a REPL or a log. */
export function formatFindings(findings: readonly Finding[]): string {
  if (findings.length === 0) return "no findings";
  return sortFindings(findings).map((f, i) =>
    `${i + 1}. [${f.severity}] line ${f.line} ${f.source}/${f.rule}: ${f.message} Fix: ${f.fix}`
  ).join("\n");
}

/** Counts findings per severity. */
export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const out: Record<Severity, number> = { high: 0, medium: 0, low: 0 };
  for (const f of findings) out[f.severity]++;
  return out;
}
