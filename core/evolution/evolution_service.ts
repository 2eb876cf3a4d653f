/**
 * The supervisor-side service behind the evolution tools (`ctx.services.evolution`): owns the
 * paths, the sub-agent model, the approval policy and the recorded history, and does what a
 * cell cannot do for itself. A tool call runs while its cell is still running, and the kernel
 * runs one cell at a time, so kernel work started from a tool (loading an approved function,
 * saving, restoring) is queued behind the current cell, never awaited inside it: the function is
 * there from the next cell on.
 */
import type { Logger } from "../log.ts";
import type { ChatMessage, ModelClient } from "../model/mod.ts";
import type { ToolSpec } from "../tools/mod.ts";
import { analyzeHistory, type AnalyzeOptions, type Suggestion } from "./analyze_history.ts";
import type { ApprovalMode, Approver } from "./approval.ts";
import { generateFunction, type GenerationReport } from "./generate_function.ts";
import { generateSubagent, type SubagentReport } from "./generate_subagent.ts";
import { type GeneratedTests, generateTests } from "./generate_tests.ts";
import type { HistoryRecord } from "./history_record.ts";
import { learnedAgentSpecs, learnedFunctionSpecs } from "./learned_index.ts";
import type { Example } from "./prompts.ts";
import { reviewGeneratedCode, type ReviewReport } from "./review_code.ts";
import { importCell } from "./learned_loader.ts";
import {
  type LoadReport,
  loadSessionState,
  saveSessionState,
  type SessionKernel,
} from "../sessions/session_state.ts";
import { sha256Hex } from "./skill_file.ts";
import { type EvolutionPaths, evolutionPaths } from "./evolution_paths.ts";
import type { SandboxLimits } from "./staged_test.ts";

/** Everything the service needs from the host. */
export interface EvolutionDeps {
  model: ModelClient;
  /** config.model.subagentName. */
  modelName?: string;
  approval: ApprovalMode;
  maxRefinements: number;
  approver?: Approver;
  learnedDir: string;
  /** The data folder (config.database.dataDir): pending artefacts go to `<dataDir>/evolution`. */
  dataDir: string;
  /** The kernel's memory limits, for sandboxed test runs. */
  sandbox?: SandboxLimits;
  sessionsDir: string;
  workspaceDir: string;
  sessionId: string;
  /** The session's kernel (read lazily: it is made after the service). */
  kernel: () => SessionKernel | undefined;
  /** The conversation so far, for saving. */
  conversation: () => readonly ChatMessage[];
  /** Adds learned functions to the tool search (registry.addCatalog). */
  addSearchEntries?: (specs: ToolSpec[]) => void;
  /** Names of registered tools (for generate_subagent). */
  toolNames?: () => string[];
  log?: Logger;
}

/** See the file doc. One per session. */
export class EvolutionService {
  readonly deps: EvolutionDeps;
  /** Absolute learned_skills/ and state folder, resolved once. */
  readonly paths: EvolutionPaths;
  /** Every recorded cell and tool call of this session. */
  readonly history: HistoryRecord[] = [];
  #background: Promise<unknown> = Promise.resolve();

  constructor(deps: EvolutionDeps) {
    this.deps = deps;
    this.paths = evolutionPaths(deps.learnedDir, deps.dataDir);
  }

  /** Records one cell or tool call (the orchestrator calls this). */
  record(entry: HistoryRecord): void {
    this.history.push({ session: this.deps.sessionId, at: new Date().toISOString(), ...entry });
  }

  /** Waits for queued kernel work (loads, saves) to finish; for tests and shutdown. */
  async settled(): Promise<void> {
    await this.#background;
  }

  /** generate_function; an approved function is queued for loading and indexed for search. */
  async generateFunction(
    name: string,
    description: string,
    examples: readonly Example[],
  ): Promise<GenerationReport> {
    const d = this.deps;
    const report = await generateFunction(name, description, examples, {
      model: d.model,
      ...(d.modelName ? { modelName: d.modelName } : {}),
      paths: this.paths,
      ...(d.sandbox ? { sandbox: d.sandbox } : {}),
      approval: d.approval,
      maxRefinements: d.maxRefinements,
      ...(d.approver ? { approver: d.approver } : {}),
      session: d.sessionId,
      task: `evolution:${d.sessionId}`,
      ...(d.log ? { log: d.log } : {}),
    });
    if (report.status === "approved" && report.path) {
      await this.indexLearned();
      // Submitted now, not behind queued saves: it runs right after this cell, before the next.
      const { done } = await this.#submitLoad(report.path);
      this.#queue(() => done);
    }
    return report;
  }

  /** Imports a learned file into the kernel (call outside a cell, or it waits for the cell). */
  async loadFunction(path: string): Promise<void> {
    await (await this.#submitLoad(path)).done;
  }

  /** Queues the import cell in the kernel at once; `done` settles when it has run. */
  async #submitLoad(path: string): Promise<{ done: Promise<void> }> {
    const kernel = this.deps.kernel();
    if (!kernel) return { done: Promise.resolve() };
    const text = await Deno.readTextFile(path);
    const cell = importCell(path, await sha256Hex(text), text);
    const done = kernel.execute(cell).then((r) => {
      if (!r.ok) this.deps.log?.warn("evolution.load_failed", { path, error: r.error?.message });
    });
    return { done };
  }

