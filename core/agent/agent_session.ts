/**
 * One conversation with the orchestrator: a kernel that persists across turns, the transcript
 * carried from one task to the next, and call_subagent wired to a sub-agent runner. The REPL
 * drives one; the daemon can drive others. `reset` gives a fresh kernel and conversation. With
 * `evolution` options the session owns an EvolutionService: cells and tool calls are recorded,
 * the session auto-saves after each successful cell, and the evolution tools work from cells.
 */
import type { ApprovalMode, Approver } from "../evolution/approval.ts";
import type { SandboxLimits } from "../evolution/staged_test.ts";
import { EvolutionService } from "../evolution/evolution_service.ts";
import { recordingCallTool, recordingSink } from "../evolution/history_recorder.ts";
import type { Logger } from "../log.ts";
import { countTokens } from "../model/tokens.ts";
import type { ChatMessage, ModelClient } from "../model/types.ts";
import type { ToolRegistry } from "../tools/registry.ts";
import type { Budgets } from "./budgets.ts";
import type { EventSink } from "./events.ts";
import type { KernelFactory, KernelPort } from "./kernel_port.ts";
import { resolveBudgets } from "./budgets.ts";
import type { CellResult } from "./kernel_port.ts";
import { cellObservation } from "./observation.ts";
import { runTask, type TaskResult } from "./run_task.ts";
import type { TaskMeter } from "./task_meter.ts";
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
  /** Self-evolution settings; none = no evolution service (the tools report it missing). */
  evolution?: SessionEvolutionOptions;
  /**
   * Charges each task with every model request made while it runs (the model given here should
   * be `meter.client(model)`, and so should the sub-agents' and evolution's).
   */
  meter?: TaskMeter;
}

/** The per-session part of the evolution service's wiring (the rest comes from the session). */
export interface SessionEvolutionOptions {
  /** config.evolution.approval. */
  approval: ApprovalMode;
  maxRefinements: number;
  /** Asked in `manual` mode (the REPL); none = generated code stays pending. */
  approver?: Approver;
  learnedDir: string;
  /** config.database.dataDir: pending generated code waits in `<dataDir>/evolution/`. */
  dataDir: string;
  /** The kernel's memory limits, for sandboxed runs of generated tests. */
  sandbox?: SandboxLimits;
  sessionsDir: string;
  /** config.model.subagentName. */
  modelName?: string;
  /** Auto-save name after each successful cell; default the session id; false = off. */
  autoSave?: string | false;
  log?: Logger;
}

/** See the file doc. Create with {@link AgentSession.open}. */
export class AgentSession {
  readonly options: AgentSessionOptions;
  /** The conversation so far (system prompt first); empty before the first task. */
  transcript: ChatMessage[] = [];
  #kernel!: KernelPort;
  /** The session's evolution service, when `options.evolution` was given. */
  readonly evolution: EvolutionService | undefined;
  /** Cells a person ran since the model's last turn; told to the model with the next task. */
  #personCells: string[] = [];

  private constructor(options: AgentSessionOptions) {
    this.options = options;
    this.evolution = options.evolution ? this.#newEvolution(options.evolution) : undefined;
  }

