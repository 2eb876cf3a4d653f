/**
 * Text the REPL shows for evolution: the manual-approval prompt (code with line numbers plus
 * findings and test results), `:suggest` output, and the `:load` report. Plain functions so the
 * REPL and the daemon's API render the same thing.
 */
import type { Suggestion } from "./analyze_history.ts";
import type { ApprovalRequest } from "./approval.ts";
import { formatFindings } from "./finding.ts";
import type { LoadReport } from "../sessions/session_state.ts";

/** What a person reads before answering y/n in `manual` mode. */
export function formatApprovalRequest(r: ApprovalRequest): string {
  const cov = r.lineCoverage === null ? "n/a" : `${Math.round(r.lineCoverage * 100)}%`;
  const tests = r.tests ? `Its test (ran in the sandbox):\n${numbered(r.tests)}\n` : "";
  return `Generated ${r.path}:\n${numbered(r.code)}\n${tests}` +
    `Tests: ${r.testsPassed ? "passed" : "FAILED"}, line coverage ${cov}\n` +
    `Findings:\n${formatFindings(r.findings)}\n${QUESTION[r.kind]} [y/N]`;
}

const QUESTION: Record<ApprovalRequest["kind"], string> = {
  function: "Load it into the kernel?",
  tests: "Keep this test in learned_skills/tests/?",
  agent: "Add this sub-agent?",
};

function numbered(text: string): string {
  return text.split("\n").map((l, i) => `${String(i + 1).padStart(4)} | ${l}`).join("\n");
}

/** `:suggest`: one block per suggestion, best first. */
export function formatSuggestions(suggestions: readonly Suggestion[]): string {
  if (suggestions.length === 0) return "No repeated patterns yet.";
  return suggestions.map((s, i) => {
    const params = s.parameters.map((p) => `${p.name} (e.g. ${JSON.stringify(p.examples[0])})`);
    return `${i + 1}. ${s.name}: used ${s.occurrences}x, ~${s.estimatedTokensSaved} tokens saved ` +
      `(${s.codeTokens} -> ${s.callTokens} per use)\n   ${s.description}` +
      (params.length ? `\n   parameters: ${params.join(", ")}` : "") +
      `\n   generate with: generate_function("${s.name}", "<what it does>", [examples])`;
  }).join("\n");
}

/** `:load`: what came back and what did not. */
export function formatLoadReport(name: string, r: LoadReport): string {
  const lines = [
    `Loaded session "${name}" in ${Math.round(r.ms)} ms: ${r.restored.length} variable(s), ` +
    `${r.functions.length} learned function(s), ${r.conversation.length} message(s).`,
  ];
  if (r.functions.length) lines.push(`functions: ${r.functions.join(", ")}`);
  for (const l of r.lost) lines.push(`not restored: ${l.what} (${l.reason})`);
  for (const c of r.learned.changed) lines.push(`changed since save: ${c.path}`);
  return lines.join("\n");
}
