/**
 * A minimal WebSocket client (RFC 6455, text frames) over a TCP connection with TCP_NODELAY.
 * Deno's WebSocket does not set NODELAY: measured on 2.9.6, every CDP request between about
 * 1 KB and 64 KB waited ~44 ms (Nagle + delayed ACK), which made a 50-line cell cost 50 ms.
 * Each frame here goes out in one write, and each message received is answered by an
 * unsolicited pong so the server's Nagle never waits for our delayed ACK. Only what a CDP
 * session needs: text, ping, close.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** One client connection; `onMessage` gets each complete text message. */
export class NoDelayWebSocket {
  readonly #conn: Deno.Conn;
  #writing: Promise<unknown> = Promise.resolve();
  #closed = false;
  onMessage: (text: string) => void = () => {};
  /** Resolves when the connection ends. */
  readonly closed: Promise<void>;

  private constructor(conn: Deno.Conn, rest: Uint8Array) {
    this.#conn = conn;
    this.closed = this.#readLoop(rest).catch(() => {}).finally(() => {
      this.#closed = true;
      try {
        conn.close();
      } catch { /* already closed */ }
    });
  }

  /**
   * Opens `ws://host:port/path` and completes the handshake, over `via` when given (an already
   * connected stream, e.g. a Unix socket to a relay) instead of a new TCP connection.
   */
  static async connect(url: string, via?: Deno.Conn): Promise<NoDelayWebSocket> {
    const u = new URL(url);
    if (u.protocol !== "ws:") throw new TypeError(`Only ws: URLs are supported, got ${url}`);
    let conn: Deno.Conn;
    if (via) conn = via;
    else {
      const tcp = await Deno.connect({ hostname: u.hostname, port: Number(u.port || 80) });
      tcp.setNoDelay(true);
      conn = tcp;
    }
    const key = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
    await writeAll(
      conn,
      encoder.encode(
        `GET ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\n` +
          `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      ),
    );
    let buf: Uint8Array = new Uint8Array(0);
    for (;;) {
      const end = indexOfHeaderEnd(buf);
      if (end >= 0) {
        const head = decoder.decode(buf.subarray(0, end));
        if (!/^HTTP\/1\.1 101/.test(head)) {
          conn.close();
          throw new Error(`WebSocket handshake with ${url} failed: ${head.split("\r\n")[0]}`);
        }
        return new NoDelayWebSocket(conn, buf.subarray(end + 4));
      }
      const chunk = new Uint8Array(4096);
      const n = await conn.read(chunk);
      if (n === null) throw new Error(`WebSocket handshake with ${url}: connection closed`);
      buf = concat(buf, chunk.subarray(0, n));
    }
  }

  /** True until the connection ends. */
  get open(): boolean {
    return !this.#closed;
  }

  /** Sends one text message as a single masked frame in one write. */
  send(text: string): void {
    this.#write(1, encoder.encode(text));
  }

  /** Sends a close frame and ends the connection. */
  close(): void {
    if (this.#closed) return;
    this.#write(8, new Uint8Array(0));
    this.#writing.finally(() => {
      try {
        this.#conn.close();
      } catch { /* already closed */ }
    });
  }

  #write(opcode: number, payload: Uint8Array): void {
    const frame = encodeFrame(opcode, payload);
    this.#writing = this.#writing.then(() => writeAll(this.#conn, frame)).catch(() => {});
  }

  async #readLoop(initial: Uint8Array): Promise<void> {
    let buf: Uint8Array = initial;
    let parts: Uint8Array[] = [];
    const chunk = new Uint8Array(65_536);
    for (;;) {
      let frame: ReturnType<typeof decodeFrame>;
      while ((frame = decodeFrame(buf))) {
        buf = buf.subarray(frame.size);
        if (frame.opcode === 8) return;
        if (frame.opcode === 9) this.#write(10, frame.payload);
        if (frame.opcode === 1 || frame.opcode === 0) {
          parts.push(frame.payload.slice());
          if (frame.fin) {
            const all = parts.length === 1 ? parts[0]! : parts.reduce(concat);
            parts = [];
            // An unsolicited pong (RFC 6455 5.5.3: no reply) carries our TCP ACK at once. The
            // inspector's socket has Nagle on: without this, a reply written while an earlier
            // segment waited for our delayed ACK (40 ms) stalled; measured ~44 ms on 1 in 3 cells.
            this.#write(10, new Uint8Array(0));
            this.onMessage(decoder.decode(all));
          }
        }
      }
      const n = await this.#conn.read(chunk);
      if (n === null) return;
      buf = buf.length ? concat(buf, chunk.subarray(0, n)) : chunk.slice(0, n);
    }
  }
}

function encodeFrame(opcode: number, payload: Uint8Array): Uint8Array {
  const len = payload.length;
  const ext = len < 126 ? 0 : len < 65_536 ? 2 : 8;
  const frame = new Uint8Array(2 + ext + 4 + len);
  frame[0] = 0x80 | opcode;
  frame[1] = 0x80 | (ext === 0 ? len : ext === 2 ? 126 : 127);
  const view = new DataView(frame.buffer);
  if (ext === 2) view.setUint16(2, len);
  if (ext === 8) view.setBigUint64(2, BigInt(len));
  const mask = crypto.getRandomValues(new Uint8Array(4));
  frame.set(mask, 2 + ext);
  const off = 2 + ext + 4;
  for (let i = 0; i < len; i++) frame[off + i] = payload[i]! ^ mask[i & 3]!;
  return frame;
}

function decodeFrame(
  buf: Uint8Array,
): { fin: boolean; opcode: number; payload: Uint8Array; size: number } | undefined {
  if (buf.length < 2) return undefined;
  const fin = (buf[0]! & 0x80) !== 0;
  const opcode = buf[0]! & 0x0f;
  const masked = (buf[1]! & 0x80) !== 0;
  let len = buf[1]! & 0x7f;
  let off = 2;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (len === 126) {
    if (buf.length < 4) return undefined;
    len = view.getUint16(2);
    off = 4;
  } else if (len === 127) {
    if (buf.length < 10) return undefined;
    len = Number(view.getBigUint64(2));
    off = 10;
  }
  const maskOff = off;
  if (masked) off += 4;
  if (buf.length < off + len) return undefined;
  const payload = buf.subarray(off, off + len);
  if (masked) { for (let i = 0; i < len; i++) payload[i]! ^= buf[maskOff + (i & 3)]!; }
  return { fin, opcode, payload, size: off + len };
}

function indexOfHeaderEnd(buf: Uint8Array): number {
  for (let i = 0; i + 3 < buf.length; i++) {
    if (buf[i] === 13 && buf[i + 1] === 10 && buf[i + 2] === 13 && buf[i + 3] === 10) return i;
  }
  return -1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let off = 0;
  while (off < bytes.length) off += await conn.write(bytes.subarray(off));
}
