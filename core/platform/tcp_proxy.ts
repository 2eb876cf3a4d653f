/**
 * A TCP forwarder for fault tests: clients connect to the proxy, which forwards to a target
 * (PostgreSQL, Redis). `cut()` drops every connection and stops listening (the service looks
 * down); `restore()` listens again on the same port. It never touches the shared service.
 */

/** A running proxy. */
export interface TcpProxy {
  port: number;
  /** Closes every forwarded connection and the listener. */
  cut(): void;
  /** Listens again on the same port. */
  restore(): void;
  /** Connections accepted so far. */
  accepted: number;
  close(): Promise<void>;
}

/** Starts a proxy on 127.0.0.1 at a free port, forwarding to `target`. */
export function startTcpProxy(target: { hostname: string; port: number }): TcpProxy {
  let listener: Deno.Listener | undefined;
  const open = new Set<Deno.Conn>();
  let port = 0;
  const state = { accepted: 0 };
  const pipe = async (from: Deno.Conn, to: Deno.Conn) => {
    try {
      await from.readable.pipeTo(to.writable);
    } catch {
      // either side closed: tear both down below
    }
    for (const c of [from, to]) {
      try {
        c.close();
      } catch {
        // already closed
      }
      open.delete(c);
    }
  };
  const listen = () => {
    const l = Deno.listen({ hostname: "127.0.0.1", port });
    listener = l;
    port = (l.addr as Deno.NetAddr).port;
    (async () => {
      try {
        for await (const client of l) {
          state.accepted++;
          let upstream: Deno.Conn;
          try {
            upstream = await Deno.connect(target);
          } catch {
            client.close();
            continue;
          }
          open.add(client).add(upstream);
          void pipe(client, upstream);
          void pipe(upstream, client);
        }
      } catch {
        // listener closed
      }
    })();
  };
  const cut = () => {
    try {
      listener?.close();
    } catch {
      // already closed
    }
    listener = undefined;
    for (const c of open) {
      try {
        c.close();
      } catch {
        // already closed
      }
    }
    open.clear();
  };
  listen();
  return {
    get port() {
      return port;
    },
    get accepted() {
      return state.accepted;
    },
    cut,
    restore: () => {
      if (!listener) listen();
    },
    close: () => Promise.resolve(cut()),
  };
}
