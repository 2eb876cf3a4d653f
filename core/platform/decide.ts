/**
 * The "decide" step of a cycle as one injectable function, `decide(context, tools, budgets)`,
 * so the code-mode orchestrator can replace it. {@link nativeDecide} is the default: chat
 * requests with the VTuber tools' schemas, the model's tool calls run through `tools.call`,
 * results fed back, for up to `maxSteps` steps within the token and time budgets. On endpoints
 * without tool calling the gateway answers in plain mode; the fenced code is read for
 * `tool_name({...})` calls.
 */
import type { ToolResult } from "../tools/call_tool.ts";
import type { ChatMessage, ModelClient, ToolSchema } from "../model/types.ts";
import { INVALID, plainCalls, plainReplyCalls } from "./plain_calls.ts";
import { contextMessages, type CycleContext } from "./cycle_context.ts";

/** The tools a decide function may use; calls are recorded by the loop. */
export interface DecideTools {
  specs: ToolSchema[];
  call(name: string, args: unknown): Promise<ToolResult>;
}

/** The limits of one cycle. */
export interface Budgets {
  maxSteps: number;
  maxTokens: number;
  /** Aborted when the cycle's time budget is spent or the daemon stops. */
  signal: AbortSignal;
}

/** One model step and the calls it made. */
export interface Decision {
  step: number;
  thought: string;
  calls: Array<{ tool: string; args: unknown; ok: boolean; ms: number; error?: string }>;
}

/** What a decide function reports. */
export interface DecideResult {
  decisions: Decision[];
  tokens: { prompt: number; completion: number };
  /** Time spent waiting for the model, in ms. */
  modelMs: number;
  stopReason: "done" | "max_steps" | "max_tokens";
}

/** The injectable decide step. */
export type Decide = (
  context: CycleContext,
  tools: DecideTools,
  budgets: Budgets,
) => Promise<DecideResult>;

/** Decide with a tool-calling model through the gateway. */
export function nativeDecide(model: ModelClient): Decide {
  return async (context, tools, budgets) => {
    const messages: ChatMessage[] = contextMessages(context);
    const result: DecideResult = {
      decisions: [],
      tokens: { prompt: 0, completion: 0 },
      modelMs: 0,
      stopReason: "max_steps",
    };
    for (let step = 1; step <= budgets.maxSteps; step++) {
      const t0 = performance.now();
      const reply = await model.chat(
        { messages, tools: tools.specs, toolChoice: "auto" },
        { signal: budgets.signal, task: `cycle-${context.cycle}` },
      );
      result.modelMs += performance.now() - t0;
      result.tokens.prompt += reply.usage.promptTokens;
      result.tokens.completion += reply.usage.completionTokens;
      // Plain mode (no tool calling, e.g. Livepeer): the calls are written in fenced code.
      const plain = reply.toolMode === "plain" && !reply.message.toolCalls.length
        ? plainReplyCalls(reply.message.content, `fenced_${step}`)
        : undefined;
      const calls = plain?.calls ?? plainCalls(reply.message.toolCalls);
      const decision: Decision = {
        step,
        thought: plain?.thought ?? reply.message.content,
        calls: [],
      };
      result.decisions.push(decision);
      if (!calls.length) {
        result.stopReason = "done";
        break;
      }
      messages.push({
        role: "assistant",
        content: plain ? plain.thought : reply.message.content,
        toolCalls: calls,
      });
      for (const call of calls) {
        let args: unknown;
        let r: ToolResult;
        try {
          args = call.arguments.trim() ? JSON.parse(call.arguments) : {};
          const invalid = (args as Record<string, unknown> | null)?.[INVALID];
          r = invalid === undefined ? await tools.call(call.name, args) : {
            ok: false,
            ms: 0,
            error: {
              code: "invalid_args",
              message: `Arguments must be literal values (code is not run): ${invalid}`,
            },
          };
        } catch (e) {
          r = {
            ok: false,
            ms: 0,
            error: {
              code: "invalid_args",
              message: `Arguments are not JSON: ${(e as Error).message}`,
            },
          };
        }
        decision.calls.push({
          tool: call.name,
          args,
          ok: r.ok,
          ms: r.ms,
          ...(r.ok ? {} : { error: r.error.message }),
        });
        const content = r.ok ? JSON.stringify(r.value ?? null) : `Error: ${r.error.message}`;
        messages.push({ role: "tool", toolCallId: call.id, content: content.slice(0, 4000) });
      }
      if (result.tokens.prompt + result.tokens.completion >= budgets.maxTokens) {
        result.stopReason = "max_tokens";
        break;
      }
    }
    return result;
  };
}
