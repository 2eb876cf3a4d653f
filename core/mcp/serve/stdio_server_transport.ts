/**
 * The server end of MCP's stdio transport on Deno's own stdin/stdout: a host (Claude Desktop,
 * Cursor, VS Code) starts `deno task cli mcp serve` and talks JSON-RPC over its pipes. Unlike
 * the SDK's node-stream version it reports the end of stdin (`onclose`), so the process shuts
 * its kernel down when the host goes away. Nothing else may write to stdout: logs go to stderr.
 */
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { parseMessage, readLines } from "../lines.ts";

/** See the file doc. */
export class StdioServerTransport implements Transport {
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;
  onmessage?: (<T extends JSONRPCMessage>(message: T) => void) | undefined;
  readonly #input: ReadableStream<Uint8Array>;
  readonly #output: WritableStreamDefaultWriter<Uint8Array>;
  #closed = false;

  constructor(
    input: ReadableStream<Uint8Array> = Deno.stdin.readable,
    output: WritableStream<Uint8Array> = Deno.stdout.writable,
  ) {
    this.#input = input;
    this.#output = output.getWriter();
  }

  start(): Promise<void> {
    void readLines(this.#input, (line) => {
      const msg = parseMessage(line, (e) => this.onerror?.(e));
      if (msg) this.onmessage?.(msg);
    }, (e) => this.onerror?.(e)).then(() => this.close());
    return Promise.resolve();
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.#closed) throw new Error("the stdio transport is closed");
    await this.#output.write(new TextEncoder().encode(JSON.stringify(message) + "\n"));
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    this.onclose?.();
    return Promise.resolve();
  }
}
