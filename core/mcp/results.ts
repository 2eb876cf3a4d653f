/**
 * An MCP `tools/call` result as the cell's value. `structuredContent` is the value when the
 * server sends it (its `content` is then the same data as text, for older clients). Otherwise a
 * single text block is a string, and several blocks an array in which text stays a string and
 * binary data (images, audio, blob resources) becomes a handle: the bytes are written to a file
 * in the calling kernel's workspace (the cell's cwd), so the cell can read or pass them on and
 * the model's context gets `{type, mimeType, bytes, path}` instead of base64. `isError` throws,
 * and the tool error reaches the model as an observation.
 */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { ToolCallError } from "../tools/call_tool.ts";

/** What a cell gets for a binary block. */
export interface BlobHandle {
  type: "image" | "audio" | "resource";
  mimeType: string;
  bytes: number;
  /** Relative to the workspace (the cell's cwd): `await Deno.readFile(handle.path)`. */
  path?: string;
  /** The base64 data, only when there is no workspace to write to (a call outside a cell). */
  data?: string;
  uri?: string;
}

/** Where the files of one call go. */
export interface BlobTarget {
  workspaceDir?: string | undefined;
  /** The server's namespace: files land in `<workspace>/mcp/<namespace>/`. */
  namespace: string;
}

type Block = CallToolResult["content"][number];

const EXT: Record<string, string> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/gif": "gif",
  "image/webp": "webp",
  "image/svg+xml": "svg",
  "audio/wav": "wav",
  "audio/mpeg": "mp3",
  "audio/ogg": "ogg",
  "application/pdf": "pdf",
  "application/json": "json",
  "application/gzip": "gz",
  "application/zip": "zip",
  "text/plain": "txt",
};

/** Maps a result; throws {@link ToolCallError} for `isError` results. */
export async function resultValue(result: CallToolResult, target: BlobTarget): Promise<unknown> {
  if (result.isError) {
    const blocks: Block[] = result.content ?? [];
    const text = blocks.flatMap((b) => b.type === "text" ? [b.text] : []).join("\n");
    throw new ToolCallError("failed", text || "the server reported an error without a message");
  }
  if (result.structuredContent !== undefined) return result.structuredContent;
  const blocks: Block[] = result.content ?? [];
  if (blocks.length === 1 && blocks[0]!.type === "text") return blocks[0]!.text;
  const out: unknown[] = [];
  for (const b of blocks) out.push(await blockValue(b, target));
  return out;
}

/** `resources/read` contents as values: text as `{type: "resource", uri, text}`, blobs as handles. */
export async function resourceValue(
  contents: { uri: string; mimeType?: string; text?: string; blob?: string }[],
  target: BlobTarget,
): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const resource of contents) {
    out.push(await blockValue({ type: "resource", resource } as Block, target));
  }
  return out;
}

async function blockValue(b: Block, target: BlobTarget): Promise<unknown> {
  switch (b.type) {
    case "text":
      return b.text;
    case "image":
    case "audio":
      return await blob(b.type, b.mimeType, b.data, target);
    case "resource": {
      const r = b.resource;
      if ("text" in r && typeof r.text === "string") {
        return { type: "resource", uri: r.uri, mimeType: r.mimeType ?? "text/plain", text: r.text };
      }
      const data = "blob" in r && typeof r.blob === "string" ? r.blob : "";
      return await blob(
        "resource",
        r.mimeType ?? "application/octet-stream",
        data,
        target,
        r.uri,
      );
    }
    case "resource_link":
      return {
        type: "resource_link",
        uri: b.uri,
        name: b.name,
        ...(b.mimeType ? { mimeType: b.mimeType } : {}),
        ...(b.description ? { description: b.description } : {}),
      };
    default:
      return b; // a block type from a newer protocol version: passed on as it came
  }
}

let counter = 0;

async function blob(
  type: BlobHandle["type"],
  mimeType: string,
  base64: string,
  target: BlobTarget,
  uri?: string,
): Promise<BlobHandle> {
  const bytes = decodeBase64(base64);
  const handle: BlobHandle = { type, mimeType, bytes: bytes.length, ...(uri ? { uri } : {}) };
  if (!target.workspaceDir) return { ...handle, data: base64 };
  const ext = EXT[mimeType.split(";")[0]!.trim()] ?? "bin";
  const path = `mcp/${target.namespace}/${Date.now().toString(36)}-${++counter}.${ext}`;
  await Deno.mkdir(`${target.workspaceDir}/mcp/${target.namespace}`, { recursive: true });
  await Deno.writeFile(`${target.workspaceDir}/${path}`, bytes);
  return { ...handle, path };
}

function decodeBase64(text: string): Uint8Array {
  try {
    const bin = atob(text.replace(/\s+/g, ""));
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    throw new ToolCallError("failed", "the server sent binary content that is not valid base64");
  }
}
