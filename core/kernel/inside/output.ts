/**
 * Inside the kernel: per-cell capture of console output, stdout and stderr apart. Each stream
 * keeps its first `limit` characters and counts what it cut, so a cell printing gigabytes
 * costs the supervisor nothing and the result says exactly how much was dropped.
 */

/** One captured stream. */
export class OutputBuffer {
  readonly limit: number;
  #parts: string[] = [];
  #kept = 0;
  #cutChars = 0;
  #cutLines = 0;

  constructor(limit: number) {
    this.limit = limit;
  }

  /** Appends text; whatever does not fit under the limit is counted, not kept. */
  append(text: string): void {
    const room = this.limit - this.#kept;
    if (room >= text.length) {
      this.#parts.push(text);
      this.#kept += text.length;
      return;
    }
    const kept = text.slice(0, Math.max(0, room));
    if (kept) this.#parts.push(kept);
    this.#kept += kept.length;
    const cut = text.slice(kept.length);
    this.#cutChars += cut.length;
    this.#cutLines += countLines(cut);
  }

  /** Returns the captured text (with a note on what was cut) and empties the buffer. */
  take(): string {
    let text = this.#parts.join("");
    if (this.#cutChars > 0) {
      text += `\n[output truncated: ${this.#cutChars} more characters in ` +
        `${this.#cutLines} lines were cut]\n`;
    }
    this.#parts = [];
    this.#kept = this.#cutChars = this.#cutLines = 0;
    return text;
  }
}

function countLines(s: string): number {
  let n = 0;
  for (let i = s.indexOf("\n"); i >= 0; i = s.indexOf("\n", i + 1)) n++;
  return n + (s.endsWith("\n") || s === "" ? 0 : 1);
}

/** Formats console arguments the way Deno's console does for the common cases. */
export function formatArgs(args: unknown[]): string {
  const first = args[0];
  if (typeof first === "string" && /%[sdifoOc%]/.test(first)) {
    let i = 1;
    const head = first.replace(/%([sdifoOc%])/g, (m, k: string) => {
      if (k === "%") return "%";
      if (i >= args.length) return m;
      const a = args[i++];
      if (k === "c") return "";
      if (k === "s") return typeof a === "string" ? a : inspect(a);
      if (k === "d" || k === "i") return String(k === "i" ? Math.trunc(Number(a)) : Number(a));
      if (k === "f") return String(Number(a));
      return inspect(a);
    });
    return [head, ...args.slice(i).map(str)].join(" ");
  }
  return args.map(str).join(" ");
}

function str(a: unknown): string {
  return typeof a === "string" ? a : inspect(a);
}

/** Deno.inspect without colours, as `deno repl` renders values. */
export function inspect(v: unknown, depth = 4): string {
  return Deno.inspect(v, { colors: false, depth, iterableLimit: 100, strAbbreviateSize: 10_000 });
}
