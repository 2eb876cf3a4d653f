/**
 * The terminal's line editor: `node:readline` (it edits correctly under Deno: Left/Right,
 * Home/End, Delete, Ctrl-A/E/W/U/K, history search with Up/Down), in raw mode so that Ctrl-C is a
 * key (in cooked mode the terminal would send SIGINT to the whole process group, the kernel
 * subprocess included). Multi-line entries are recalled whole; Tab completes the names
 * `complete` offers; an answer to a question (approval) is only ever a line typed after the
 * question was shown: lines typed ahead wait for the next prompt.
 */
import * as readline from "node:readline";
import process from "node:process";
import type { Readable, Writable } from "node:stream";
import type { LineSource } from "./line_reader.ts";

/** How the editor reaches the REPL. */
export interface LineEditorOptions {
  /** Earlier inputs, oldest first, for Up/Down. */
  history?: string[];
  /** Ctrl-C: returns true when it stopped something (a running task). */
  onInterrupt: () => boolean;
  /** Candidates for the word before the cursor (`word` may be empty). */
  complete?: (word: string) => Promise<string[]> | string[];
  /** Streams (tests); default the process's stdin and stdout. */
  input?: Readable;
  output?: Writable;
}

/** The word Tab completes: an identifier, `obj.member`, or a `:command`. */
const WORD = /(?::\w*|[A-Za-z_$][\w$]*(?:\.[\w$]*)?|\.)$/;

/** See the file doc. */
export class LineEditor implements LineSource {
  readonly #rl: readline.Interface;
  readonly #queue: string[] = [];
  #stash: string[] = [];
  #answering = false;
  #wake: (() => void) | undefined;
  #closed = false;
  /** Lines entered since the last complete input (their history entries are merged). */
  #fragments = 0;
  readonly lines: AsyncIterator<string>;

  constructor(o: LineEditorOptions) {
    this.#rl = readline.createInterface({
      input: o.input ?? process.stdin,
      output: o.output ?? process.stdout,
      terminal: true,
      history: [...(o.history ?? [])].reverse(),
      historySize: 1000,
      removeHistoryDuplicates: true,
      ...(o.complete ? { completer: completer(o.complete) } : {}),
    });
    this.#rl.on("line", (line: string) => this.#onLine(line));
    this.#rl.on("close", () => {
      this.#closed = true;
      this.#wake?.();
    });
    this.#rl.on("SIGINT", () => {
      if (this.#answering) return this.#onLine(""); // Ctrl-C at a question = no
      if (o.onInterrupt()) return;
      const state = this.#rl as unknown as { line: string; cursor: number };
      const typed = state.line;
      state.line = "";
      state.cursor = 0;
      (o.output ?? process.stdout).write(typed ? "^C\n" : "^C (:quit or Ctrl-D leaves)\n");
      this.#rl.prompt();
    });
    this.lines = this.#iterate();
  }

  /** Shows `text` as the prompt; for an `answer`, lines typed before now are not taken. */
  prompt(text: string, answer: boolean): void {
    if (answer) {
      this.#answering = true;
      this.#stash = this.#queue.splice(0); // typed ahead: not an answer
    }
    this.#rl.setPrompt(text);
    this.#rl.prompt();
  }

  /** Keeps `input` as one history entry, in place of the lines it was typed as. */
  remember(input: string): void {
    const history = (this.#rl as unknown as { history: string[] }).history;
    if (this.#fragments > 1 || input.includes("\n")) {
      history.splice(0, this.#fragments, input);
    }
    this.#fragments = 0;
  }

  /** The history, newest first (what Up recalls). */
  history(): string[] {
    return [...(this.#rl as unknown as { history: string[] }).history];
  }

  /** Stops reading and leaves raw mode. */
  close(): void {
    this.#rl.close();
  }

  #onLine(line: string): void {
    if (this.#answering) {
      this.#answering = false;
      const history = (this.#rl as unknown as { history: string[] }).history;
      if (history[0] === line) history.shift(); // answers are not history
      this.#queue.unshift(line);
      this.#queue.splice(1, 0, ...this.#stash);
      this.#stash = [];
    } else {
      this.#fragments++;
      this.#queue.push(line);
    }
    this.#wake?.();
  }

  async *#iterate(): AsyncGenerator<string> {
    while (true) {
      const next = this.#queue.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      if (this.#closed) return;
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = undefined;
    }
  }
}

function completer(complete: (word: string) => Promise<string[]> | string[]) {
  return (line: string, callback: (err: null, result: [string[], string]) => void) => {
    const word = line.match(WORD)?.[0] ?? "";
    Promise.resolve(complete(word)).then(
      (all) => callback(null, [[...new Set(all.filter((c) => c.startsWith(word)))].sort(), word]),
      () => callback(null, [[], word]),
    );
  };
}
