/**
 * Definitions to replay when a session is loaded: from each successful cell, the top-level
 * imports, function and class declarations, and `const f = () => ...` function bindings, cut
 * out of the cell by source range. Only definitions are replayed, never whole cells, so loading
 * a session does not repeat a cell's side effects (tool calls, writes); data comes back from
 * the checkpoint instead.
 */
import { transform } from "sucrase";
import { parse } from "acorn";
import type { Node } from "acorn";

/** The replayable definition code of `cells`, in order; cells that do not parse are skipped. */
export function extractDefinitions(cells: readonly { code: string; ok: boolean }[]): string[] {
  const out: string[] = [];
  for (const cell of cells) {
    if (!cell.ok) continue;
    let js: string;
    let ast: Node & { body: Node[] };
    try {
      js = transform(cell.code, { transforms: ["typescript"], keepUnusedImports: true }).code;
      ast = parse(js, {
        ecmaVersion: "latest",
        sourceType: "module",
        allowAwaitOutsideFunction: true,
        allowReturnOutsideFunction: true,
      }) as Node & { body: Node[] };
    } catch {
      continue;
    }
    const parts = ast.body.filter(isDefinition).map((n) => js.slice(n.start, n.end));
    if (parts.length) out.push(parts.join("\n"));
  }
  return out;
}

function isDefinition(node: Node): boolean {
  const n = node as Node & Record<string, unknown>;
  if (n.type === "ExportNamedDeclaration" && n.declaration) {
    return isDefinition(n.declaration as Node);
  }
  if (["ImportDeclaration", "FunctionDeclaration", "ClassDeclaration"].includes(n.type)) {
    return true;
  }
  if (n.type !== "VariableDeclaration") return false;
  const decls = n.declarations as { init?: Node | null }[];
  return decls.length > 0 &&
    decls.every((d) =>
      !!d.init &&
      ["ArrowFunctionExpression", "FunctionExpression", "ClassExpression"].includes(d.init.type)
    );
}
