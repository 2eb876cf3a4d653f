/**
 * What may be replayed into a fresh kernel (after a crash, or when a saved session is loaded):
 * definitions only, cut out of a cell by source range, never the whole cell, so a replay does
 * not repeat a cell's side effects (tool calls, writes, prints). Replayed, in order:
 * - function declarations;
 * - `let`/`const`/`var` whose every value is an arrow or function expression, a class expression
 *   (as below), or `await import("literal")` (how the kernel compiles a static `import`; the
 *   imported module's own top-level code runs again, in the sandbox), or a name bound earlier in
 *   the same declaration (`const ns = await import(x), { a } = ns`);
 * - `import` declarations with bindings (a saved cell's source);
 * - class declarations whose definition runs no code: no static blocks, no computed keys, no
 *   decorators, static fields only literals, `extends` only a (dotted) name.
 * Everything else (expressions, data, bare `import "x"`) comes back from the checkpoint or not at
 * all. Also the validators for names a checkpoint index (written inside the kernel) reports.
 */
import { parse } from "acorn";
import type { Node } from "acorn";

/** Every declaration kind the kernel reports (`global`: assigned without a declaration). */
export const DECL_KINDS: ReadonlySet<string> = new Set([
  "let",
  "const",
  "var",
  "function",
  "class",
  "global",
]);

const RESERVED = new Set(
  ("break case catch class const continue debugger default delete do else enum export extends " +
    "false finally for function if import in instanceof new null return super switch this throw " +
    "true try typeof var void while with yield let static implements interface package private " +
    "protected public await arguments eval").split(" "),
);

/** True when `name` can be pasted into code as a binding (identifier grammar, not reserved). */
export function isBindingName(name: unknown): name is string {
  return typeof name === "string" && name.length <= 256 &&
    /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) && !RESERVED.has(name);
}

/** The replayable part of a transformed cell (the kernel's script-mode JS); "" when none. */
export function replayableJs(js: string): string {
  try {
    const program = parse(js, {
      ecmaVersion: "latest",
      sourceType: "script",
      allowImportExportEverywhere: true,
      allowAwaitOutsideFunction: true,
      allowHashBang: true,
    }) as Node & { body: Node[] };
    return replayableSource(js, program.body);
  } catch {
    return "";
  }
}

/** The replayable statements of a parsed program, as source text cut from `source`. */
export function replayableSource(source: string, body: readonly Node[]): string {
  return body.filter(isReplayable).map((n) => source.slice(n.start, n.end)).join("\n");
}

/** Whether one top-level statement is a definition that runs nothing when replayed. */
export function isReplayable(node: Node): boolean {
  const n = node as Node & Record<string, unknown>;
  switch (n.type) {
    case "ExportNamedDeclaration":
      return !!n.declaration && isReplayable(n.declaration as Node);
    case "FunctionDeclaration":
      return !!n.id;
    case "ClassDeclaration":
      return !!n.id && pureClass(n);
    case "ImportDeclaration":
      return (n.specifiers as unknown[]).length > 0;
    case "VariableDeclaration": {
      const decls = n.declarations as { id: Node & { name?: string }; init?: Node | null }[];
      const bound = new Set<string>();
      const ok = decls.length > 0 && decls.every((d) => {
        const fine = !!d.init && pureValue(d.init, bound);
        if (d.id.type === "Identifier") bound.add(d.id.name!);
        return fine;
      });
      return ok;
    }
  }
  return false;
}

function pureValue(init: Node, bound: Set<string>): boolean {
  const n = init as Node & Record<string, unknown>;
  if (n.type === "ArrowFunctionExpression" || n.type === "FunctionExpression") return true;
  if (n.type === "ClassExpression") return pureClass(n);
  if (n.type === "Identifier") return bound.has(n.name as string);
  if (n.type === "AwaitExpression") {
    const imp = n.argument as Node & Record<string, unknown>;
    const src = imp?.source as (Node & { value?: unknown }) | undefined;
    return imp?.type === "ImportExpression" && src?.type === "Literal" &&
      typeof src.value === "string" && (!imp.options || literalOptions(imp.options as Node));
  }
  return false;
}

/** `{ with: { type: "json" } }`: the attributes a compiled import may carry. */
function literalOptions(node: Node): boolean {
  const n = node as Node & Record<string, unknown>;
  if (n.type === "Literal") return true;
  if (n.type !== "ObjectExpression") return false;
  return (n.properties as (Node & Record<string, unknown>)[]).every((p) =>
    p.type === "Property" && !p.computed && literalOptions(p.value as Node)
  );
}

function pureClass(n: Node & Record<string, unknown>): boolean {
  if ((n.decorators as unknown[] | undefined)?.length) return false;
  if (n.superClass && !dottedName(n.superClass as Node)) return false;
  const members = (n.body as { body: (Node & Record<string, unknown>)[] }).body;
  return members.every((m) => {
    if (m.type === "StaticBlock" || m.computed) return false;
    if ((m.decorators as unknown[] | undefined)?.length) return false;
    if (m.type === "PropertyDefinition" && m.static && m.value) {
      return (m.value as Node).type === "Literal";
    }
    return true;
  });
}

function dottedName(node: Node): boolean {
  const n = node as Node & Record<string, unknown>;
  if (n.type === "Identifier") return true;
  return n.type === "MemberExpression" && !n.computed && dottedName(n.object as Node);
}
