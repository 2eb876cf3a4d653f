/**
 * The approval policy for generated code (`config.evolution.approval`):
 * - `auto`: loaded once the automated pipeline passes (static checks and generated tests);
 *   the reviewer sub-agent is not waited for.
 * - `review`: additionally needs the reviewer sub-agent's review with no high finding.
 * - `manual` (default, the safest): all of the above, then a person says yes in the REPL.
 *   Without a person (daemon, CLI without a TTY) the code stays pending and is not loaded.
 * Functions, generated test files and sub-agents all go through this one decision; pending ones
 * wait in the evolution state folder (evolution_paths.ts), outside learned_skills/.
 */
import type { Finding } from "./finding.ts";

/** The three settings. */
export type ApprovalMode = "auto" | "review" | "manual";

/** What a person sees before deciding (the REPL prints it). */
export interface ApprovalRequest {
  /** What is asked for: loading a function, keeping a test file, adding a sub-agent. */
  kind: "function" | "tests" | "agent";
  name: string;
  path: string;
  /** The code (or, for a sub-agent, its definition and prompt) to approve. */
  code: string;
  /** The model-written test that ran in the sandbox, shown with a function. */
  tests?: string;
  findings: Finding[];
  testsPassed: boolean;
  lineCoverage: number | null;
}

/** Asks a person: true loads the code, false rejects it, `pending` leaves it for later. */
export type Approver = (request: ApprovalRequest) => Promise<boolean | "pending">;

/** Pipeline results the decision rests on. `reviewPassed` is undefined when no review ran. */
export interface PipelineOutcome {
  staticPassed: boolean;
  testsPassed: boolean;
  reviewPassed?: boolean;
}

/** The decision and why, in words. */
export interface ApprovalDecision {
  approved: boolean;
  /** `pending` = waiting for a person; `rejected` = a check failed or the person said no. */
  status: "approved" | "pending" | "rejected";
  reason: string;
}

/** Whether `mode` needs the reviewer sub-agent to run before deciding. */
export function needsModelReview(mode: ApprovalMode): boolean {
  return mode !== "auto";
}

/** Applies the policy; `approver` is asked only in `manual` mode and only if the checks passed. */
export async function decideApproval(
  mode: ApprovalMode,
  outcome: PipelineOutcome,
  request: ApprovalRequest,
  approver?: Approver,
): Promise<ApprovalDecision> {
  if (!outcome.staticPassed) return reject("static checks have high-severity findings");
  if (!outcome.testsPassed) return reject("generated tests failed");
  if (mode === "auto") return { approved: true, status: "approved", reason: "pipeline passed" };
  if (outcome.reviewPassed === undefined) return reject(`approval mode ${mode} needs a review`);
  if (!outcome.reviewPassed) return reject("the review has high-severity findings");
  if (mode === "review") {
    return { approved: true, status: "approved", reason: "pipeline and review passed" };
  }
  if (!approver) {
    return {
      approved: false,
      status: "pending",
      reason: "manual approval: waiting for a person (REPL `:approve`, or `skills approve`)",
    };
  }
  const answer = await approver(request);
  if (answer === "pending") {
    return {
      approved: false,
      status: "pending",
      reason: "a person did not approve it now; it waits as pending outside learned_skills/ " +
        "(`deno task cli skills approve <name>` approves it later)",
    };
  }
  return answer
    ? { approved: true, status: "approved", reason: "approved by a person" }
    : reject("a person declined it");
}

function reject(reason: string): ApprovalDecision {
  return { approved: false, status: "rejected", reason };
}
