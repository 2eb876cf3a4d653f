/**
 * Cuts a byte stream into lines with a bound on what is held: bytes are kept as the chunks they
 * arrived in (no string grows by concatenation, so a long line costs linear time), and a line
 * longer than `maxLineBytes` keeps only its first `maxLineBytes` bytes; the rest is counted and
 * dropped as it arrives, never buffered. A child writing 400 MB without a newline costs the
 * supervisor `maxLineBytes`, not 400 MB.
 */

/** Default cap of one line: 1 MiB. */
export const DEFAULT_MAX_LINE_BYTES = 1_048_576;

/** Options of {@link splitLines}. */
export interface SplitLinesOptions {
  /** Bytes kept of one line (default 1 MiB). */
  maxLineBytes?: number;
  /** Called once per line, when it first passes the cap (before the rest is read). */
  onOverflow?(keptBytes: number): void;
}

const NL = 10;

/**
 * Yields the lines of a byte stream (without "\n"); a final unterminated line is yielded too.
 * A line over the cap is yielded cut to the cap when its newline (or the end) arrives.
 */
export async function* splitLines(
  stream: ReadableStream<Uint8Array>,
  options: SplitLinesOptions = {},
): AsyncGenerator<string> {
  const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const decoder = new TextDecoder();
  let parts: Uint8Array[] = [];
  let held = 0;
  let over = false;
  const keep = (bytes: Uint8Array) => {
    if (over || bytes.length === 0) return;
    const room = max - held;
    if (bytes.length > room) {
      if (room > 0) parts.push(bytes.subarray(0, room)), held += room;
      over = true;
      options.onOverflow?.(held);
      return;
    }
    parts.push(bytes);
    held += bytes.length;
  };
  const take = (): string => {
    const line = parts.length === 1 ? decoder.decode(parts[0]) : decoder.decode(join(parts, held));
    parts = [];
    held = 0;
    over = false;
    return line;
  };
  for await (const chunk of stream) {
    let start = 0;
    for (let nl = chunk.indexOf(NL); nl >= 0; nl = chunk.indexOf(NL, start)) {
      keep(chunk.subarray(start, nl));
      start = nl + 1;
      yield take();
    }
    // The stream may reuse its chunk's buffer only after we return it: keep a copy of the rest.
    if (start < chunk.length && !over) keep(chunk.slice(start));
  }
  if (held > 0 || over) yield take();
}

function join(parts: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let off = 0;
  for (const p of parts) out.set(p, off), off += p.length;
  return out;
}
