/**
 * One conversation with the orchestrator: a kernel that persists across turns, the transcript
 * carried from one task to the next, and call_subagent wired to a sub-agent runner. The REPL
 * drives one; the daemon can drive others. `reset` gives a fresh kernel and conversation.
 */
import { countTokens } from "../model/tokens.ts";
import type { ChatMessage, ModelClient } from "../model/types.ts";
import type { ToolRegistry } from "../tools/registry.ts";
import type { Budgets } from "./budgets.ts";
import type { EventSink } from "./events.ts";
import type { KernelFactory, KernelPort } from "./kernel_port.ts";
import { runTask, type TaskResult } from "./run_task.ts";
import type { SubagentRunner } from "./subagent_runner.ts";
import { orchestratorPrompt } from "./system_prompt.ts";
import { createToolRouter, registrySearch } from "./tool_router.ts";

/** Wiring of an {@link AgentSession}. */
export interface AgentSessionOptions {
  model: ModelClient;
  registry: ToolRegistry;
  kernelFactory: KernelFactory;
  subagents?: SubagentRunner;
  budgets?: Partial<Budgets>;
  agentName?: string;
  sessionId?: string;
  services?: Record<string, unknown>;
  /** Stream replies as `model_delta` events. */
  stream?: boolean;
}

/** See the file doc. Create with {@link AgentSession.open}. */
export class AgentSession {
  readonly options: AgentSessionOptions;
  /** The conversation so far (system prompt first); empty before the first task. */
  transcript: ChatMessage[] = [];
  #kernel!: KernelPort;

  private constructor(options: AgentSessionOptions) {
    this.options = options;
  }

  /** Starts the session's kernel. */
  static async open(options: AgentSessionOptions): Promise<AgentSession> {
    const s = new AgentSession(options);
    s.#kernel = await s.#newKernel();
    return s;
  }

  /** The session's kernel. */
  get kernel(): KernelPort {
    return this.#kernel;
  }

  /** Runs one task in this conversation; the transcript grows with it. */
  async ask(
    task: string,
    options: { signal?: AbortSignal; onEvent?: EventSink } = {},
  ): Promise<TaskResult> {
    const system = orchestratorPrompt(this.options.agentName);
    const result = await runTask({
      task,
      model: this.options.model,
      kernel: this.#kernel,
      searchTools: registrySearch(this.options.registry),
      countTokens,
      ...(this.transcript.length ? { history: this.transcript } : { systemPrompt: system }),
      ...(this.options.budgets ? { budgets: this.options.budgets } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      ...(this.options.sessionId ? { ledgerTask: this.options.sessionId } : {}),
      ...(this.options.stream ? { stream: true } : {}),
    });
    this.transcript = closeOpenCalls(result.transcript);
    return result;
  }

  /** A fresh kernel and an empty conversation. */
  async reset(): Promise<void> {
    await this.#kernel.close();
    this.#kernel = await this.#newKernel();
    this.transcript = [];
  }

  /** Closes the kernel. */
  async close(): Promise<void> {
    await this.#kernel.close();
  }

  #newKernel(): Promise<KernelPort> {
    const holder: { kernel?: KernelPort } = {};
    const runner = this.options.subagents;
    return this.options.kernelFactory(createToolRouter({
      registry: this.options.registry,
      kernel: () => holder.kernel,
      ...(runner ? { callSubagent: (n, v, value, i) => runner.call(n, v, value, i) } : {}),
      ...(this.options.services ? { services: this.options.services } : {}),
      ...(this.options.sessionId ? { sessionId: this.options.sessionId } : {}),
    })).then((k) => (holder.kernel = k));
  }
}

/**
 * A task stopped mid-step (budget, Ctrl-C) can leave tool calls without results; the API rejects
 * such a conversation, so each gets a "not run" result before the next turn.
 */
function closeOpenCalls(messages: ChatMessage[]): ChatMessage[] {
  const out = [...messages];
  const last = out.findLastIndex((m) => m.role === "assistant");
  const calls = last >= 0 ? (out[last] as { toolCalls?: { id: string }[] }).toolCalls ?? [] : [];
  const answered = new Set(
    out.slice(last + 1).flatMap((m) => m.role === "tool" ? [m.toolCallId] : []),
  );
  for (const c of calls) {
    if (!answered.has(c.id)) {
      out.push({ role: "tool", toolCallId: c.id, content: "(not run: the task was stopped)" });
    }
  }
  return out;
}
