/**
 * The kernel's front end, run in the supervisor: strips TypeScript with sucrase (lines kept, so
 * errors point at the user's line), rewrites `namespace` blocks, turns static imports into
 * `await import()` whose bindings persist, drops `export`, and lists what the cell declares
 * (for list_variables, replay after a crash and checkpoint dirty tracking).
 */
import { transform } from "sucrase";
import { parse } from "acorn";
import { full } from "acorn-walk";
import type { Node, Pattern, Program, Statement } from "acorn";
import { rewriteNamespaces } from "./namespaces.ts";

/** A cell ready for `Runtime.evaluate` in REPL mode. */
export interface TransformedCell {
  js: string;
  /** True when the cell has no statements (nothing to run). */
  empty: boolean;
  /** Top-level names the cell declares. */
  declared: string[];
  /** Declared names that hold code (functions, classes, imports): restored by replay. */
  definitions: string[];
  /** Every identifier in the cell: the names it may read or mutate. */
  identifiers: string[];
  /** How each declared name was declared (a restore must redeclare it the same way). */
  kinds: Record<string, DeclKind>;
}

/** The declaration kinds REPL mode distinguishes on redeclaration. */
export type DeclKind = "let" | "const" | "var" | "function" | "class";

/** A cell that does not parse; `line` is 1-based in the user's cell. */
export class CellSyntaxError extends Error {
  readonly line: number;
  readonly column: number;
  constructor(message: string, line: number, column: number) {
    super(message);
    this.name = "SyntaxError";
    this.line = line;
    this.column = column;
  }
}

/**
 * Strips types and rewrites module syntax; throws {@link CellSyntaxError}. With `wrapLast`
 * (a function expression), a final expression statement `e` becomes `wrapLast(e)`, so its
 * value stays in the kernel instead of travelling back as the script's completion value.
 */
export function transformCell(source: string, wrapLast?: string): TransformedCell {
  let js: string;
  try {
    js = transform(rewriteNamespaces(source), {
      transforms: ["typescript"],
      keepUnusedImports: true,
      disableESTransforms: true,
    }).code;
  } catch (e) {
    const msg = (e as Error).message;
    const at = /\((\d+):(\d+)\)\s*$/.exec(msg);
    throw new CellSyntaxError(msg, Number(at?.[1] ?? 1), Number(at?.[2] ?? 0));
  }
  let program: Program;
  try {
    program = parse(js, {
      ecmaVersion: "latest",
      sourceType: "script",
      allowImportExportEverywhere: true,
      allowAwaitOutsideFunction: true,
      allowHashBang: true,
      locations: true,
    });
  } catch (e) {
    const err = e as Error & { loc?: { line: number; column: number } };
    throw new CellSyntaxError(err.message, err.loc?.line ?? 1, err.loc?.column ?? 0);
  }
  const declared: Decl[] = [];
  const definitions: string[] = [];
  const edits: { start: number; end: number; text: string }[] = [];
  for (const stmt of program.body) collect(js, stmt, declared, definitions, edits);
  const last = program.body[program.body.length - 1];
  if (wrapLast && last?.type === "ExpressionStatement") {
    const e = (last as unknown as { expression: Node }).expression;
    edits.push({ start: e.start, end: e.start, text: `${wrapLast}((` });
    edits.push({ start: e.end, end: e.end, text: "))" });
  }
  const identifiers = new Set<string>();
  full(program, (node: Node) => {
    if (node.type === "Identifier") identifiers.add((node as unknown as { name: string }).name);
  });
  // Apply from the end; at equal positions the later-pushed edit goes first (wrap after keep).
  const order = edits.map((e, i) => ({ e, i }));
  order.sort((a, b) => b.e.start - a.e.start || b.i - a.i);
  for (const { e } of order) {
    js = js.slice(0, e.start) + e.text + js.slice(e.end);
  }
  return {
    js,
    empty: program.body.length === 0,
    declared: declared.map((d) => d.name),
    definitions,
    identifiers: [...identifiers],
    kinds: Object.fromEntries(declared.map((d) => [d.name, d.kind])),
  };
}

type Edit = { start: number; end: number; text: string };
type Decl = { name: string; kind: DeclKind };

