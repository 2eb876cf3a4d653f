/**
 * `deno task repl`: an interactive session with the orchestrator on the configured model (or a
 * cassette: `--replay file` runs a recorded session offline, `--record file` records one). The
 * kernel is the real sandboxed kernel under sessions/<id>/; sub-agents run as worker actors.
 * Ctrl-C stops the running task and cell; Ctrl-D or `:quit` leaves. Self-evolution is on: the
 * session auto-saves to sessions/<id>/ after each successful cell, and in `manual` approval mode
 * the REPL asks y/n before generated code is loaded.
 */
import { ActorSystem } from "../actor_system.ts";
import { AgentSession } from "../agent/agent_session.ts";
import { realKernelFactory } from "../agent/real_kernel.ts";
import { SubagentRunner } from "../agent/subagent_runner.ts";
import { loadConfig } from "../config.ts";
import { Logger } from "../log.ts";
import { createModelClient, modelEndpoint, subagentModel } from "../model/create_model_client.ts";
import { UsageLedger } from "../model/usage_ledger.ts";
import { gatedKernels } from "../agent/cell_gate.ts";
import { TaskMeter } from "../agent/task_meter.ts";
import { LineEditor } from "../repl/line_editor.ts";
import { Repl } from "../repl/repl.ts";
import { ScriptedInputs } from "../repl/scripted_inputs.ts";
import { pruneAutosaves, removeIfUnsaved } from "../repl/session_cleanup.ts";
import { UnconfiguredModelClient } from "../repl/unconfigured_model.ts";
import { openRegistryWithMcp } from "../mcp/open_registry.ts";
import { evolutionPaths, legacyPending } from "../evolution/evolution_paths.ts";
import { toolSemanticOptions } from "../tools/tool_embedder.ts";
import { defaultToolsConfigPath, loadToolsConfig } from "../tools/tools_config.ts";
import { intFlag, parseArgs } from "./args.ts";
import { type Budgets, DEFAULT_BUDGETS, resolveBudgets } from "../agent/budgets.ts";
import type { Command } from "./command.ts";
import { UsageError } from "./command.ts";

const USAGE = `deno task repl [--demo] [--replay cassette | --record cassette] [--inputs file]
                 [--sessions dir] [--max-steps n] [--max-tokens n] [--time-ms n]
                 [--file agent.yaml] [--no-stream]`;

/** The shipped offline demo: a cassette and the inputs typed in it (examples/README.md). */
const EXAMPLES = new URL("../../examples/", import.meta.url);
export const DEMO_CASSETTE = decodeURIComponent(new URL("demo.jsonl", EXAMPLES).pathname);
export const DEMO_MODEL = "demo-model";
export const DEMO_INPUTS = decodeURIComponent(new URL("demo_inputs.txt", EXAMPLES).pathname);

