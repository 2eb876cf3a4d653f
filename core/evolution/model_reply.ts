/**
 * Reads the evolution sub-agents' replies: the fenced code block of a generator and the JSON
 * findings of the reviewer. A reply without what was asked for is a model mistake, reported as
 * a {@link ReplyFormatError} so the loop can retry with the reason as feedback.
 */
import { z } from "zod";
import type { Finding } from "./finding.ts";

/** The model's reply did not contain what was asked for. */
export class ReplyFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReplyFormatError";
  }
}

/** The largest fenced block of the given languages; bare text when the reply is only code. */
export function extractCode(
  reply: string,
  langs: readonly string[] = ["ts", "typescript"],
): string {
  const blocks = [...reply.matchAll(/```([\w-]*)[^\n]*\n([^]*?)```/g)]
    .filter((m) => m[1] === "" || langs.includes(m[1]!.toLowerCase()))
    .map((m) => m[2]!);
  if (blocks.length === 0) {
    if (/^\s*(import|export|\/\*\*|Deno\.test)/.test(reply)) return reply.trim() + "\n";
    throw new ReplyFormatError("the reply has no ```ts fenced code block");
  }
  return blocks.sort((a, b) => b.length - a.length)[0]!.trimEnd() + "\n";
}

const ReviewItem = z.object({
  severity: z.enum(["high", "medium", "low"]),
  line: z.coerce.number().int().min(0).default(0),
  message: z.string().min(1),
  fix: z.string().default("See the message."),
  rule: z.string().optional(),
});

/** The reviewer's findings from its ```json block. */
export function parseReviewFindings(reply: string): Finding[] {
  const block = /```json[^\n]*\n([^]*?)```/i.exec(reply)?.[1] ??
    /(\[[^]*\])/.exec(reply)?.[1];
  if (block === undefined) throw new ReplyFormatError("the review has no ```json block");
  let raw: unknown;
  try {
    raw = JSON.parse(block);
  } catch (e) {
    throw new ReplyFormatError(`the review's JSON does not parse: ${(e as Error).message}`);
  }
  const parsed = z.array(ReviewItem).safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new ReplyFormatError(`review finding ${i.path.join(".")}: ${i.message}`);
  }
  return parsed.data.map((f) => ({
    severity: f.severity,
    source: "review",
    rule: f.rule ?? "reviewer",
    message: f.message,
    line: f.line,
    fix: f.fix,
  }));
}
