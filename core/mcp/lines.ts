/**
 * MCP's stdio framing: one JSON-RPC message per line. `readLines` splits a byte stream
 * scanning only each new chunk (a multi-megabyte image result stays linear) and caps a line's
 * size; `parseMessage` checks a line against the SDK's message schema (the other side is
 * untrusted).
 */
import { type JSONRPCMessage, JSONRPCMessageSchema } from "@modelcontextprotocol/sdk/types.js";

/** The longest line accepted (the SDK's cap is 10 MB; images and files can be larger). */
export const MAX_LINE = 64 * 1024 * 1024;

/** Calls `onLine` for each non-empty line until the stream ends or breaks. */
export async function readLines(
  stream: ReadableStream<Uint8Array>,
  onLine: (line: string) => void,
  onError: (e: Error) => void,
): Promise<void> {
  const decoder = new TextDecoder();
  let parts: string[] = [];
  let size = 0;
  const emit = (line: string) => {
    line = line.replace(/\r$/, "");
    if (line.trim()) onLine(line);
  };
  try {
    for await (const chunk of stream) {
      const pieces = decoder.decode(chunk, { stream: true }).split("\n");
      if (pieces.length === 1) {
        parts.push(pieces[0]!);
        size += pieces[0]!.length;
        if (size > MAX_LINE) {
          onError(new Error(`a line exceeded ${MAX_LINE} bytes and was dropped`));
          parts = [], size = 0;
        }
        continue;
      }
      emit(parts.join("") + pieces[0]);
      for (const line of pieces.slice(1, -1)) emit(line);
      parts = [pieces.at(-1)!];
      size = parts[0]!.length;
    }
  } catch {
    // the stream broke (the process died): its owner reports how
  }
  emit(parts.join(""));
}

/** The message on `line`, or undefined (reported to `onError`) when it is not one. */
export function parseMessage(
  line: string,
  onError: (e: Error) => void,
): JSONRPCMessage | undefined {
  try {
    return JSONRPCMessageSchema.parse(JSON.parse(line));
  } catch (e) {
    onError(new Error(`not a JSON-RPC message: ${(e as Error).message.slice(0, 200)}`));
    return undefined;
  }
}
