/**
 * A small Chrome DevTools Protocol client over a WebSocket: numbered requests with replies,
 * and events by method name. The subprocess host uses it to drive a child started with
 * `--inspect` through the child's relay (the kernel evaluates cells and interrupts them). The
 * socket is {@link NoDelayWebSocket}: Deno's WebSocket delays mid-size requests by ~44 ms.
 */
import { NoDelayWebSocket } from "./cdp_socket.ts";

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

/** One CDP session on a WebSocket URL such as `ws://127.0.0.1:9229/<uuid>`. */
export class CdpClient {
  readonly url: string;
  #ws: NoDelayWebSocket;
  #nextId = 1;
  #pending = new Map<number, Pending>();
  #listeners = new Map<string, Set<(params: Record<string, unknown>) => void>>();
  #closed = false;
  /** Resolves when the socket closes, for whatever reason. */
  readonly closed: Promise<void>;

  private constructor(url: string, ws: NoDelayWebSocket) {
    this.url = url;
    this.#ws = ws;
    ws.onMessage = (text) => this.#onMessage(text);
    this.closed = ws.closed.then(() => {
      this.#closed = true;
      for (const p of this.#pending.values()) {
        p.reject(new Error(`CDP ${p.method}: connection closed`));
      }
      this.#pending.clear();
    });
  }

  /**
   * Opens a session; rejects when the socket cannot be opened within `timeoutMs`. With `via`
   * the WebSocket runs over that connection (the child's relay) instead of dialling `url`.
   */
  static async connect(url: string, timeoutMs = 5_000, via?: Deno.Conn): Promise<CdpClient> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`CDP connect to ${url} timed out after ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      return new CdpClient(url, await Promise.race([NoDelayWebSocket.connect(url, via), timeout]));
    } catch (e) {
      throw new Error(`CDP connect to ${url} failed: ${(e as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
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

  /** Closes the socket; pending requests reject. */
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
