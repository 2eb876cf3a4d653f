/**
 * One HTTP/1.1 request written byte for byte over TCP, for tests that need headers `fetch` will
 * not send as given (`Host` for DNS rebinding, a browser's `Origin`) or partial requests.
 */

/** A parsed answer. */
export interface RawResponse {
  status: number;
  headers: Headers;
  body: string;
}

/** Sends `method path` with `headers` (and `Connection: close`) and reads the answer to the end. */
export async function rawRequest(
  addr: { hostname: string; port: number },
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body = "",
): Promise<RawResponse> {
  const conn = await Deno.connect(addr);
  try {
    const all: Record<string, string> = {
      host: `${addr.hostname}:${addr.port}`,
      ...headers,
      connection: "close",
      ...(body || method === "POST"
        ? { "content-length": String(new TextEncoder().encode(body).length) }
        : {}),
    };
    const head = `${method} ${path} HTTP/1.1\r\n` +
      Object.entries(all).map(([k, v]) => `${k}: ${v}\r\n`).join("") + "\r\n";
    await writeAll(conn, new TextEncoder().encode(head + body));
    return parse(await readAll(conn));
  } finally {
    try {
      conn.close();
    } catch {
      // closed by the server
    }
  }
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let off = 0;
  while (off < bytes.length) off += await conn.write(bytes.subarray(off));
}

async function readAll(conn: Deno.Conn): Promise<Uint8Array> {
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  const buf = new Uint8Array(16 * 1024);
  for (;;) {
    const n = await conn.read(buf).catch(() => null);
    if (n === null) break;
    chunks.push(buf.slice(0, n));
  }
  return new Uint8Array(await new Blob(chunks).arrayBuffer());
}

const latin1 = new TextDecoder("latin1");
const utf8 = new TextDecoder();

function parse(bytes: Uint8Array): RawResponse {
  // latin1 maps each byte to one character, so string offsets are byte offsets.
  const text = latin1.decode(bytes);
  const end = text.indexOf("\r\n\r\n");
  if (end < 0) throw new Error(`no complete HTTP answer: ${JSON.stringify(text.slice(0, 200))}`);
  const [statusLine, ...lines] = text.slice(0, end).split("\r\n");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? "")?.[1]);
  const headers = new Headers();
  for (const line of lines) {
    const i = line.indexOf(":");
    if (i > 0) headers.append(line.slice(0, i).trim(), line.slice(i + 1).trim());
  }
  let body = bytes.subarray(end + 4);
  if (headers.get("transfer-encoding")?.includes("chunked")) body = unchunk(body);
  return { status, headers, body: utf8.decode(body) };
}

function unchunk(body: Uint8Array): Uint8Array {
  const text = latin1.decode(body);
  const parts: Uint8Array[] = [];
  let at = 0;
  for (;;) {
    const i = text.indexOf("\r\n", at);
    const size = parseInt(text.slice(at, i), 16);
    if (!size) break;
    parts.push(body.subarray(i + 2, i + 2 + size));
    at = i + 2 + size + 2;
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
