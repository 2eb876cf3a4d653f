/**
 * The code-mode loop: the model gets the system prompt and two meta-tools; each tool call runs a
 * kernel cell or a tool search and its capped result goes back as an observation. Model mistakes
 * (bad code, bad arguments, unknown tool) are observations and the loop goes on. The task ends
 * on a final answer (a reply without tool calls), a step limit, a token or time budget, the
 * caller's signal, or a model error, and says which.
 */
// Single files, not ../model/mod.ts: sub-agent workers import this, and a worker preloads
// every module in its static graph (npm:openai, and gpt-tokenizer's 26 MB through tokens.ts).
import { captureAttribute, failSpan, inAgentSpan, inSpan } from "../telemetry/tracing.ts";
import { actionToToolCall, extractAction } from "../model/extract_action.ts";
import type { ChatMessage, ModelClient, ToolCall, ToolSchema } from "../model/types.ts";
import { type Budgets, resolveBudgets } from "./budgets.ts";
import type { EventSink, Outcome } from "./events.ts";
import type { KernelPort } from "./kernel_port.ts";
import { cellObservation } from "./observation.ts";
import { capText } from "./render_value.ts";
import { initialMessages, META_TOOLS } from "./system_prompt.ts";

/** Everything one task needs. */
export interface RunTaskOptions {
  task: string;
  model: ModelClient;
  kernel: KernelPort;
  /** `search_tools` for the model (e.g. {@link registrySearch}). */
  searchTools: (query: string, k?: number) => string | Promise<string>;
  budgets?: Partial<Budgets>;
  onEvent?: EventSink;
  /** Aborting it stops the task (outcome `interrupted`) and the running cell. */
  signal?: AbortSignal;
  /** Default: the orchestrator prompt. Ignored when `history` is given. */
  systemPrompt?: string;
  /** An earlier conversation to continue (the REPL): the task is appended as a user turn. */
  history?: ChatMessage[];
  /** Tools offered to the model; default {@link META_TOOLS}. */
  tools?: readonly ToolSchema[];
  /** Model name override (e.g. the sub-agent model). */
  modelName?: string;
  /** Ledger task name for usage accounting. */
  ledgerTask?: string;
  /** Stream the reply as `model_delta` events. */
  stream?: boolean;
  /**
   * Tokens charged to this task so far, the requests its tools made included (a
   * {@link TaskMeter}); default the orchestrator's own usage.
   */
  tokensUsed?: () => number;
  /** Counts each prompt's tokens for `model_request` events (e.g. `countTokens`); default none. */
  countTokens?: (messages: ChatMessage[], tools: readonly ToolSchema[]) => Promise<number>;
}

/** Token totals of a task. */
export interface TaskUsage {
  requests: number;
  promptTokens: number;
  completionTokens: number;
  /** Prompt tokens of each request, in order. */
  perRequest: number[];
}

/** How a task ended. `transcript` is the whole conversation, for the REPL's next turn. */
export interface TaskResult {
  outcome: Outcome;
  answer?: string;
  /** Why it ended, in words (the budget reached, the error). */
  detail: string;
  steps: number;
  usage: TaskUsage;
  transcript: ChatMessage[];
  ms: number;
}

/**
 * Runs one task to its end; never throws for model mistakes or budgets. The task is one
 * `invoke_agent` span: a trace of its own for the orchestrator, a child span for a sub-agent.
 */
export function runTask(options: RunTaskOptions): Promise<TaskResult> {
  return inAgentSpan("orchestrator", { "autoliza.operation": "task" }, async (span) => {
    const result = await runTaskInSpan(options);
    span.setAttributes({
      "autoliza.task.outcome": result.outcome,
      "autoliza.task.steps": result.steps,
      "gen_ai.usage.input_tokens": result.usage.promptTokens,
      "gen_ai.usage.output_tokens": result.usage.completionTokens,
    });
    return result;
  });
}

