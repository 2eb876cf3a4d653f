/**
 * The script file of `deno task cli model-server` (YAML or JSON): the replies a scripted model
 * gives, for people writing skills, tests and demos without a real model. A request whose system
 * prompt matches the `match` pattern (a case-insensitive regular expression) of an unused reply
 * gets the first such reply; every other request gets the next unused reply without `match`. So
 * a sub-agent's replies can sit beside the orchestrator's. Example:
 *
 * ```yaml
 * model: scripted-model            # optional: the name /v1/models reports
 * replies:
 *   - code: |                      # an execute_code call
 *       const sales = [3, 5, 8]
 *       sales.length
 *   - search: count words           # a search_tools call
 *   - say: Three rows, loaded.     # a plain answer (ends the task)
 *   - match: summar               # for the summarizer sub-agent only
 *     say: A short summary.
 *   - tool: { name: execute_code, arguments: { code: "1 + 1" } }
 *   - status: 429                  # a fault: any ScriptedReply field works (delayMs, ...)
 * ```
 */
import { z } from "zod";
import { parse as parseYaml } from "yaml";
import type { ReceivedRequest, ScriptedReply } from "./scripted_model_server.ts";

const Reply = z.strictObject({
  match: z.string().optional(),
  code: z.string().optional(),
  search: z.string().optional(),
  say: z.string().optional(),
  tool: z.strictObject({ name: z.string(), arguments: z.record(z.string(), z.unknown()) })
    .optional(),
  content: z.string().optional(),
  status: z.number().int().optional(),
  error: z.string().optional(),
  delayMs: z.number().int().min(0).optional(),
  usage: z.object({ promptTokens: z.number(), completionTokens: z.number() }).optional(),
});
const ScriptFile = z.strictObject({
  model: z.string().optional(),
  replies: z.array(Reply).min(1),
});

/** A parsed script: the model name and a chooser for the scripted server. */
export interface ModelScript {
  model?: string;
  replies: number;
  /** The reply to one request, or undefined when none is left for it. */
  next(request: ReceivedRequest): ScriptedReply | undefined;
}

/** Reads and validates a script file; errors name the file and the reply. */
export function readModelScript(path: string): ModelScript {
  let raw: unknown;
  try {
    const text = Deno.readTextFileSync(path);
    raw = path.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new Error(`Cannot read model script "${path}": ${(e as Error).message}`);
  }
  const parsed = ScriptFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.map(String).join(".") || "(file)";
    throw new Error(`Model script "${path}": ${where}: ${issue.message}`);
  }
  const replies = parsed.data.replies.map((r, i) => ({
    match: r.match ? new RegExp(r.match, "i") : undefined,
    reply: toReply(r, i),
  }));
  const used = replies.map(() => false);
  return {
    ...(parsed.data.model ? { model: parsed.data.model } : {}),
    replies: replies.length,
    next(request) {
      const messages = (request.body?.messages ?? []) as { content?: unknown }[];
      const system = String(messages[0]?.content ?? "");
      let i = replies.findIndex((r, i) => !used[i] && r.match?.test(system));
      if (i < 0) i = replies.findIndex((r, i) => !used[i] && !r.match);
      if (i < 0) return undefined;
      used[i] = true;
      return replies[i]!.reply;
    },
  };
}

function toReply(r: z.infer<typeof Reply>, index: number): ScriptedReply {
  const { match: _m, code, search, say, tool, ...rest } = r;
  const id = `call_${index + 1}`;
  const reply: ScriptedReply = Object.fromEntries(
    Object.entries(rest).filter(([, v]) => v !== undefined),
  ) as ScriptedReply;
  if (say !== undefined) reply.content = say;
  if (code !== undefined) reply.toolCalls = [{ id, name: "execute_code", arguments: { code } }];
  if (search !== undefined) {
    reply.toolCalls = [{ id, name: "search_tools", arguments: { query: search } }];
  }
  if (tool) reply.toolCalls = [{ id, name: tool.name, arguments: tool.arguments }];
  return reply;
}
