/**
 * `--inputs file` (and the demo): the file's lines are typed into the REPL first, each shown after
 * its prompt as if a person typed it, then input comes from the terminal or stdin as usual, so a
 * replayed session can be explored afterwards. Blank lines and `#` comment lines are skipped.
 */
import { type LineSource, readLines } from "./line_reader.ts";

/** A {@link LineSource} that plays `lines` before `then`. */
export class ScriptedInputs implements LineSource {
  readonly #script: string[];
  readonly #then: LineSource;
  readonly #out: (text: string) => void;
  readonly #onEnd: () => string | void;
  #ended = false;
  readonly lines: AsyncIterator<string>;

  constructor(
    text: string,
    then: LineSource | ReadableStream<Uint8Array>,
    out: (text: string) => void,
    /** Called once when the script is used up; may return the prompt to show instead. */
    onEnd: () => string | void = () => {},
  ) {
    this.#script = text.split("\n").map((l) => l.replace(/\r$/, ""))
      .filter((l) => l.trim() !== "" && !l.startsWith("#"));
    this.#then = then instanceof ReadableStream ? { lines: readLines(then) } : then;
    this.#out = out;
    this.#onEnd = onEnd;
    this.lines = this.#iterate();
  }

  /** Plays the prompt itself while lines remain, then leaves it to the terminal's editor. */
  prompt(text: string, answer: boolean): void {
    text = (!answer && this.#end()) || text;
    if (this.#script.length === 0 && this.#then.prompt) this.#then.prompt(text, answer);
    else this.#out(text);
  }

  remember(input: string): void {
    this.#then.remember?.(input);
  }

  #end(): string | void {
    if (this.#script.length || this.#ended) return;
    this.#ended = true;
    return this.#onEnd();
  }

  async *#iterate(): AsyncGenerator<string> {
    while (this.#script.length) {
      const line = this.#script.shift()!;
      this.#out(`${line}\n`);
      yield line;
    }
    for (
      let next = await this.#then.lines.next();
      !next.done;
      next = await this.#then.lines.next()
    ) {
      yield next.value;
    }
  }
}
