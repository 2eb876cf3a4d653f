/**
 * `call_subagent(name, variable_name, instructions?)` on the supervisor side: receives the
 * variable's value (the kernel prelude sends it), makes a fresh kernel holding it as `input`, takes a fresh sub-agent
 * actor (worker, no permissions; after each call a spare is spawned for the next one, since a
 * worker takes ~100 ms to load) that reaches the model, its kernel and tool search through
 * capabilities, waits for its answer, then stops the actor and closes the kernel: each actor
 * and kernel serves exactly one call (a spare kernel is also started between calls). The prelude stores the answer in the caller's kernel as `<name>_result`.
 */
import { inAgentSpan } from "../telemetry/tracing.ts";
import type { ActorSystem } from "../actor_system.ts";
import type { ModelClient } from "../model/types.ts";
import type { ToolRegistry } from "../tools/registry.ts";
import type { CallTool, KernelFactory, KernelPort } from "./kernel_port.ts";
import { describeValue, jsonSize, renderValue } from "./render_value.ts";
import type { SubagentReply } from "./subagent_actor.ts";
import { findSubagent, type SubagentDirs } from "./subagent_catalog.ts";
import { provideSubagentCapabilities, type SubagentSession } from "./subagent_capabilities.ts";
import { createToolRouter } from "./tool_router.ts";

/** How long after a call its actor and kernel are torn down and the next spares started. */
const TEARDOWN_DELAY_MS = 100;
/** Wiring of {@link SubagentRunner}. */
export interface SubagentRunnerOptions extends SubagentDirs {
  system: ActorSystem;
  model: ModelClient;
  registry: ToolRegistry;
  kernelFactory: KernelFactory;
  /** Model for sub-agents (config.model.subagentName); default the client's. */
  modelName?: string;
  /** Ledger task the sub-agents' usage is billed to. */
  ledgerTask?: string;
  /** Data larger than this (JSON characters) is passed as a summary plus the `input` handle. */
  largeChars?: number;
  services?: Record<string, unknown>;
}

/** Timing of one call; `overheadMs` = total minus the time spent waiting for the model. */
export interface SubagentCallStats {
  name: string;
  totalMs: number;
  modelMs: number;
  overheadMs: number;
  reply: SubagentReply;
}

interface SpareKernel {
  kernel: KernelPort;
  route: { current: CallTool };
}

/** See the file doc. One per actor system (it provides the `subagent.*` capabilities). */
export class SubagentRunner {
  /** Stats of the last finished call (benchmarks, `:cost`). */
  lastCall: SubagentCallStats | undefined;
  readonly #o: SubagentRunnerOptions;
  readonly #sessions = new Map<string, SubagentSession>();
  /** A kernel started ahead of the next call; its tool route is set when it is taken. */
  #spareKernel: Promise<SpareKernel> | undefined;
  readonly #teardowns = new Set<Promise<unknown>>();
  /** One spare actor per actor file, spawned ahead of the next call. */
  readonly #spares = new Map<string, Promise<string>>();
  #seq = 0;

