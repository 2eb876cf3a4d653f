/**
 * Definitions to replay when a session is loaded: from each successful cell, the statements
 * core/kernel/replay_definitions.ts calls definitions (functions, side-effect-free classes,
 * function bindings, imports with bindings), cut out of the cell by source range. Only those are
 * replayed, never whole cells, so loading a session does not repeat a cell's side effects (tool
 * calls, writes); data comes back from the checkpoint instead. A saved session's definitions are
 * filtered again when loaded, so a hand-edited session.json cannot slip other code in.
 */
import { transform } from "sucrase";
import { parse } from "acorn";
import type { Node } from "acorn";
import { isReplayable } from "../kernel/replay_definitions.ts";

/** The replayable definition code of `cells`, in order; cells that do not parse are skipped. */
export function extractDefinitions(cells: readonly { code: string; ok: boolean }[]): string[] {
  const out: string[] = [];
  for (const cell of cells) {
    if (!cell.ok) continue;
    const defs = definitionsOnly(cell.code);
    if (defs?.code) out.push(defs.code);
  }
  return out;
}

/** The definitions in one piece of TypeScript and how many other statements were dropped. */
export function definitionsOnly(code: string): { code: string; dropped: number } | undefined {
  let js: string;
  let ast: Node & { body: Node[] };
  try {
    js = transform(code, { transforms: ["typescript"], keepUnusedImports: true }).code;
    ast = parse(js, {
      ecmaVersion: "latest",
      sourceType: "module",
      allowAwaitOutsideFunction: true,
      allowReturnOutsideFunction: true,
    }) as Node & { body: Node[] };
  } catch {
    return undefined;
  }
  const kept = ast.body.filter(isReplayable);
  return {
    code: kept.map((n) => js.slice(n.start, n.end)).join("\n"),
    dropped: ast.body.length - kept.length,
  };
}
