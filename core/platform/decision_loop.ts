/**
 * The autonomous decision loop. Every interval, measured from the end of the previous cycle:
 * gather the context, let `decide` choose actions (tool calls through the registry), record
 * every call as a `tool_usage` row and the cycle's outcome as a memory (through the retrying
 * write queue), and keep a record of the cycle (start, end, decisions, calls, errors). Each
 * cycle runs under step, token and time budgets; a failed cycle is recorded and the loop goes on.
 */
import type { Logger } from "../log.ts";
import type { AgentScope } from "../memory/eliza_ids.ts";
import { impactScore, platformToolName } from "../memory/platform_rows.ts";
import type { ToolResult } from "../tools/call_tool.ts";
import type { ToolSpec } from "../tools/tool_spec.ts";
import { type CycleContext, gatherContext } from "./cycle_context.ts";
import { cycleMemory, noteOwn, restoreLedger } from "./cycle_memory.ts";
import { CycleTaint, type DirectivePolicy } from "./cycle_taint.ts";
import { ScbLedger } from "./scb_ledger.ts";
import type { Decide, DecideResult, Decision } from "./decide.ts";
import { saveOnce } from "./idempotent_writes.ts";
import type { Metrics } from "./metrics.ts";
import type { PlatformMemory } from "./platform_services.ts";
import type { ScbService } from "./scb_entry.ts";
import { ActionHistory } from "./variety.ts";
import { type ContextSection, contextSections } from "./cycle_view.ts";
import { activeTraceId, failSpan, inAgentSpan, inSpan } from "../telemetry/tracing.ts";
import type { WriteQueue } from "./write_queue.ts";

/** The record of one cycle, as `/api/cycles` shows it. */
export interface CycleRecord {
  id: number;
  /** The cycle's trace when tracing is on (OTEL_DENO=true). */
  traceId?: string;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  /** Time spent waiting for the model. */
  modelMs: number;
  /** Everything else: context, tool dispatch, bookkeeping. */
  overheadMs: number;
  /** Reading the SCB, facts and memories. */
  contextMs: number;
  status: "ok" | "failed";
  stopReason?: DecideResult["stopReason"] | "time" | undefined;
  decisions: Decision[];
  /** Each call with its arguments and result (JSON, bounded; redacted when served). */
  toolCalls: Array<
    { tool: string; ok: boolean; ms: number; error?: string; args?: unknown; result?: unknown }
  >;
  /** What the model was shown, section by section, with each text's origin (cycle_view.ts). */
  context?: ContextSection[];
  errors: string[];
  tokens: { prompt: number; completion: number };
  /** Origins of untrusted text this cycle showed the model (empty: none). */
  taint: string[];
}

/** The tool runner the loop needs (a {@link ToolRegistry}). */
export interface LoopRegistry {
  specs(): ToolSpec[];
  call(
    name: string,
    args: unknown,
    ctx: { signal?: AbortSignal; services?: Record<string, unknown>; sessionId?: string },
  ): Promise<ToolResult>;
}

/** Settings of {@link DecisionLoop}. */
export interface DecisionLoopOptions {
  agentId: string;
  agentName: string;
  /** The loop's room, world and entity (ElizaOS's `createUniqueUuid(agent, "auto")`). */
  scope?: AgentScope | undefined;
  intervalMs: number;
  maxSteps: number;
  maxTokens: number;
  cycleTimeoutMs: number;
  decide: Decide;
  registry: LoopRegistry;
  /** The tools offered to the model. */
  toolNames: readonly string[];
  /** `ctx.services` for the tools. */
  services: Record<string, unknown>;
  scb?: ScbService | undefined;
  memory?: PlatformMemory | undefined;
  log: Logger;
  metrics: Metrics;
  writes: WriteQueue;
  /** Cycle records kept for `/api/cycles`; default 200. */
  keep?: number;
  /** Manager directives in a cycle that showed untrusted text: `untainted` (default) refuses. */
  managerDirectives?: DirectivePolicy | undefined;
}

/** See the file doc. `start()` runs it in the background; `runOnce()` runs one cycle now. */
export class DecisionLoop {
  readonly #o: DecisionLoopOptions;
  readonly #history = new ActionHistory();
  /** What earlier cycles showed and what on the blackboard is the agent's own. */
  readonly #ledger = new ScbLedger();
  #restored = false;
  readonly #records: CycleRecord[] = [];
  readonly #listeners = new Set<(record: CycleRecord) => void>();
  readonly #stop = new AbortController();
  #chain: Promise<unknown> = Promise.resolve();
  #current: AbortController | undefined;
  #loop: Promise<void> | undefined;
  #next = 0;

