/**
 * `review_generated_code(filepath)`: the static checks plus a reviewer sub-agent (one chat call
 * through the ModelClient, with the static findings in the prompt so it reports only new ones).
 * An unreadable review is retried once, then counted as a failed review: safe by default.
 */
import type { ChatMessage, ModelClient } from "../model/mod.ts";
import { type Finding, passesReview, sortFindings } from "./finding.ts";
import { parseReviewFindings, ReplyFormatError } from "./model_reply.ts";
import { REVIEWER_PROMPT, reviewRequest } from "./prompts.ts";
import { type StaticReport, staticReview } from "./static_review.ts";

/** Token use of the sub-agent calls of one operation. */
export interface SubagentUsage {
  requests: number;
  promptTokens: number;
  completionTokens: number;
}

/** The full review of one file. */
export interface ReviewReport {
  file: string;
  /** Static and reviewer findings together, by severity. */
  findings: Finding[];
  static: StaticReport;
  /** Whether the reviewer sub-agent gave a readable review. */
  reviewed: boolean;
  /** No high finding and, when a model was given, a readable review. */
  passed: boolean;
  usage: SubagentUsage;
}

/** Where the reviewer sub-agent runs. Without `model`, only the static checks run. */
export interface ReviewOptions {
  model?: ModelClient;
  /** The sub-agent model (config.model.subagentName). */
  modelName?: string;
  /** Ledger task name. */
  task?: string;
  /** Set false for test files (no doc/type requirements on exports). */
  docs?: boolean;
}

/** Reviews `file`: static checks, then the reviewer sub-agent when a model is given. */
export async function reviewGeneratedCode(
  file: string,
  options: ReviewOptions = {},
): Promise<ReviewReport> {
  const report = await staticReview(file, options.docs === false ? { docs: false } : {});
  const usage = emptyUsage();
  if (!options.model) {
    return {
      file,
      findings: report.findings,
      static: report,
      reviewed: false,
      passed: report.passed,
      usage,
    };
  }
  const source = await Deno.readTextFile(file);
  const extra = await askReviewer(options.model, file, source, report.findings, options, usage);
  const findings = sortFindings([...report.findings, ...(extra ?? [])]);
  return {
    file,
    findings,
    static: report,
    reviewed: extra !== undefined,
    passed: extra !== undefined && passesReview(findings),
    usage,
  };
}

/** One reviewer call (plus one retry on an unreadable reply); undefined if still unreadable. */
export async function askReviewer(
  model: ModelClient,
  path: string,
  source: string,
  known: readonly Finding[],
  options: Pick<ReviewOptions, "modelName" | "task">,
  usage: SubagentUsage,
): Promise<Finding[] | undefined> {
  const messages: ChatMessage[] = [
    { role: "system", content: REVIEWER_PROMPT },
    { role: "user", content: reviewRequest(path, source, known) },
  ];
  for (let attempt = 0; attempt < 2; attempt++) {
    const reply = await model.chat(
      { messages, ...(options.modelName ? { model: options.modelName } : {}) },
      options.task ? { task: options.task } : {},
    );
    addUsage(usage, reply.usage);
    try {
      return parseReviewFindings(reply.message.content);
    } catch (e) {
      if (!(e instanceof ReplyFormatError)) throw e;
      messages.push({ role: "assistant", content: reply.message.content });
      messages.push({ role: "user", content: `Unreadable: ${e.message}. Reply again.` });
    }
  }
  return undefined;
}

/** A zeroed usage counter. */
export function emptyUsage(): SubagentUsage {
  return { requests: 0, promptTokens: 0, completionTokens: 0 };
}

/** Adds one reply's usage to a counter. */
export function addUsage(
  to: SubagentUsage,
  u: { promptTokens: number; completionTokens: number },
): void {
  to.requests++;
  to.promptTokens += u.promptTokens;
  to.completionTokens += u.completionTokens;
}
