/**
 * The interactive session: each input is a task for the orchestrator (its reply streams, cells
 * are shown before and after they run) or a `:command`. `interrupt()` (Ctrl-C) stops the
 * running task and its cell, never the REPL. Inputs are appended to a history file. In `manual`
 * approval mode the REPL is the approver: generated code is shown and the next line answers.
 */
import type { AgentSession } from "../agent/agent_session.ts";
import type { ApprovalRequest } from "../evolution/approval.ts";
import { formatApprovalRequest, formatSuggestions } from "../evolution/repl_text.ts";
import type { UsageLedger } from "../model/usage_ledger.ts";
import type { ApprovalRequest as ToolApprovalRequest } from "../tools/call_tool.ts";
import { searchToolsText } from "../tools/meta_tools.ts";
import { HELP } from "./help.ts";
import { readInputs } from "./line_reader.ts";
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
}

/** See the file doc. */
export class Repl {
  readonly #o: ReplOptions;
  readonly inputs: string[] = [];
  #running: AbortController | undefined;
  #inputs: AsyncIterator<string> | undefined;

  constructor(options: ReplOptions) {
    this.#o = options;
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

  /** Reads inputs (a byte stream, or lines from the terminal editor) until the end or `:quit`. */
  async run(source: ReadableStream<Uint8Array> | AsyncIterable<string>): Promise<void> {
    const prompt = (kind: "first" | "more") => this.#o.out(kind === "first" ? "> " : "… ");
    const inputs = readInputs(source, prompt);
    this.#inputs = inputs;
    try {
      for (let next = await inputs.next(); !next.done; next = await inputs.next()) {
        if ((await this.handle(next.value)) === "quit") break;
      }
    } finally {
      this.#inputs = undefined;
      await inputs.return(undefined);
    }
    this.#o.out("\n");
  }

  /**
   * The `manual` approver: shows the generated code and findings and reads the answer from the
   * next input line (terminal or pipe). `y`/`yes` loads it; anything else, or no input, leaves
   * it pending.
   */
  async approve(request: ApprovalRequest): Promise<boolean | "pending"> {
    this.#o.out(`\n${formatApprovalRequest(request)}\n`);
    const answer = this.#inputs ? await this.#inputs.next() : undefined;
    const yes = !!answer && !answer.done && /^y(es)?$/i.test(answer.value.trim());
    this.#o.out(
      yes ? `approved ${request.name}\n` : `left ${request.name} pending (not loaded)\n`,
    );
    return yes ? true : "pending";
  }

  /**
   * The approver of tools that require approval (an MCP server's destructive tools): shows the
   * tool and its arguments (escaped: the model wrote them) and reads the answer from the next
   * input line. `y`/`yes` runs it; anything else, or no input, denies the call.
   */
  async approveTool(request: ToolApprovalRequest): Promise<boolean> {
    let args = JSON.stringify(request.args ?? {}) ?? "{}";
    if (args.length > 2_000) args = `${args.slice(0, 2_000)}… (${args.length} characters)`;
    // JSON escapes C0 controls; C1 ones (e.g. \x9b, a CSI) must not reach the terminal either.
    args = args.replace(
      /[\u007f-\u009f]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );
    this.#o.out(
      `\ntool ${JSON.stringify(request.tool)} asks for approval: ${args}\nrun it? [y/N] `,
    );
    const answer = this.#inputs ? await this.#inputs.next() : undefined;
    const yes = !!answer && !answer.done && /^y(es)?$/i.test(answer.value.trim());
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
      await this.#task(text);
    } catch (e) {
      this.#o.out(`error: ${(e as Error).message}\n`);
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