async function runTaskInSpan(options: RunTaskOptions): Promise<TaskResult> {
  const budgets = resolveBudgets(options.budgets);
  const started = performance.now();
  const messages: ChatMessage[] = options.history
    ? [...options.history, { role: "user", content: options.task }]
    : initialMessages(options.task, options.systemPrompt);
  const tools = options.tools ?? META_TOOLS;
  const usage: TaskUsage = { requests: 0, promptTokens: 0, completionTokens: 0, perRequest: [] };
  const timer = new AbortController();
  const timeout = setTimeout(() => timer.abort(), budgets.timeMs);
  const signal = options.signal ? AbortSignal.any([timer.signal, options.signal]) : timer.signal;
  const emit: EventSink = (e) => {
    try {
      options.onEvent?.(e);
    } catch { /* a broken listener must not break the task */ }
  };
  let step = 0;
  const end = (outcome: Outcome, detail: string, answer?: string): TaskResult => {
    clearTimeout(timeout);
    emit({ type: "done", step, outcome, detail });
    const ms = Math.round(performance.now() - started);
    return {
      outcome,
      detail,
      steps: step,
      usage,
      transcript: messages,
      ms,
      ...(answer !== undefined ? { answer } : {}),
    };
  };
  const stopped = (): [Outcome, string] | undefined => {
    if (options.signal?.aborted) return ["interrupted", "interrupted by the caller"];
    if (timer.signal.aborted) return ["time_budget", `time budget of ${budgets.timeMs} ms reached`];
    return undefined;
  };

  while (true) {
    const stop = stopped();
    if (stop) return end(...stop);
    if (step >= budgets.maxSteps) {
      return end("step_limit", `step limit of ${budgets.maxSteps} reached`);
    }
    const used = options.tokensUsed?.() ?? usage.promptTokens + usage.completionTokens;
    if (used >= budgets.maxTokens) {
      return end("token_budget", `token budget of ${budgets.maxTokens} reached (${used} used)`);
    }
    step++;
    const promptTokens = options.countTokens ? await options.countTokens(messages, tools) : -1;
    emit({ type: "model_request", step, promptTokens });
    let reply;
    try {
      reply = await options.model.chat(
        {
          messages: [...messages],
          tools: [...tools],
          ...(options.modelName ? { model: options.modelName } : {}),
        },
        {
          signal,
          ...(options.ledgerTask ? { task: options.ledgerTask } : {}),
          ...(options.stream
            ? { onDelta: (text: string) => emit({ type: "model_delta", step, text }) }
            : {}),
        },
      );
    } catch (e) {
      const stop = stopped();
      if (stop) return end(...stop);
      return end("error", `model request failed: ${(e as Error).message}`);
    }
    usage.requests++;
    usage.promptTokens += reply.usage.promptTokens;
    usage.completionTokens += reply.usage.completionTokens;
    usage.perRequest.push(reply.usage.promptTokens);
    const { content } = reply.message;
    emit({
      type: "model_reply",
      step,
      content,
      promptTokens: reply.usage.promptTokens,
      completionTokens: reply.usage.completionTokens,
      ms: reply.ms,
    });
    let calls: ToolCall[] = reply.message.toolCalls;
    if (calls.length === 0 && reply.toolMode === "plain") {
      const action = extractAction(content);
      if (action.type === "execute_code") calls = [actionToToolCall(action, `fenced_${step}`)];
    }
    messages.push(
      calls.length
        ? { role: "assistant", content, toolCalls: calls }
        : { role: "assistant", content },
    );
    if (calls.length === 0) return end("final", "the model gave a final answer", content);
    for (const call of calls) {
      const observation = await handleCall(call, step, options, budgets, signal, emit);
      messages.push({ role: "tool", toolCallId: call.id, content: observation });
    }
  }
}

async function handleCall(
  call: ToolCall,
  step: number,
  options: RunTaskOptions,
  budgets: Budgets,
  signal: AbortSignal,
  emit: EventSink,
): Promise<string> {
  const fail = (message: string) => {
    emit({ type: "tool_error", step, name: call.name, message });
    return message;
  };
  let args: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(call.arguments || "{}");
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw new Error("not an object");
    }
    args = parsed as Record<string, unknown>;
  } catch (e) {
    return fail(
      `Arguments of ${call.name} are not a JSON object (${(e as Error).message}); resend the call.`,
    );
  }
  switch (call.name) {
    case "execute_code": {
      if (typeof args.code !== "string" || !args.code.trim()) {
        return fail('execute_code needs {"code": "<TypeScript>"} with non-empty code.');
      }
      emit({ type: "code", step, code: args.code });
      const result = await inSpan("kernel cell", { "autoliza.step": step }, async (span) => {
        captureAttribute(span, "autoliza.cell.code", args.code);
        const r = await options.kernel.execute(args.code as string, {
          timeoutMs: budgets.cellTimeoutMs,
          signal,
        });
        span.setAttributes({
          "autoliza.cell.ok": r.ok,
          "autoliza.cell.ms": r.ms,
          // The real kernel's result also says whether it restarted (and restored state) in this cell.
          "autoliza.cell.restored": (r as { restart?: unknown }).restart !== undefined,
        });
        if (!r.ok) failSpan(span, new Error(r.error?.message ?? "cell failed"));
        return r;
      });
      const observation = cellObservation(result, budgets.observationChars);
      emit({ type: "cell_result", step, result, observation });
      return observation;
    }
    case "search_tools": {
      if (typeof args.query !== "string") return fail('search_tools needs {"query": "<words>"}.');
      const k = typeof args.k === "number" ? args.k : undefined;
      const text = capText(await options.searchTools(args.query, k), budgets.observationChars);
      emit({ type: "search", step, query: args.query, observation: text });
      return text;
    }
    default:
      return fail(
        `Unknown tool "${call.name}". You have execute_code and search_tools; call every other ` +
          `tool inside execute_code as \`await tools.${call.name}(input)\`.`,
      );
  }
}
