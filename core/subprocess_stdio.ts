/**
 * Frame I/O for both ends of a subprocess actor: a frame is one line, FRAME_PREFIX + JSON.
 * The child uses `readFrames` on stdin and `writeFrame` on stdout; the host cuts the child's
 * byte stream into bounded lines (core/line_reader.ts). Lines without the prefix are output.
 */
import { splitLines, type SplitLinesOptions } from "./line_reader.ts";

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

/**
 * Parses a line: `{frame}` when it holds a frame, `{text}` otherwise (bad JSON included). A frame
 * may follow output that had no newline of its own (`abc` + frame): that output comes back as
 * `before`. JSON escapes FRAME_PREFIX, so the first one in a line is where a frame starts.
 */
export function decodeLine(line: string): { frame: unknown; before?: string } | { text: string } {
  const at = line.indexOf(FRAME_PREFIX);
  if (at < 0) return { text: line };
  try {
    const frame = JSON.parse(line.slice(at + FRAME_PREFIX.length));
    return at === 0 ? { frame } : { frame, before: line.slice(0, at) };
  } catch {
    return { text: line };
  }
}

/** The JSON text of a frame line (what follows FRAME_PREFIX), or undefined for plain output. */
export function frameText(line: string): { json: string; before: string } | undefined {
  const at = line.indexOf(FRAME_PREFIX);
  return at < 0
    ? undefined
    : { json: line.slice(at + FRAME_PREFIX.length), before: line.slice(0, at) };
}

/** Child side: writes one frame to stdout (synchronously, so frames never interleave). */
export function writeFrame(frame: unknown): void {
  const bytes = encodeFrame(frame);
  let off = 0;
  while (off < bytes.length) off += Deno.stdout.writeSync(bytes.subarray(off));
}

/**
 * Child side: calls `onFrame` for each frame read from stdin until stdin closes; other lines
 * are ignored. `onFrame` is not awaited (a slow handler must not hold up the next frame), so
 * it handles its own errors. Resolves at end of input.
 */
export async function readFrames(
  onFrame: (frame: unknown) => void,
  stream: ReadableStream<Uint8Array> = Deno.stdin.readable,
  options: SplitLinesOptions = {},
): Promise<void> {
  for await (const line of splitLines(stream, options)) {
    const decoded = decodeLine(line);
    if ("frame" in decoded) onFrame(decoded.frame);
  }
}
