/**
 * The interactive session: each input is a task for the orchestrator (its reply streams, cells
 * are shown before and after they run), code run directly in the kernel (`!code`, or every
 * input after `:code`, the default without a model), or a `:command`. `interrupt()` (Ctrl-C)
 * stops the running task or cell, never the REPL. Inputs are appended to a history file. In
 * `manual` approval mode the REPL is the approver: generated code is shown and a line typed
 * after the question answers. Everything printed passes through `terminalSafe`: text from the
 * kernel or a model can never drive the terminal.
 */
import type { AgentSession } from "../agent/agent_session.ts";
import type { ApprovalRequest } from "../evolution/approval.ts";
import { formatApprovalRequest, formatSuggestions } from "../evolution/repl_text.ts";
import type { UsageLedger } from "../model/usage_ledger.ts";
import type { ApprovalRequest as ToolApprovalRequest } from "../tools/call_tool.ts";
import { searchToolsText } from "../tools/meta_tools.ts";
import { terminalSafe } from "../terminal_safe.ts";
import { COMMAND_NAMES, HELP } from "./help.ts";
import { InputReader, type LineSource } from "./line_reader.ts";
import { renderEvent } from "./render_event.ts";
import { loadReplSession, type SaveLoadPaths, saveReplSession } from "./save_load.ts";

/** Wiring of a {@link Repl}. */
export interface ReplOptions {
  session: AgentSession;
  ledger: UsageLedger;
  /** Ledger task the session's requests are billed to. */
  ledgerTask: string;
  out: (text: string) => void;
  /** Where `:save` and `:load` keep sessions. */
  sessionsDir: string;
  /** learned_skills/, for restoring learned functions on `:load`. */
  learnedDir?: string;
  /** Inputs are appended here (one JSON string per line). */
  historyFile?: string;
  /** `code` runs inputs in the kernel directly (no model); default `ask`. */
  mode?: ReplMode;
  /** Names of the tools cells may call (Tab completion after `tools.`). */
  toolNames?: () => string[];
}

/** What a plain input is: a task for the model, or code for the kernel. */
export type ReplMode = "ask" | "code";

/** See the file doc. */
export class Repl {
  readonly #o: ReplOptions;
  readonly inputs: string[] = [];
  #running: AbortController | undefined;
  #reader: InputReader | undefined;
  #mode: ReplMode;

  constructor(options: ReplOptions) {
    const raw = options.out;
    this.#o = { ...options, out: (text) => raw(terminalSafe(text)) };
    this.#mode = options.mode ?? "ask";
  }

  /** What a plain input is now. */
  get mode(): ReplMode {
    return this.#mode;
  }

  /** Makes plain inputs tasks (`ask`) or code (`code`). */
  setMode(mode: ReplMode): void {
    this.#mode = mode;
  }

  /** True while a task runs. */
  get busy(): boolean {
    return this.#running !== undefined;
  }

  /** Stops the running task and its cell; false when nothing runs. */
  interrupt(): boolean {
    if (!this.#running) return false;
    this.#running.abort();
    this.#o.session.kernel.interrupt();
    return true;
  }

  /** Reads inputs (a byte stream, or the terminal's line editor) until the end or `:quit`. */
  async run(source: ReadableStream<Uint8Array> | LineSource): Promise<void> {
    const editor = source instanceof ReadableStream ? undefined : source;
    const show = (text: string, answer: boolean) =>
      editor?.prompt ? editor.prompt(text, answer) : this.#o.out(text);
    const reader = new InputReader(source, (kind, question) => {
      if (kind === "answer") show(`${question ?? ""} `, true);
      else show(kind === "more" ? "… " : this.#mode === "code" ? "code> " : "> ", false);
    });
    this.#reader = reader;
    try {
      for (let input = await reader.input(); input !== undefined; input = await reader.input()) {
        if ((await this.handle(input)) === "quit") break;
      }
    } finally {
      this.#reader = undefined;
    }
    this.#o.out("\n");
  }

  /**
   * The `manual` approver: shows the generated code and findings and reads the answer from a
   * line typed after the question (on a terminal, lines typed ahead are kept for later).
   * `y`/`yes` loads it; anything else, or no input, leaves it pending.
   */
  async approve(request: ApprovalRequest): Promise<boolean | "pending"> {
    const text = formatApprovalRequest(request).split("\n");
    const question = text.pop() ?? "[y/N]";
    this.#o.out(`\n${text.join("\n")}\n`);
    const answer = this.#reader ? await this.#reader.answer(terminalSafe(question)) : undefined;
    const yes = answer !== undefined && /^y(es)?$/i.test(answer.trim());
    this.#o.out(
      yes ? `approved ${request.name}\n` : `left ${request.name} pending (not loaded)\n`,
    );
    return yes ? true : "pending";
  }

  /**
   * The approver of tools that require approval (an MCP server's destructive tools): shows the
   * tool and its arguments (escaped: the model wrote them) and reads the answer typed after the
   * question. `y`/`yes` runs it; anything else, or no input, denies the call.
   */
  async approveTool(request: ToolApprovalRequest): Promise<boolean> {
    let args = JSON.stringify(request.args ?? {}) ?? "{}";
    if (args.length > 2_000) args = `${args.slice(0, 2_000)}… (${args.length} characters)`;
    this.#o.out(
      `\ntool ${terminalSafe(JSON.stringify(request.tool))} asks for approval: ` +
        `${terminalSafe(args)}\n`,
    );
    const answer = this.#reader ? await this.#reader.answer("run it? [y/N]") : undefined;
    const yes = answer !== undefined && /^y(es)?$/i.test(answer.trim());
    this.#o.out(yes ? "approved\n" : "denied\n");
    return yes;
  }

