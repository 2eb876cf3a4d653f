/**
 * The supervisor's end of the `pipe` inspector transport: CDP messages as frame lines
 * (FRAME_PREFIX + JSON) on the kernel's stdin, replies and events as frame lines on its stdout,
 * served inside the kernel by core/kernel/inside/pipe_relay.ts through `node:inspector`. No
 * socket is listening anywhere, so no other process can reach the kernel's inspector. The
 * kernel's own code can write to the same stdout: what comes back is its word, as on any
 * transport.
 */
import type { CdpTransport } from "./cdp.ts";
import { FRAME_PREFIX } from "./subprocess_stdio.ts";

const encoder = new TextEncoder();

/** A transport over a child's stdio; the host feeds it the child's frame lines. */
export class PipeTransport implements CdpTransport {
  readonly #write: (bytes: Uint8Array) => void;
  readonly #end = Promise.withResolvers<Error | undefined>();
  #open = true;
  onMessage: (text: string) => void = () => {};
  readonly closed: Promise<Error | undefined> = this.#end.promise;

  /** `write` puts bytes on the child's stdin. */
  constructor(write: (bytes: Uint8Array) => void) {
    this.#write = write;
  }

  send(text: string): void {
    if (this.#open) this.#write(encoder.encode(FRAME_PREFIX + text + "\n"));
  }

  /** One frame's JSON text from the child's stdout. */
  deliver(json: string): void {
    if (this.#open) this.onMessage(json);
  }

  /** Ends the transport (the child's stdout ended, or a limit was hit). */
  end(why?: Error): void {
    if (!this.#open) return;
    this.#open = false;
    this.#end.resolve(why);
  }

  close(): void {
    this.end();
  }
}