/** The `repl` subcommand. */
export const replCommand: Command = {
  name: "repl",
  summary: "interactive session with the agent (--replay a cassette to run offline)",
  usage: USAGE,
  async run(args) {
    const { values, positionals } = parseArgs(args, {
      demo: { type: "boolean" },
      inputs: { type: "string" },
      replay: { type: "string" },
      record: { type: "string" },
      sessions: { type: "string" },
      file: { type: "string" },
      "no-stream": { type: "boolean" },
      "max-steps": { type: "string" },
      "max-tokens": { type: "string" },
      "time-ms": { type: "string" },
    });
    if (positionals.length) throw new UsageError(`repl: unexpected argument "${positionals[0]}"`);
    if (values.replay && values.record) {
      throw new UsageError("repl: use --replay or --record, not both");
    }
    const config = loadConfig({ file: values.file as string | undefined });
    if (values.demo) {
      // Replays the shipped demo (or, with --record, records it afresh) in a folder of its own,
      // emptied first: its learned function and data never mix with the user's.
      const dir = `${(values.sessions as string | undefined) ?? config.paths.sessions}/demo`;
      await Deno.remove(dir, { recursive: true }).catch(() => {});
      if (!values.record) values.replay ??= DEMO_CASSETTE;
      values.inputs ??= DEMO_INPUTS;
      values.sessions = dir;
      config.paths.learnedSkills = `${dir}/learned_skills`;
      config.database.dataDir = `${dir}/data`;
      // Requests name their model: the demo's, whatever the user configured.
      config.model.name = DEMO_MODEL;
      delete config.model.subagentName;
    }
    const inputs = typeof values.inputs === "string" ? await readInputsFile(values.inputs) : "";
    let budgets: Budgets;
    try {
      budgets = resolveBudgets({
        maxSteps: intFlag(values, "max-steps", DEFAULT_BUDGETS.maxSteps),
        maxTokens: intFlag(values, "max-tokens", DEFAULT_BUDGETS.maxTokens),
        timeMs: intFlag(values, "time-ms", DEFAULT_BUDGETS.timeMs),
        cellTimeoutMs: config.kernel.cellTimeoutMs,
      });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const out = (text: string) => void Deno.stdout.writeSync(new TextEncoder().encode(text));
    const log = new Logger({ level: "warn", format: config.log.format });
    const ledger = new UsageLedger(config.model);
    // Without an endpoint (and no cassette) the REPL still starts; tasks say what to set.
    const endpoint = modelEndpoint(config);
    const waiting = !values.replay && !endpoint.configured ? endpoint.reason : undefined;
    // Every model request made while a task runs (sub-agents and evolution too) is charged to it.
    const meter = new TaskMeter();
    const model = meter.client(
      waiting ? new UnconfiguredModelClient() : createModelClient(config, {
        replay: values.replay as string | undefined,
        record: values.record as string | undefined,
        ledger,
        log,
        toolMode: config.model.toolCalls,
      }),
    );
    const sessionsDir = (values.sessions as string | undefined) ?? config.paths.sessions;
    const sessionId = `repl-${new Date().toISOString().replace(/[:.]/g, "-")}`;
    const root = `${sessionsDir}/${sessionId}`;
    await pruneAutosaves(sessionsDir);
    await Deno.mkdir(root, { recursive: true });
    // Absolute once: kernels resolve relative paths against their workspace. Generated code is
    // staged under <dataDir>/evolution/tmp (this task may not write /tmp), never learned_skills/.
    const evo = evolutionPaths(config.paths.learnedSkills, config.database.dataDir);
    await Deno.mkdir(`${evo.stateDir}/tmp`, { recursive: true });
    Deno.env.set("TMPDIR", `${evo.stateDir}/tmp`);
    for (const dir of await legacyPending(evo.learnedDir)) {
      log.warn("evolution.legacy_pending", {
        dir,
        hint: `pending code now waits in ${evo.stateDir}/pending/; move or delete this folder`,
      });
    }
    // tools.yaml, and the MCP servers of agent.yaml / mcp.json (their tools join the registry;
    // calls that need approval ask here, through the REPL).
    const toolsFile = config.paths.toolsConfig ?? defaultToolsConfigPath();
    const toolsConfig = toolsFile ? await loadToolsConfig(toolsFile, true) : undefined;
    const { registry, mcp } = await openRegistryWithMcp(config, {
      dir: config.paths.tools,
      log,
      semantic: toolSemanticOptions(config),
      ...(toolsConfig ? { config: toolsConfig } : {}),
      ...(toolsFile ? { configPath: toolsFile } : {}),
      approver: (request) => repl.approveTool(request),
    });
    const system = new ActorSystem({ log, actorsDir: config.paths.actors });
    const kernelOptions = {
      sessionId,
      log,
      learnedSkillsDir: evo.learnedDir,
      heapMb: config.kernel.heapMb,
      rssMb: config.kernel.rssMb,
      cellTimeoutMs: config.kernel.cellTimeoutMs,
      isolation: config.kernel.isolation,
    };
    const subagents = new SubagentRunner({
      system,
      model,
      registry,
      kernelFactory: gatedKernels(realKernelFactory({
        ...kernelOptions,
        rootDir: `${root}/subagents`,
        removeOnClose: true,
      })),
      actorsDir: config.paths.actors,
      learnedDir: evo.learnedDir,
      modelName: subagentModel(config),
      ledgerTask: sessionId,
    });
    const session = await AgentSession.open({
      model,
      registry,
      kernelFactory: gatedKernels(
        realKernelFactory({ ...kernelOptions, rootDir: root }, "workspace-"),
      ),
      meter,
      subagents,
      agentName: config.agent.name,
      sessionId,
      stream: !values["no-stream"],
      budgets,
      evolution: {
        approval: config.evolution.approval,
        maxRefinements: config.evolution.maxRefinements,
        // Late-bound: the REPL is made after the session.
        approver: (request) => repl.approve(request),
        learnedDir: evo.learnedDir,
        dataDir: config.database.dataDir,
        sandbox: { heapMb: config.kernel.heapMb, rssMb: config.kernel.rssMb },
        sessionsDir,
        modelName: subagentModel(config),
        log,
      },
    });
    const historyFile = `${sessionsDir}/repl_history.jsonl`;
    const repl = new Repl({
      session,
      ledger,
      ledgerTask: sessionId,
      out,
      sessionsDir,
      historyFile,
      learnedDir: evo.learnedDir,
      // Without a model the inputs are code: the REPL is useful before any endpoint exists.
      mode: waiting ? "code" : "ask",
      toolNames: () => registry.names(),
    });
    // On a terminal, raw mode turns Ctrl-C into a key (see core/repl/line_editor.ts); piped, or
    // if a SIGINT still arrives (kill -INT), the listener does the same job.
    const interrupt = () => {
      const stopped = repl.interrupt();
      if (stopped) out("^C interrupting…\r\n");
      return stopped;
    };
    const onSigint = () => {
      if (!interrupt()) out("\n(Ctrl-C stops a running task; :quit or Ctrl-D leaves)\n> ");
    };
    Deno.addSignalListener("SIGINT", onSigint);
    const editor = Deno.stdin.isTerminal()
      ? new LineEditor({
        onInterrupt: interrupt,
        history: await readHistory(historyFile),
        complete: (word) => repl.completions(word),
      })
      : undefined;
    out(
      `${config.agent.name} REPL, model ${model.model}${
        values.replay ? " (replay)" : ""
      }. :help lists commands.\n`,
    );
    if (waiting) {
      out(
        `${waiting}, or \`deno task repl --demo\` to watch the agent offline.\n` +
          `Until then inputs run as code in the kernel, e.g. \`const x = 1 + 1\` or ` +
          `\`await tools.word_count({ text: "a b" })\` (:help lists commands).\n`,
      );
    }
    const terminal = editor ?? Deno.stdin.readable;
    const source = inputs
      ? new ScriptedInputs(inputs, terminal, out, () => {
        if (!values.demo) return;
        repl.setMode("code");
        out(
          "\nEnd of the demo. The kernel keeps its data (:vars); inputs now run as code. " +
            "Point the REPL at a model to ask the agent yourself.\n",
        );
        return "code> ";
      })
      : terminal;
    try {
      await repl.run(source);
    } finally {
      editor?.close();
      Deno.removeSignalListener("SIGINT", onSigint);
      await session.close();
      await subagents.close();
      await system.shutdown();
      await mcp.close();
      registry.close();
      await removeIfUnsaved(root);
    }
    return 0;
  },
};

/** The text of an `--inputs` file, or a one-line error saying which file. */
async function readInputsFile(path: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (e) {
    throw new UsageError(`cannot read the --inputs file "${path}": ${(e as Error).message}`);
  }
}

/** The last 500 inputs of earlier sessions, oldest first (Up/Down on a terminal). */
async function readHistory(path: string): Promise<string[]> {
  try {
    const lines = (await Deno.readTextFile(path)).split("\n").filter(Boolean).slice(-500);
    return lines.flatMap((l) => {
      try {
        const v: unknown = JSON.parse(l);
        return typeof v === "string" ? [v] : [];
      } catch {
        return [];
      }
    });
  } catch {
    return [];
  }
}