  /** Handles one input; resolves `quit` when the REPL should end. */
  async handle(input: string): Promise<"quit" | undefined> {
    const text = input.trim();
    if (!text) return;
    this.inputs.push(text);
    if (this.#o.historyFile) {
      await Deno.writeTextFile(this.#o.historyFile, JSON.stringify(text) + "\n", { append: true })
        .catch(() => {});
    }
    try {
      if (text.startsWith(":")) return await this.#command(text);
      if (this.#mode === "code") await this.#code(text);
      else if (text.startsWith("!")) await this.#code(text.slice(1));
      else await this.#task(text);
    } catch (e) {
      this.#o.out(`error: ${(e as Error).message}\n`);
    }
  }

  /** Candidates for Tab: `:commands`, `tools.<name>`, kernel variables and helpers. */
  async completions(word: string): Promise<string[]> {
    if (word.startsWith(":")) return [...COMMAND_NAMES];
    const tools = this.#o.toolNames?.() ?? [];
    if (word.startsWith("tools.")) return tools.map((n) => `tools.${n}`);
    if (word.includes(".")) return [];
    const vars = this.busy ? [] : await this.#o.session.kernel.listVariables().catch(() => []);
    return [
      ...vars.map((v) => v.name),
      "tools",
      ...["list_variables", "inspect_variable", "search_tools", "call_subagent"],
    ];
  }

  /** Runs `code` in the kernel as typed, and shows what it gave, as `deno repl` does. */
  async #code(code: string): Promise<void> {
    if (!code.trim()) return;
    const { out, session } = this.#o;
    this.#running = new AbortController();
    try {
      const r = await session.runCode(code, { signal: this.#running.signal });
      if (r.stdout) out(r.stdout.endsWith("\n") ? r.stdout : `${r.stdout}\n`);
      if (r.stderr) out(r.stderr.endsWith("\n") ? r.stderr : `${r.stderr}\n`);
      if (r.error) {
        const where = r.error.line !== null ? ` (line ${r.error.line})` : "";
        out(`Uncaught ${r.error.name}: ${r.error.message}${where}\n`);
      } else if (r.display && r.display !== "undefined") out(`${r.display}\n`);
    } finally {
      this.#running = undefined;
    }
  }

  async #task(task: string): Promise<void> {
    const { out, session } = this.#o;
    const streamed = { text: false };
    this.#running = new AbortController();
    try {
      const r = await session.ask(task, {
        signal: this.#running.signal,
        onEvent: (e) => out(renderEvent(e, streamed)),
      });
      out(
        `[${r.outcome}, ${r.steps} step(s), ${r.usage.promptTokens}+${r.usage.completionTokens} tokens, ${r.ms} ms]\n`,
      );
    } finally {
      this.#running = undefined;
    }
  }

  #paths(): SaveLoadPaths {
    return {
      sessionsDir: this.#o.sessionsDir,
      learnedDir: this.#o.learnedDir ?? "./learned_skills",
    };
  }

  async #command(line: string): Promise<"quit" | undefined> {
    const { out, session, ledger, ledgerTask } = this.#o;
    const [cmd = "", ...rest] = line.split(/\s+/);
    const arg = rest.join(" ").trim();
    const need = (what: string) => {
      if (!arg) throw new Error(`${cmd} needs ${what}`);
      return arg;
    };
    switch (cmd) {
      case ":help":
        out(HELP + "\n");
        break;
      case ":vars": {
        const vars = await session.kernel.listVariables();
        out(
          vars.length
            ? vars.map((v) => `${v.name}: ${v.type}  ${v.summary}`).join("\n") + "\n"
            : "(no variables)\n",
        );
        break;
      }
      case ":inspect":
        out((await session.kernel.inspectVariable(need("a variable name"))) + "\n");
        break;
      case ":tools":
        out((await searchToolsText(session.options.registry, need("a query"))) + "\n");
        break;
      case ":history":
        out(
          this.inputs.map((t, i) => `${String(i + 1).padStart(3)}  ${t.replace(/\n/g, "\n     ")}`)
            .join("\n") + "\n",
        );
        break;
      case ":cost": {
        const entries = ledger.entries(ledgerTask);
        for (const e of entries) {
          out(
            `#${e.seq} ${e.model}: ${e.promptTokens} in + ${e.completionTokens} out tokens, ${
              Math.round(e.ms)
            } ms, $${e.cost.toFixed(6)}\n`,
          );
        }
        const t = ledger.totals(ledgerTask);
        out(
          `session: ${t.requests} request(s), ${t.promptTokens} in + ${t.completionTokens} out tokens, $${
            t.cost.toFixed(6)
          }\n`,
        );
        break;
      }
      case ":save":
        out(await saveReplSession(need("a name"), session, this.inputs, this.#paths()) + "\n");
        break;
      case ":load":
        out(await loadReplSession(need("a name"), session, this.#paths()) + "\n");
        break;
      case ":suggest": {
        if (!session.evolution) throw new Error(":suggest needs the evolution service");
        out(formatSuggestions(await session.evolution.analyzeHistory()) + "\n");
        break;
      }
      case ":code":
        this.#mode = "code";
        out(
          "code mode: inputs run in the kernel as typed (tools.* and helpers included); " +
            ":ask sends them to the model again\n",
        );
        break;
      case ":ask":
        this.#mode = "ask";
        out("ask mode: inputs are tasks for the model; !code runs one line as code\n");
        break;
      case ":reset":
        await session.reset();
        out("fresh kernel and conversation\n");
        break;
      case ":quit":
      case ":exit":
        return "quit";
      default:
        out(`Unknown command ${cmd}; :help lists them\n`);
    }
  }
}