function collect(
  js: string,
  stmt: Statement | Node,
  declared: Decl[],
  defs: string[],
  edits: Edit[],
) {
  switch (stmt.type) {
    case "ImportDeclaration": {
      const s = stmt as unknown as ImportNode;
      const spec = JSON.stringify(s.source.value);
      const attrs = s.attributes?.length
        ? `, { with: { ${
          s.attributes.map((a) => `${keyOf(a.key)}: ${JSON.stringify(a.value.value)}`).join(", ")
        } } }`
        : "";
      const load = `await import(${spec}${attrs})`;
      const parts: string[] = [];
      let ns: string | undefined;
      for (const sp of s.specifiers) {
        declared.push({ name: sp.local.name, kind: "const" });
        defs.push(sp.local.name);
        if (sp.type === "ImportNamespaceSpecifier") ns = sp.local.name;
        else if (sp.type === "ImportDefaultSpecifier") parts.push(`default: ${sp.local.name}`);
        else parts.push(`${keyOf(sp.imported!)}: ${sp.local.name}`);
      }
      let text = `${load};`;
      if (ns && parts.length) text = `const ${ns} = ${load}, { ${parts.join(", ")} } = ${ns};`;
      else if (ns) text = `const ${ns} = ${load};`;
      else if (parts.length) text = `const { ${parts.join(", ")} } = ${load};`;
      edits.push({ start: s.start, end: s.end, text: keepLines(js.slice(s.start, s.end), text) });
      return;
    }
    case "ExportNamedDeclaration":
    case "ExportDefaultDeclaration": {
      const s = stmt as unknown as { start: number; end: number; declaration?: Node | null };
      if (s.declaration) {
        edits.push({
          start: s.start,
          end: s.declaration.start,
          text: blank(js.slice(s.start, s.declaration.start)),
        });
        collect(js, s.declaration, declared, defs, edits);
      } else {
        edits.push({ start: s.start, end: s.end, text: blank(js.slice(s.start, s.end)) });
      }
      return;
    }
    case "ExportAllDeclaration": {
      edits.push({ start: stmt.start, end: stmt.end, text: blank(js.slice(stmt.start, stmt.end)) });
      return;
    }
    case "FunctionDeclaration":
    case "ClassDeclaration": {
      const id = (stmt as unknown as { id?: { name: string } | null }).id;
      if (id) {
        declared.push({
          name: id.name,
          kind: stmt.type === "ClassDeclaration" ? "class" : "function",
        });
        defs.push(id.name);
      }
      return;
    }
    case "VariableDeclaration": {
      const decls = (stmt as unknown as { declarations: { id: Pattern; init?: Node | null }[] })
        .declarations;
      for (const d of decls) {
        const names = patternNames(d.id);
        const kind = (stmt as unknown as { kind: DeclKind }).kind;
        for (const name of names) declared.push({ name, kind });
        const t = d.init?.type;
        // `var E;` without a value is how enums and namespaces compile: code, not data.
        if (!d.init && kind === "var") defs.push(...names);
        else if (
          t === "FunctionExpression" || t === "ArrowFunctionExpression" ||
          t === "ClassExpression" || isAwaitImport(d.init)
        ) {
          defs.push(...names);
        }
      }
    }
  }
}

/** `await import("x")`: a module namespace, which only replay can bring back. */
function isAwaitImport(n: Node | null | undefined): boolean {
  const a = n as unknown as { type: string; argument?: { type: string } } | null | undefined;
  return a?.type === "AwaitExpression" && a.argument?.type === "ImportExpression";
}

type Named = { type: string; name?: string; value?: string };
type ImportNode = {
  start: number;
  end: number;
  source: { value: string };
  attributes?: { key: Named; value: { value: string } }[];
  specifiers: { type: string; local: { name: string }; imported?: Named }[];
};

function keyOf(n: Named): string {
  return n.type === "Identifier" ? n.name! : JSON.stringify(n.value);
}

/** Names bound by a destructuring pattern. */
export function patternNames(p: Pattern | Node | null | undefined): string[] {
  if (!p) return [];
  const n = p as unknown as Record<string, unknown> & { type: string };
  switch (n.type) {
    case "Identifier":
      return [n.name as string];
    case "ObjectPattern":
      return (n.properties as Node[]).flatMap((pr) =>
        patternNames(
          (pr as unknown as { value?: Pattern; argument?: Pattern }).value ??
            (pr as unknown as { argument: Pattern }).argument,
        )
      );
    case "ArrayPattern":
      return (n.elements as (Pattern | null)[]).flatMap(patternNames);
    case "RestElement":
      return patternNames(n.argument as Pattern);
    case "AssignmentPattern":
      return patternNames(n.left as Pattern);
  }
  return [];
}

/** Replacement text padded with the newlines of the original, so later lines keep numbers. */
function keepLines(original: string, text: string): string {
  return text + "\n".repeat(original.split("\n").length - 1);
}

function blank(original: string): string {
  return original.replace(/[^\n]/g, " ");
}