  constructor(options: DecisionLoopOptions) {
    this.#o = options;
  }

  /** Whether a cycle is running right now. */
  get busy(): boolean {
    return this.#current !== undefined;
  }

  /** Finished cycles, newest first. */
  cycles(limit = 20): CycleRecord[] {
    return this.#records.slice(-limit).reverse();
  }

  /** Calls `fn` with every finished cycle's record; returns the unsubscribe function. */
  subscribe(fn: (record: CycleRecord) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** Starts cycling in the background. */
  start(): void {
    this.#loop ??= (async () => {
      while (!this.#stop.signal.aborted) {
        await this.runOnce();
        await sleep(this.#o.intervalMs, this.#stop.signal);
      }
    })();
  }

  /** Runs one cycle after any cycle in flight; resolves with its record. */
  runOnce(): Promise<CycleRecord> {
    const run = this.#chain.then(() => this.#cycle());
    this.#chain = run.catch(() => {});
    return run;
  }

  /** Stops: waits up to `graceMs` for the cycle in flight, then aborts it. */
  async stop(graceMs = 10_000): Promise<void> {
    this.#stop.abort();
    const settled = this.#chain.then(() => true);
    const inTime = await Promise.race([settled, sleep(graceMs).then(() => false)]);
    if (!inTime) {
      this.#o.log.warn("cycle_aborted", { reason: "shutdown", graceMs });
      this.#current?.abort(new Error("shutdown"));
      await Promise.race([settled, sleep(2_000)]);
    }
    await this.#loop?.catch(() => {});
  }