  /** generate_subagent; an approved sub-agent is indexed for search. */
  async generateSubagent(
    name: string,
    purpose: string,
    tools: readonly string[],
  ): Promise<SubagentReport> {
    const d = this.deps;
    const report = await generateSubagent(name, purpose, tools, {
      model: d.model,
      ...(d.modelName ? { modelName: d.modelName } : {}),
      paths: this.paths,
      availableTools: d.toolNames?.() ?? [],
      approval: d.approval,
      ...(d.approver ? { approver: d.approver } : {}),
      task: `evolution:${d.sessionId}`,
    });
    if (report.status === "approved") await this.indexLearned();
    return report;
  }

  /** generate_tests for a file under learned_skills/; the test goes through approval. */
  generateTests(filepath: string): Promise<GeneratedTests> {
    const d = this.deps;
    return generateTests(this.#inLearned(filepath), {
      model: d.model,
      ...(d.modelName ? { modelName: d.modelName } : {}),
      paths: this.paths,
      approval: d.approval,
      ...(d.approver ? { approver: d.approver } : {}),
      ...(d.sandbox ? { sandbox: d.sandbox } : {}),
      task: `evolution:${d.sessionId}`,
      ...(d.log ? { log: d.log } : {}),
    });
  }

  /** review_generated_code for a file under learned_skills/. */
  review(filepath: string): Promise<ReviewReport> {
    const d = this.deps;
    return reviewGeneratedCode(this.#inLearned(filepath), {
      model: d.model,
      ...(d.modelName ? { modelName: d.modelName } : {}),
    });
  }

  /** analyze_history over this session's records (or the given ones). */
  analyzeHistory(
    options: AnalyzeOptions = {},
    records?: readonly HistoryRecord[],
  ): Promise<Suggestion[]> {
    return analyzeHistory(records ?? this.history, options);
  }

  /** save_session_state; from a tool call use {@link queueSave}. */
  async saveSession(name: string): Promise<{ dir: string; variables: number; ms: number }> {
    const kernel = this.#kernel();
    return await saveSessionState(name, kernel, {
      conversation: this.deps.conversation(),
      history: this.history,
    }, this.#paths());
  }

  /** Saves after the current cell; the result is logged. */
  queueSave(name: string): void {
    this.#queue(() => this.saveSession(name));
  }

  /** load_session_state into the current kernel; appends the loaded history. */
  async loadSession(name: string): Promise<LoadReport> {
    const report = await loadSessionState(name, this.#kernel(), this.#paths());
    this.history.push(...report.history);
    await this.indexLearned();
    return report;
  }

  /** Loads after the current cell; the report lands in the kernel as `session_load_report`. */
  queueLoad(name: string): void {
    this.#queue(async () => {
      const r = await this.loadSession(name);
      const summary = { restored: r.restored, functions: r.functions, lost: r.lost };
      await this.#kernel().execute(`var session_load_report = ${JSON.stringify(summary)}; void 0`);
    });
  }

  /** Refreshes the search entries of learned functions and sub-agents (also at session start). */
  async indexLearned(): Promise<void> {
    if (!this.deps.addSearchEntries) return;
    const dir = this.paths.learnedDir;
    const functions = await learnedFunctionSpecs(dir).catch((e) => {
      this.deps.log?.warn("evolution.index_failed", { error: (e as Error).message });
      return [];
    });
    this.deps.addSearchEntries([...functions, ...await learnedAgentSpecs(dir)]);
  }

  #queue(job: () => Promise<unknown>): void {
    this.#background = this.#background.then(job).catch((e) =>
      this.deps.log?.error("evolution.background_failed", { error: (e as Error).message })
    );
  }

  #kernel(): SessionKernel {
    const k = this.deps.kernel();
    if (!k) throw new Error("no kernel is attached to this session");
    return k;
  }

  #paths() {
    const d = this.deps;
    return {
      sessionsDir: d.sessionsDir,
      learnedDir: this.paths.learnedDir,
      workspaceDir: d.workspaceDir,
    };
  }

  /** Resolves a path given by the model; it must stay inside learned_skills/. */
  #inLearned(filepath: string): string {
    const rel = filepath.replace(/^\.?\/?learned_skills\//, "");
    if (filepath.startsWith("/") || rel.split("/").includes("..")) {
      throw new TypeError(`Path "${filepath}" must be relative and inside learned_skills/`);
    }
    return `${this.paths.learnedDir}/${rel}`;
  }
}

/** The service from a tool's `ctx.services`; throws a clear error when the host has none. */
export function evolutionServiceFrom(services: Record<string, unknown>): EvolutionService {
  const s = services.evolution;
  if (!(s instanceof EvolutionService)) {
    throw new Error("The evolution service is not available in this host (services.evolution)");
  }
  return s;
}
