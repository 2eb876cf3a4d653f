/**
 * A minimal WebSocket client (RFC 6455, text frames) over any byte stream pair: the kernel's
 * relay carries the inspector's TCP bytes on the child's stdin and stdout. Reading is linear (a
 * message's buffer is allocated once its length is known, then filled) and bounded: a frame or
 * message declaring more than `maxMessageBytes` ends the connection before any of its payload
 * is buffered. Each message received is answered by an unsolicited pong, so the inspector's
 * Nagle never waits for the relay's delayed ACK (measured ~44 ms on 1 in 3 cells without it).
 * Only what a CDP session needs: text, ping, close.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** The largest HTTP response head accepted during the handshake. */
const MAX_HEAD = 16_384;

/** The two halves of a byte stream connection. */
export interface ByteDuplex {
  readable: ReadableStream<Uint8Array>;
  write(bytes: Uint8Array): Promise<void>;
  close(): void;
}

/** Raised (as the `closed` reason) when the peer sends a message over the cap. */
export class MessageTooLargeError extends Error {
  readonly bytes: number;
  constructor(bytes: number, max: number) {
    super(`the peer sent a message of ${bytes} bytes; the limit is ${max}`);
    this.name = "MessageTooLargeError";
    this.bytes = bytes;
  }
}

/** One client connection; `onMessage` gets each complete text message. */
export class CdpWebSocket {
  readonly #io: ByteDuplex;
  readonly #max: number;
  #writing: Promise<unknown> = Promise.resolve();
  #closed = false;
  onMessage: (text: string) => void = () => {};
  /** Resolves when the connection ends; with a MessageTooLargeError when the cap ended it. */
  readonly closed: Promise<Error | undefined>;

  private constructor(
    io: ByteDuplex,
    reader: ReadableStreamDefaultReader<Uint8Array>,
    rest: Uint8Array,
    max: number,
  ) {
    this.#io = io;
    this.#max = max;
    this.closed = this.#readLoop(reader, rest).then(() => undefined, (e: Error) => e).finally(
      () => {
        this.#closed = true;
        reader.cancel().catch(() => {});
        io.close();
      },
    );
  }

  /** Completes the handshake for `path` (e.g. `/<uuid>`) over `io`. */
  static async connect(
    io: ByteDuplex,
    path: string,
    maxMessageBytes: number,
  ): Promise<CdpWebSocket> {
    const key = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
    await io.write(
      encoder.encode(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n` +
          `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      ),
    );
    const reader = io.readable.getReader();
    let buf = new Uint8Array(0);
    for (;;) {
      const end = indexOfHeaderEnd(buf);
      if (end >= 0) {
        const head = decoder.decode(buf.subarray(0, end));
        if (!/^HTTP\/1\.1 101/.test(head)) {
          reader.cancel().catch(() => {});
          throw new Error(`WebSocket handshake failed: ${head.split("\r\n")[0]}`);
        }
        return new CdpWebSocket(io, reader, buf.slice(end + 4), maxMessageBytes);
      }
      if (buf.length > MAX_HEAD) throw new Error("WebSocket handshake: response head too long");
      const { value, done } = await reader.read();
      if (done) throw new Error("WebSocket handshake: connection closed");
      const next = new Uint8Array(buf.length + value.length);
      next.set(buf), next.set(value, buf.length);
      buf = next;
    }
  }

  /** True until the connection ends. */
  get open(): boolean {
    return !this.#closed;
  }

  /** Sends one text message as a single masked frame. */
  send(text: string): void {
    this.#write(1, encoder.encode(text));
  }

  /** Sends a close frame and ends the connection. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#write(8, new Uint8Array(0));
    this.#writing.finally(() => this.#io.close());
  }

  #write(opcode: number, payload: Uint8Array): void {
    const frame = encodeFrame(opcode, payload);
    this.#writing = this.#writing.then(() => this.#io.write(frame)).catch(() => {});
  }

  async #readLoop(
    reader: ReadableStreamDefaultReader<Uint8Array>,
    first: Uint8Array,
  ): Promise<void> {
    const frames = new FrameReader(this.#max);
    let chunk: Uint8Array = first;
    for (;;) {
      for (const f of frames.push(chunk)) {
        if (f.opcode === 8) return;
        if (f.opcode === 9) this.#write(10, f.payload);
        if (f.opcode === 1) {
          this.#write(10, new Uint8Array(0)); // carries the relay's ACK at once (see the top)
          this.onMessage(decoder.decode(f.payload));
        }
      }
      const { value, done } = await reader.read();
      if (done) return;
      chunk = value;
    }
  }
}

type Frame = { opcode: number; payload: Uint8Array };

/**
 * Incremental frame decoder: fills a header of at most 14 bytes, then a payload buffer of the
 * declared length; fragments of a message are joined once, at its last frame.
 */