  /** One cycle as one trace: an `invoke_agent` root span over context, model and tool spans. */
  #cycle(): Promise<CycleRecord> {
    return inAgentSpan(
      this.#o.agentName,
      { "autoliza.operation": "decision_cycle" },
      async (span) => {
        const record = await this.#runCycle();
        span.setAttributes({
          "autoliza.cycle.id": record.id,
          "autoliza.cycle.status": record.status,
          "gen_ai.usage.input_tokens": record.tokens.prompt,
          "gen_ai.usage.output_tokens": record.tokens.completion,
        });
        if (record.status === "failed") failSpan(span, new Error(record.errors.join("; ")));
        return record;
      },
      { root: true },
    );
  }

  async #runCycle(): Promise<CycleRecord> {
    const o = this.#o;
    const id = ++this.#next;
    const started = new Date();
    const t0 = performance.now();
    const controller = new AbortController();
    this.#current = controller;
    const timer = setTimeout(
      () => controller.abort(new Error(`cycle time budget of ${o.cycleTimeoutMs} ms spent`)),
      o.cycleTimeoutMs,
    );
    const toolCalls: CycleRecord["toolCalls"] = [];
    const errors: string[] = [];
    let result: DecideResult | undefined;
    let stopReason: CycleRecord["stopReason"];
    let contextMs = 0;
    let shown: ContextSection[] | undefined;
    o.log.info("cycle_started", { cycle: id });
    let context: CycleContext | undefined;
    const taint = new CycleTaint();
    try {
      if (!this.#restored && o.memory) {
        await restoreLedger(o.memory, this.#ledger).catch((e) =>
          o.log.warn("ledger_restore_failed", { error: (e as Error).message })
        );
      }
      this.#restored = true;
      context = await inSpan("gather_context", {}, () =>
        gatherContext(
          { agentName: o.agentName, scb: o.scb, memory: o.memory, ledger: this.#ledger },
          id,
          { recent: this.#history.recent(), notes: this.#history.notes() },
        ));
      for (const origin of context.taint) taint.add(origin);
      contextMs = performance.now() - t0;
      shown = contextSections(context);
      for (const e of context.errors) {
        errors.push(e);
        o.metrics.error("context");
      }
      const offered = new Set(o.toolNames);
      const specs = o.registry.specs().filter((s) => offered.has(s.name)).map((s) => ({
        name: s.name,
        description: s.description,
        parameters: s.parameters,
      }));
      const call = (name: string, args: unknown) =>
        this.#call(id, name, args, { offered, signal: controller.signal, calls: toolCalls, taint });
      result = await o.decide(context, { specs, call }, {
        maxSteps: o.maxSteps,
        maxTokens: o.maxTokens,
        signal: controller.signal,
      });
      stopReason = result.stopReason;
    } catch (e) {
      const message = (e as Error).message ?? String(e);
      const why = controller.signal.aborted
        ? ` (${(controller.signal.reason as Error)?.message ?? "aborted"})`
        : "";
      errors.push(`decide: ${message}${why}`);
      if (controller.signal.aborted) stopReason = "time";
      o.metrics.error("cycle");
    } finally {
      clearTimeout(timer);
      this.#current = undefined;
    }
    const durationMs = performance.now() - t0;
    const modelMs = result?.modelMs ?? 0;
    const traceId = activeTraceId();
    const record: CycleRecord = {
      id,
      ...(traceId ? { traceId } : {}),
      startedAt: started.toISOString(),
      endedAt: new Date().toISOString(),
      durationMs: round(durationMs),
      modelMs: round(modelMs),
      overheadMs: round(durationMs - modelMs),
      contextMs: round(contextMs),
      status: result ? "ok" : "failed",
      stopReason,
      decisions: result?.decisions ?? [],
      toolCalls,
      errors,
      tokens: result?.tokens ?? { prompt: 0, completion: 0 },
      ...(shown ? { context: shown } : {}),
      taint: [...taint.sources],
    };
    // What the model processed is not shown again (also after a restart, see cycle_memory.ts).
    if (result && context?.scb) {
      this.#ledger.markShown(context.scb.window);
      this.#ledger.markSummary(context.summary);
    }
    this.#finish(record);
    return record;
  }

  async #call(
    cycle: number,
    name: string,
    args: unknown,
    c: {
      offered: Set<string>;
      signal: AbortSignal;
      calls: CycleRecord["toolCalls"];
      taint: CycleTaint;
    },
  ): Promise<ToolResult> {
    const o = this.#o;
    const { offered, signal, calls, taint } = c;
    const services = {
      ...o.services,
      taint,
      managerDirectives: o.managerDirectives ?? "untainted",
    };
    const r: ToolResult = offered.has(name)
      ? await o.registry.call(name, args, { signal, services, sessionId: `cycle-${cycle}` })
      : {
        ok: false,
        ms: 0,
        error: { code: "unknown_tool", message: `Tool "${name}" is not offered in this loop` },
      };
    calls.push({
      tool: name,
      ok: r.ok,
      ms: r.ms,
      ...(r.ok ? { result: bounded(r.value) } : { error: r.error.message }),
      args: bounded(args),
    });
    noteOwn(this.#ledger, name, args, r);
    o.metrics.toolCall(name, r.ok ? "success" : r.error.code);
    const memory = o.memory;
    if (memory) {
      const writeId = crypto.randomUUID();
      o.writes.push(`tool_usage ${name}`, () =>
        memory.recordToolUsage({
          agentId: o.agentId,
          toolName: platformToolName(name),
          input: args,
          output: r.ok ? r.value : { error: r.error },
          executionTimeMs: r.ms,
          success: r.ok,
          impactScore: impactScore(name, args, r.ok),
          metadata: { cycle, source: "decision_loop", tool: name },
        }, writeId));
    }
    return r;
  }

  #finish(record: CycleRecord): void {
    const o = this.#o;
    this.#history.record(record.toolCalls.map((c) => c.tool));
    this.#records.push(record);
    if (this.#records.length > (o.keep ?? 200)) this.#records.shift();
    for (const fn of this.#listeners) {
      try {
        fn(record);
      } catch (e) {
        o.log.warn("cycle_listener_failed", { error: (e as Error).message });
      }
    }
    o.metrics.cycle(record.durationMs / 1000, record.status);
    o.metrics.tokens("prompt", record.tokens.prompt);
    o.metrics.tokens("completion", record.tokens.completion);
    const memory = o.memory;
    if (memory && record.toolCalls.length) {
      const row = cycleMemory(record, o, this.#ledger);
      o.writes.push(`cycle ${record.id} memory`, saveOnce(memory, row));
    }
    const level = record.status === "ok" ? "info" : "warn";
    o.log[level]("cycle_finished", {
      cycle: record.id,
      status: record.status,
      ms: record.durationMs,
      modelMs: record.modelMs,
      calls: record.toolCalls.length,
      failedCalls: record.toolCalls.filter((c) => !c.ok).length,
      errors: record.errors,
    });
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });
}

/** A JSON-like value cut to about 2,000 characters of JSON, for cycle records. */
function bounded(value: unknown): unknown {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    return String(value);
  }
  if (text === undefined || text.length <= 2_000) return value;
  return `${text.slice(0, 2_000)}… (${text.length} characters)`;
}
