/**
 * Frame I/O for both ends of a subprocess actor: a frame is one line, FRAME_PREFIX + JSON.
 * The child uses `readFrames` on stdin and `writeFrame` on stdout; the host uses `splitLines`
 * to cut the child's byte stream into lines. Lines without the prefix are ordinary output.
 */

/**
 * Same value as FRAME_PREFIX in core/protocol.ts (a test checks it); repeated here so a child
 * loads this file without zod, which keeps spawn-to-ready near 20 ms.
 */
export const FRAME_PREFIX = "\u001e";

const encoder = new TextEncoder();

/** Encodes one frame as a line: FRAME_PREFIX + JSON + "\n". */
export function encodeFrame(frame: unknown): Uint8Array {
  return encoder.encode(FRAME_PREFIX + JSON.stringify(frame) + "\n");
}

/** Parses a line; returns `{frame}` when it is a frame, `{text}` otherwise (bad JSON included). */
export function decodeLine(line: string): { frame: unknown } | { text: string } {
  if (!line.startsWith(FRAME_PREFIX)) return { text: line };
  try {
    return { frame: JSON.parse(line.slice(FRAME_PREFIX.length)) };
  } catch {
    return { text: line };
  }
}

/** Child side: writes one frame to stdout (synchronously, so frames never interleave). */
export function writeFrame(frame: unknown): void {
  const bytes = encodeFrame(frame);
  let off = 0;
  while (off < bytes.length) off += Deno.stdout.writeSync(bytes.subarray(off));
}

/** Yields the lines of a byte stream (without "\n"); a final unterminated line is yielded too. */
export async function* splitLines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buf = "";
  for await (const chunk of stream) {
    buf += decoder.decode(chunk, { stream: true });
    let start = 0;
    let nl: number;
    while ((nl = buf.indexOf("\n", start)) >= 0) {
      yield buf.slice(start, nl);
      start = nl + 1;
    }
    buf = buf.slice(start);
  }
  buf += decoder.decode();
  if (buf) yield buf;
}

/**
 * Child side: calls `onFrame` for each frame read from stdin until stdin closes; other lines
 * are ignored. `onFrame` is not awaited (a slow handler must not hold up the next frame), so
 * it handles its own errors. Resolves at end of input.
 */
export async function readFrames(
  onFrame: (frame: unknown) => void,
  stream: ReadableStream<Uint8Array> = Deno.stdin.readable,
): Promise<void> {
  for await (const line of splitLines(stream)) {
    const decoded = decodeLine(line);
    if ("frame" in decoded) onFrame(decoded.frame);
  }
}