  /** Starts the session's kernel; learned skills are in search from the start. */
  static async open(options: AgentSessionOptions): Promise<AgentSession> {
    const s = new AgentSession(options);
    await s.evolution?.indexLearned();
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
    const onEvent = this.#sink(options.onEvent);
    if (this.#personCells.length) {
      task = `${task}\n\n(Cells I ran in the kernel myself since your last turn:\n` +
        `${this.#personCells.join("\n")})`;
      this.#personCells = [];
    }
    const meter = this.options.meter;
    meter?.begin(resolveBudgets(this.options.budgets).maxTokens);
    const result = await runTask({
      task,
      model: this.options.model,
      kernel: this.#kernel,
      searchTools: registrySearch(this.options.registry),
      countTokens,
      ...(this.transcript.length ? { history: this.transcript } : { systemPrompt: system }),
      ...(this.options.budgets ? { budgets: this.options.budgets } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(onEvent ? { onEvent } : {}),
      ...(this.options.sessionId ? { ledgerTask: this.options.sessionId } : {}),
      ...(this.options.stream ? { stream: true } : {}),
      ...(meter ? { tokensUsed: () => meter.used() } : {}),
    }).finally(() => meter?.end());
    this.transcript = closeOpenCalls(result.transcript);
    return result;
  }

  /**
   * Runs `code` as a cell a person typed (no model): the same kernel and tools, recorded in the
   * history and auto-saved like the model's cells, and told to the model with the next task.
   */
  async runCode(
    code: string,
    options: { signal?: AbortSignal; onEvent?: EventSink } = {},
  ): Promise<CellResult> {
    const budgets = resolveBudgets(this.options.budgets);
    const onEvent = this.#sink(options.onEvent);
    onEvent?.({ type: "code", step: 0, code });
    const result = await this.#kernel.execute(code, {
      timeoutMs: budgets.cellTimeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const observation = cellObservation(result, budgets.observationChars);
    onEvent?.({ type: "cell_result", step: 0, result, observation });
    this.#personCells.push("```ts\n" + code + "\n```\n" + observation);
    return result;
  }

  /** A fresh kernel and an empty conversation (queued saves finish first). */
  async reset(): Promise<void> {
    await this.evolution?.settled();
    await this.#kernel.close();
    this.#kernel = await this.#newKernel();
    this.transcript = [];
    this.#personCells = [];
  }

  /** Waits for queued evolution work (auto-saves, loads), then closes the kernel. */
  async close(): Promise<void> {
    await this.evolution?.settled();
    await this.#kernel.close();
  }

  #newKernel(): Promise<KernelPort> {
    const holder: { kernel?: KernelPort } = {};
    const runner = this.options.subagents;
    const evolution = this.evolution;
    const services = { ...this.options.services, ...(evolution ? { evolution } : {}) };
    const router = createToolRouter({
      registry: this.options.registry,
      kernel: () => holder.kernel,
      ...(runner ? { callSubagent: (n, v, value, i) => runner.call(n, v, value, i) } : {}),
      ...(Object.keys(services).length ? { services } : {}),
      ...(this.options.sessionId ? { sessionId: this.options.sessionId } : {}),
    });
    return this.options.kernelFactory(evolution ? recordingCallTool(evolution, router) : router)
      .then((k) => (holder.kernel = k));
  }

  /** The task's event sink: records cells (and auto-saves) when evolution is on. */
  #sink(next: EventSink | undefined): EventSink | undefined {
    const evo = this.options.evolution;
    if (!this.evolution || !evo) return next;
    const autoSave = evo.autoSave === undefined ? this.options.sessionId : evo.autoSave;
    return recordingSink(this.evolution, {
      ...(autoSave ? { autoSave } : {}),
      ...(next ? { next } : {}),
    });
  }

  #newEvolution(evo: SessionEvolutionOptions): EvolutionService {
    const { registry, model } = this.options;
    const kernel = () => (this.#kernel as KernelPort | undefined);
    const conversation = () => this.transcript;
    return new EvolutionService({
      model,
      ...(evo.modelName ? { modelName: evo.modelName } : {}),
      approval: evo.approval,
      maxRefinements: evo.maxRefinements,
      ...(evo.approver ? { approver: evo.approver } : {}),
      learnedDir: evo.learnedDir,
      dataDir: evo.dataDir,
      ...(evo.sandbox ? { sandbox: evo.sandbox } : {}),
      sessionsDir: evo.sessionsDir,
      // A reset gives a new kernel with a new workspace: read it at each use.
      get workspaceDir(): string {
        const dir = kernel()?.workspaceDir;
        if (!dir) throw new Error("the session's kernel has no workspace on disk");
        return dir;
      },
      sessionId: this.options.sessionId ?? "session",
      kernel,
      conversation,
      addSearchEntries: (specs) => registry.addCatalog(specs),
      toolNames: () => registry.names(),
      ...(evo.log ? { log: evo.log } : {}),
    });
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