  constructor(options: SubagentRunnerOptions) {
    this.#o = options;
    provideSubagentCapabilities(options, this.#sessions);
  }

  /**
   * Runs sub-agent `name` on `value` (the caller's variable `variable`); resolves with its answer.
   * The call is an `invoke_agent <name>` span, a child of the caller's.
   */
  call(
    name: string,
    variable: string,
    value: unknown,
    instructions?: string,
  ): Promise<unknown> {
    return inAgentSpan(
      name,
      { "autoliza.operation": "subagent" },
      () => this.#call(name, variable, value, instructions),
    );
  }

  async #call(
    name: string,
    variable: string,
    value: unknown,
    instructions?: string,
  ): Promise<unknown> {
    const started = performance.now();
    const entry = await findSubagent(name, this.#o);
    const large = jsonSize(value) > (this.#o.largeChars ?? 4_000);
    const summary = large ? describeValue(value) : renderValue(value, 4_000);
    const def = entry.definition;
    const holder: { kernel?: KernelPort } = {};
    const router = createToolRouter({
      registry: this.#o.registry,
      kernel: () => holder.kernel,
      allow: def.tools,
      ...(this.#o.services ? { services: this.#o.services } : {}),
    });
    const kernel = await this.#takeKernel(router);
    holder.kernel = kernel;
    const session: SubagentSession = { kernel, modelMs: 0, tools: def.tools };
    let actorName: string | undefined;
    try {
      await handOver(kernel, value);
      actorName = await this.#take(entry.actorFile);
      this.#sessions.set(actorName, session);
      const timeoutMs = (def.budgets.timeMs ?? 300_000) + 10_000;
      const run = {
        type: "run",
        input: { variable, summary, large },
        ...(instructions ? { instructions } : {}),
        ...(entry.generic ? { definition: def } : {}),
      };
      const reply = await this.#o.system.ask<SubagentReply>(actorName, run, { timeoutMs });
      const totalMs = performance.now() - started;
      this.lastCall = {
        name,
        totalMs,
        modelMs: session.modelMs,
        overheadMs: totalMs - session.modelMs,
        reply,
      };
      if (reply.outcome !== "final" || reply.answer === undefined) {
        throw new Error(`Sub-agent "${name}" ended without an answer: ${reply.detail}`);
      }
      return parseAnswer(reply.answer);
    } finally {
      // The session is gone at once (capabilities refuse the actor); the actor and kernel are
      // torn down in the background, a little later, so process exits and the next spares do
      // not compete for the CPU while the caller's cell receives the answer (it caused the p95 tail).
      if (actorName) this.#sessions.delete(actorName);
      const name = actorName;
      const teardown = new Promise((r) => setTimeout(r, TEARDOWN_DELAY_MS)).then(() =>
        Promise.allSettled([
          name ? this.#o.system.stop(name) : Promise.resolve(),
          kernel.close(),
        ])
      ).then(() => {
        this.#teardowns.delete(teardown);
        this.#prewarm(entry.actorFile);
        this.#spareKernel ??= this.#newKernel();
        this.#spareKernel.catch(() => (this.#spareKernel = undefined));
      });
      this.#teardowns.add(teardown);
    }
  }

  /** Resolves once every finished call's actor and kernel are torn down and spares started. */
  async settled(): Promise<void> {
    while (this.#teardowns.size) await Promise.all(this.#teardowns);
  }

  /** Stops the spare actors and kernel (call before shutting the actor system down). */
  async close(): Promise<void> {
    await Promise.all(this.#teardowns);
    const spareKernel = this.#spareKernel;
    this.#spareKernel = undefined;
    await (await spareKernel?.catch(() => undefined))?.kernel.close();
    const spares = [...this.#spares.values()];
    this.#spares.clear();
    for (const spare of spares) {
      const name = await spare.catch(() => undefined);
      if (name) await this.#o.system.stop(name).catch(() => {});
    }
  }

  /** A never-used kernel (the spare if there is one) whose tool calls go to `router`. */
  async #takeKernel(router: CallTool): Promise<KernelPort> {
    const spare = this.#spareKernel;
    this.#spareKernel = undefined;
    const entry = (spare && await spare.catch(() => undefined)) ?? await this.#newKernel();
    entry.route.current = router;
    return entry.kernel;
  }

  async #newKernel(): Promise<SpareKernel> {
    const route: { current: CallTool } = {
      current: () =>
        Promise.resolve({ ok: false, error: { code: "failed", message: "not ready" } }),
    };
    const kernel = await this.#o.kernelFactory((name, args) => route.current(name, args));
    return { kernel, route };
  }

  /** A never-used actor for `file`: the spare if one is ready or coming, else a new one. */
  async #take(file: string): Promise<string> {
    const spare = this.#spares.get(file);
    this.#spares.delete(file);
    if (spare) {
      const name = await spare.catch(() => undefined);
      if (name) return name;
    }
    return await this.#spawn(file);
  }

  /** Spawns the spare for `file` in the background, after a call (not during one). */
  #prewarm(file: string): void {
    if (this.#spares.has(file)) return;
    const next = this.#spawn(file);
    next.catch(() => {}); // a failed spare is replaced by a direct spawn on the next call
    this.#spares.set(file, next);
  }

  #spawn(file: string): Promise<string> {
    const name = `subagent-${++this.#seq}`;
    return this.#o.system.spawn(file, { name, restart: { maxRestarts: 0 } }).then((r) => r.name);
  }
}

/** JSON answers become data; anything else stays text. */
function parseAnswer(answer: string): unknown {
  const t = answer.trim();
  if (/^[[{]/.test(t)) {
    try {
      return JSON.parse(t);
    } catch { /* not JSON after all */ }
  }
  return answer;
}

/**
 * Puts `value` into the sub-agent's kernel as `input`. With a workspace on disk it goes through
 * a file read by a small cell: the real kernel's setVariable saves its checkpoint before it
 * returns (5-45 ms, depending on size and kernel version), while a cell's checkpoint is written
 * after it returns, during the sub-agent's first model request.
 */
async function handOver(kernel: KernelPort, value: unknown): Promise<void> {
  if (!kernel.workspaceDir) return await kernel.setVariable("input", value);
  const file = ".subagent_input.json";
  await Deno.writeTextFile(`${kernel.workspaceDir}/${file}`, JSON.stringify(value ?? null));
  const r = await kernel.execute(
    `let input = JSON.parse(Deno.readTextFileSync("${file}"));\nundefined`,
  );
  if (!r.ok) throw new Error(`Cannot hand the data to the sub-agent: ${r.error?.message}`);
}
