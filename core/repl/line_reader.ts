/**
 * Reads REPL inputs from a byte stream (a TTY or a pipe): one line is one input, a line ending
 * in `\` continues on the next, and a `"""` line opens a block that runs until the next `"""`
 * line. Works the same piped and interactive; Ctrl-D (end of input) ends the iteration.
 */

/** Called before each line is read: `first` for a new input, `more` inside one. */
export type PromptFn = (kind: "first" | "more") => void;

/** Yields complete inputs (without the continuation markers) from a stream or from lines. */
export async function* readInputs(
  source: ReadableStream<Uint8Array> | AsyncIterable<string>,
  prompt: PromptFn = () => {},
): AsyncGenerator<string> {
  const lines = source instanceof ReadableStream ? readLines(source) : source;
  let parts: string[] = [];
  let block = false;
  prompt("first");
  for await (const line of lines) {
    if (block) {
      if (line.trim() === '"""') {
        block = false;
        yield parts.join("\n");
        parts = [];
        prompt("first");
      } else {
        parts.push(line);
        prompt("more");
      }
      continue;
    }
    if (parts.length === 0 && line.trim() === '"""') {
      block = true;
      prompt("more");
      continue;
    }
    if (line.endsWith("\\")) {
      parts.push(line.slice(0, -1));
      prompt("more");
      continue;
    }
    parts.push(line);
    yield parts.join("\n");
    parts = [];
    prompt("first");
  }
  if (parts.length) yield parts.join("\n");
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
