/**
 * Reads REPL inputs from lines (a pipe, or the terminal's line editor): one line is one input,
 * a line ending in `\` continues on the next, and a `"""` line opens a block that runs until the
 * next `"""` line. A line that already holds newlines (a multi-line entry recalled from history)
 * is one whole input. `answer()` reads one line as the reply to a question (approval), with the
 * question as its prompt, never the REPL's. End of input (Ctrl-D) ends the iteration.
 */

/** Asked before each line is read: a new input, a continuation, or an answer to `question`. */
export type PromptFn = (kind: "first" | "more" | "answer", question?: string) => void;

/** A source of lines: the terminal editor also shows prompts and keeps a history. */
export interface LineSource {
  lines: AsyncIterator<string>;
  /** A complete input, for history (a multi-line one is kept whole). */
  remember?(input: string): void;
  /** Shows a prompt; `answer` when the next line answers a question. */
  prompt?(text: string, answer: boolean): void;
}

/** Assembles inputs from a {@link LineSource}. */
export class InputReader {
  readonly #source: LineSource;
  readonly #prompt: PromptFn;
  #done = false;

  constructor(source: LineSource | ReadableStream<Uint8Array>, prompt: PromptFn = () => {}) {
    this.#source = source instanceof ReadableStream ? { lines: readLines(source) } : source;
    this.#prompt = prompt;
  }

  /** The next complete input, or undefined at the end of input. */
  async input(): Promise<string | undefined> {
    const parts: string[] = [];
    let block = false;
    this.#prompt("first");
    while (true) {
      const line = await this.#line();
      if (line === undefined) return parts.length ? this.#keep(parts.join("\n")) : undefined;
      if (block) {
        if (line.trim() === '"""') return this.#keep(parts.join("\n"));
        parts.push(line);
      } else if (parts.length === 0 && line.trim() === '"""') {
        block = true;
      } else if (line.endsWith("\\") && !line.includes("\n")) {
        parts.push(line.slice(0, -1));
      } else {
        parts.push(line);
        return this.#keep(parts.join("\n"));
      }
      this.#prompt("more");
    }
  }

  /** One line read as the answer to `question` (shown as its prompt); undefined at the end. */
  answer(question: string): Promise<string | undefined> {
    this.#prompt("answer", question);
    return this.#line();
  }

  async #line(): Promise<string | undefined> {
    if (this.#done) return undefined;
    const next = await this.#source.lines.next();
    if (next.done) this.#done = true;
    return next.done ? undefined : next.value;
  }

  #keep(input: string): string {
    this.#source.remember?.(input);
    return input;
  }
}

/** Splits a byte stream into lines (without `\n` or `\r\n`). */
export async function* readLines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let buffer = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      yield buffer.slice(0, nl).replace(/\r$/, "");
      buffer = buffer.slice(nl + 1);
    }
  }
  if (buffer) yield buffer;
}
