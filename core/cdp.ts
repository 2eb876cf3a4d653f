/**
 * A small Chrome DevTools Protocol client: numbered requests with replies, and events by method
 * name, over a {@link CdpTransport}: a WebSocket through the kernel's relay (core/cdp_socket.ts)
 * or frame lines on the kernel's stdin/stdout (core/cdp_pipe.ts). The subprocess host uses it to
 * drive a kernel (evaluate cells, interrupt them). Every message is the kernel's word: parsed
 * as untrusted JSON, replies matched by id only.
 */

/** A CDP request that the other side answered with an error. */
export class CdpError extends Error {
  readonly code: number;
  constructor(method: string, code: number, message: string) {
    super(`CDP ${method} failed (${code}): ${message}`);
    this.name = "CdpError";
    this.code = code;
  }
}

/** Options for one request. */
export interface CdpSendOptions {
  /** Rejects the request and forgets it (an interrupted evaluate never gets a reply). */
  signal?: AbortSignal;
}

type Pending = {
  method: string;
  resolve: (v: Record<string, unknown>) => void;
  reject: (e: Error) => void;
};

/** A message channel to one inspector session. */
export interface CdpTransport {
  send(text: string): void;
  /** Set by the client: each message received. */
  onMessage: (text: string) => void;
  /** Resolves when the channel ends (with the reason when it ended on an error). */
  readonly closed: Promise<Error | undefined>;
  close(): void;
}

/** One CDP session over a transport. */
export class CdpClient {
  #ws: CdpTransport;
  #nextId = 1;
  #pending = new Map<number, Pending>();
  #listeners = new Map<string, Set<(params: Record<string, unknown>) => void>>();
  #closed = false;
  /** Resolves when the transport closes, with the reason when it ended on an error. */
  readonly closed: Promise<Error | undefined>;

  constructor(transport: CdpTransport) {
    this.#ws = transport;
    transport.onMessage = (text) => this.#onMessage(text);
    this.closed = transport.closed.then((why) => {
      this.#closed = true;
      const detail = why ? `: ${why.message}` : "";
      for (const p of this.#pending.values()) {
        p.reject(new Error(`CDP ${p.method}: connection closed${detail}`));
      }
      this.#pending.clear();
      return why;
    });
  }

  /** True while the socket is open. */
  get open(): boolean {
    return !this.#closed;
  }

  /** Sends a request and resolves with its `result`; rejects with {@link CdpError}. */
  send(
    method: string,
    params: Record<string, unknown> = {},
    options: CdpSendOptions = {},
  ): Promise<Record<string, unknown>> {
    if (this.#closed) return Promise.reject(new Error(`CDP ${method}: connection closed`));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const signal = options.signal;
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        this.#pending.delete(id);
        reject(signal?.reason ?? new Error(`CDP ${method}: aborted`));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#pending.set(id, {
        method,
        resolve: (v) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(v);
        },
        reject: (e) => {
          signal?.removeEventListener("abort", onAbort);
          reject(e);
        },
      });
      this.#ws.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Subscribes to an event (e.g. `Runtime.bindingCalled`); returns the unsubscribe function. */
  on(method: string, handler: (params: Record<string, unknown>) => void): () => void {
    let set = this.#listeners.get(method);
    if (!set) this.#listeners.set(method, set = new Set());
    set.add(handler);
    return () => set.delete(handler);
  }

  /** Closes the transport; pending requests reject. */
  close(): void {
    if (!this.#closed) this.#ws.close();
  }

  #onMessage(data: string): void {
    let msg: {
      id?: number;
      result?: Record<string, unknown>;
      error?: { code: number; message: string };
      method?: string;
      params?: Record<string, unknown>;
    };
    try {
      msg = JSON.parse(data);
    } catch {
      return;
    }
    if (typeof msg !== "object" || msg === null) return;
    if (typeof msg.id === "number") {
      const p = this.#pending.get(msg.id);
      if (!p) return;
      this.#pending.delete(msg.id);
      if (msg.error) p.reject(new CdpError(p.method, msg.error.code, msg.error.message));
      else p.resolve(msg.result ?? {});
    } else if (typeof msg.method === "string") {
      const set = this.#listeners.get(msg.method);
      if (set) { for (const h of set) h(msg.params ?? {}); }
    }
  }
}