class FrameReader {
  readonly #max: number;
  #head = new Uint8Array(14);
  #headLen = 0;
  #payload: Uint8Array | undefined;
  #got = 0;
  #fin = false;
  #opcode = 0;
  #mask: Uint8Array | undefined;
  #parts: Uint8Array[] = [];
  #partsLen = 0;
  #messageOpcode = 0;

  constructor(max: number) {
    this.#max = max;
  }

  /** Consumes a chunk; returns the frames it completed (continuations joined). */
  push(chunk: Uint8Array): Frame[] {
    const out: Frame[] = [];
    let off = 0;
    while (off < chunk.length) {
      if (!this.#payload) {
        const need = this.#headLen < 2 ? 2 : headerLength(this.#head);
        const n = Math.min(need - this.#headLen, chunk.length - off);
        this.#head.set(chunk.subarray(off, off + n), this.#headLen);
        this.#headLen += n;
        off += n;
        if (this.#headLen < 2 || this.#headLen < headerLength(this.#head)) continue;
        this.#startPayload();
        if (this.#payload!.length > 0) continue;
      } else {
        const n = Math.min(this.#payload.length - this.#got, chunk.length - off);
        this.#payload.set(chunk.subarray(off, off + n), this.#got);
        this.#got += n;
        off += n;
        if (this.#got < this.#payload.length) continue;
      }
      const f = this.#endFrame();
      if (f) out.push(f);
    }
    return out;
  }

  #startPayload(): void {
    const h = this.#head;
    this.#fin = (h[0]! & 0x80) !== 0;
    this.#opcode = h[0]! & 0x0f;
    const masked = (h[1]! & 0x80) !== 0;
    let len = h[1]! & 0x7f;
    let at = 2;
    const view = new DataView(h.buffer);
    if (len === 126) len = view.getUint16(2), at = 4;
    else if (len === 127) len = Number(view.getBigUint64(2)), at = 10;
    const total = (this.#opcode === 0 ? this.#partsLen : 0) + len;
    if (total > this.#max) throw new MessageTooLargeError(total, this.#max);
    this.#mask = masked ? h.slice(at, at + 4) : undefined;
    this.#payload = new Uint8Array(len);
    this.#got = 0;
  }

  #endFrame(): Frame | undefined {
    let payload = this.#payload!;
    const mask = this.#mask;
    if (mask) { for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i & 3]!; }
    this.#payload = undefined;
    this.#headLen = 0;
    const opcode = this.#opcode;
    if (opcode >= 8) return { opcode, payload }; // control frames are never fragmented
    if (opcode !== 0) this.#messageOpcode = opcode;
    if (!this.#fin || this.#parts.length > 0) {
      this.#parts.push(payload);
      this.#partsLen += payload.length;
      if (!this.#fin) return undefined;
      payload = new Uint8Array(this.#partsLen);
      let off = 0;
      for (const p of this.#parts) payload.set(p, off), off += p.length;
      this.#parts = [];
      this.#partsLen = 0;
    }
    return { opcode: this.#messageOpcode, payload };
  }
}

/** Bytes of a frame header given its first two bytes. */
function headerLength(h: Uint8Array): number {
  const len = h[1]! & 0x7f;
  return 2 + (len === 126 ? 2 : len === 127 ? 8 : 0) + ((h[1]! & 0x80) !== 0 ? 4 : 0);
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

function indexOfHeaderEnd(buf: Uint8Array): number {
  for (let i = 0; i + 3 < buf.length; i++) {
    if (buf[i] === 13 && buf[i + 1] === 10 && buf[i + 2] === 13 && buf[i + 3] === 10) return i;
  }
  return -1;
}
