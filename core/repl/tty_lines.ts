/**
 * Line input on a terminal in raw mode. Raw mode is needed because in cooked mode Ctrl-C makes
 * the terminal send SIGINT to the whole process group, which includes the kernel subprocess
 * (it would die and restart, losing state). Here Ctrl-C is a key: it interrupts the running
 * task, or clears the line being typed. A small editor: typing, Backspace, Enter, Up/Down
 * through history, Ctrl-U clears, Ctrl-D on an empty line ends input. No mid-line cursor moves.
 */

/** How the editor reaches the terminal and the REPL. */
export interface TtyLinesOptions {
  input: ReadableStream<Uint8Array>;
  write: (text: string) => void;
  /** Called on Ctrl-C; returns true when it stopped something (then the line is kept). */
  onInterrupt: () => boolean;
  /** Earlier inputs, oldest first, for Up/Down. */
  history?: string[];
}

/** Yields each line typed on the terminal until Ctrl-D on an empty line. */
export async function* ttyLines(o: TtyLinesOptions): AsyncGenerator<string> {
  const queue: string[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  const history = o.history ?? [];
  let line = "";
  let back = 0; // position in history while browsing (0 = the new line)
  const replace = (text: string) => {
    o.write("\b \b".repeat([...line].length) + text);
    line = text;
  };
  const pump = (async () => {
    const keys = o.input.pipeThrough(new TextDecoderStream());
    for await (const chunk of keys) {
      for (let i = 0; i < chunk.length; i++) {
        const c = chunk[i]!;
        if (c === "\x1b" && chunk[i + 1] === "[") {
          const key = chunk[i + 2];
          i += 2;
          if (key === "A" && back < history.length) replace(history[history.length - ++back]!);
          else if (key === "B" && back > 0) {
            replace(--back === 0 ? "" : history[history.length - back]!);
          }
          continue;
        }
        if (c === "\r" || c === "\n") {
          o.write("\r\n");
          queue.push(line);
          line = "";
          back = 0;
        } else if (c === "\x03") {
          if (!o.onInterrupt()) {
            o.write(line ? "^C\r\n> " : "^C (:quit or Ctrl-D leaves)\r\n> ");
            line = "";
          }
        } else if (c === "\x04") {
          if (!line) {
            ended = true;
            break;
          }
        } else if (c === "\x7f" || c === "\b") {
          if (line) replace([...line].slice(0, -1).join(""));
        } else if (c === "\x15") {
          replace("");
        } else if (c >= " " || c === "\t") {
          line += c;
          o.write(c);
        }
      }
      wake?.();
      if (ended) break;
    }
    ended = true;
    wake?.();
  })();
  try {
    while (true) {
      if (queue.length) {
        const next = queue.shift()!;
        history.push(next);
        yield next;
        continue;
      }
      if (ended) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    await Promise.race([pump, Promise.resolve()]);
  }
}
