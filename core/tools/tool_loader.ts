/**
 * Loads every `tools/*.ts` file by dynamic import and checks its default export. A bad file is
 * reported by path (`Cannot load tool "tools/foo.ts": <reason>`) and the others still load.
 * Files starting with `_` (private helpers) and `*_test.ts` are skipped. A query string busts
 * Deno's module cache on reload; note that modules the tool itself imports are NOT re-imported.
 */
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { ToolDefinition } from "../tool.ts";

/** A tool file that loaded and passed the checks. */
export interface LoadedTool {
  name: string;
  path: string;
  definition: ToolDefinition;
}

/** A file that did not load; `message` names the file and the reason. */
export interface ToolLoadError {
  path: string;
  message: string;
}

const NAME = /^[a-z][a-z0-9_]*$/;
let generation = 0;

/** Loads all tool files in `dir`; never throws for a bad file, only for an unreadable folder. */
export async function loadToolFiles(
  dir: string,
): Promise<{ tools: LoadedTool[]; errors: ToolLoadError[] }> {
  const tools: LoadedTool[] = [];
  const errors: ToolLoadError[] = [];
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (!entry.isFile || !/\.(ts|js|mts|mjs)$/.test(entry.name)) continue;
      if (entry.name.startsWith("_") || /_test\.[mc]?[tj]s$/.test(entry.name)) continue;
      names.push(entry.name);
    }
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { tools, errors };
    throw e;
  }
  names.sort();
  generation++;
  for (const file of names) {
    const path = join(dir, file);
    const name = file.replace(/\.[mc]?[tj]s$/, "");
    try {
      if (!NAME.test(name)) {
        throw new Error(`file name must be snake_case (a-z, 0-9, _), it becomes the tool name`);
      }
      const url = `${pathToFileURL(resolve(path)).href}?v=${generation}`;
      const mod = await import(url);
      tools.push({ name, path, definition: checkDefinition(mod.default) });
    } catch (e) {
      errors.push({ path, message: `Cannot load tool "${path}": ${reason(e)}` });
    }
  }
  return { tools, errors };
}

/** Checks a default export's shape; throws with a reason naming the missing or bad part. */
export function checkDefinition(def: unknown): ToolDefinition {
  if (def === undefined) {
    throw new Error("no default export (use `export default defineTool({...})`)");
  }
  if (!def || typeof def !== "object") throw new Error("default export is not an object");
  const d = def as Record<string, unknown>;
  if (typeof d.description !== "string" || !d.description.trim()) {
    throw new Error("default export has no description");
  }
  const input = d.input as { safeParse?: unknown; _zod?: unknown } | undefined;
  if (!input || typeof input.safeParse !== "function" || !input._zod) {
    throw new Error("default export's `input` is not a zod schema");
  }
  if (typeof d.run !== "function") throw new Error("default export has no `run` function");
  if (d.timeoutMs !== undefined && !(Number.isInteger(d.timeoutMs) && Number(d.timeoutMs) > 0)) {
    throw new Error(`timeoutMs must be a positive integer, got ${JSON.stringify(d.timeoutMs)}`);
  }
  if (d.requiresApproval !== undefined && typeof d.requiresApproval !== "boolean") {
    throw new Error("requiresApproval must be a boolean");
  }
  return def as ToolDefinition;
}

function reason(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split("\n")[0] ?? msg;
}
