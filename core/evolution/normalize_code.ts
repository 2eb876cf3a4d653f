/**
 * Structural normal form of a cell, for finding repeated patterns: types stripped (sucrase),
 * parsed with acorn, then printed as a token sequence where comments and layout are gone, local
 * names become positional placeholders ($0, $1, ...) and literals become their kind. Property
 * and global names (e.g. `tools.fetch_url`, `JSON.parse`) stay: they are the workflow's shape.
 */
import { transform } from "sucrase";
import { parse } from "acorn";
import type { Node } from "acorn";

/** A cell in normal form; `literals` are the values replaced, in source order. */
export interface NormalizedCode {
  tokens: string[];
  /** The normal form as one string (hash it for exact matches). */
  key: string;
  literals: unknown[];
  /** Names read but never declared in the cell (globals and earlier cells' variables). */
  freeNames: string[];
  /** Names of the functions and methods called, in order of first call. */
  calls: string[];
}

const SKIP = new Set(["start", "end", "loc", "range", "raw", "type", "sourceType", "optional"]);

/** Normalises TypeScript or JavaScript code; returns undefined when it does not parse. */
export function normalizeCode(code: string): NormalizedCode | undefined {
  let ast: Node;
  try {
    const js = transform(code, { transforms: ["typescript"], keepUnusedImports: true }).code;
    ast = parse(js, {
      ecmaVersion: "latest",
      sourceType: "module",
      allowAwaitOutsideFunction: true,
      allowReturnOutsideFunction: true,
    });
  } catch {
    return undefined;
  }
  const declared = declaredNames(ast);
  const rename = new Map<string, string>();
  const tokens: string[] = [];
  const literals: unknown[] = [];
  const free = new Set<string>();
  const calls: string[] = [];
  const visit = (node: unknown, parentKey: string): void => {
    if (Array.isArray(node)) {
      tokens.push("[");
      for (const child of node) visit(child, parentKey);
      tokens.push("]");
      return;
    }
    if (!node || typeof node !== "object") {
      if (node !== null && node !== undefined && node !== false) tokens.push(String(node));
      return;
    }
    const n = node as Node & Record<string, unknown>;
    if (n.type === "Identifier") {
      const name = n.name as string;
      if (parentKey === "property" || parentKey === "key") tokens.push(`.${name}`);
      else if (declared.has(name)) {
        if (!rename.has(name)) rename.set(name, `$${rename.size}`);
        tokens.push(rename.get(name)!);
      } else {
        free.add(name);
        tokens.push(name);
      }
      return;
    }
    if (n.type === "Literal") {
      literals.push(n.value);
      tokens.push(`<${n.regex ? "regex" : n.value === null ? "null" : typeof n.value}>`);
      return;
    }
    if (n.type === "TemplateElement") {
      literals.push((n.value as { cooked: string }).cooked);
      tokens.push("<template>");
      return;
    }
    tokens.push(n.type);
    if (n.type === "CallExpression") {
      const callee = n.callee as Node & { property?: { name?: string }; name?: string };
      const called = callee.type === "Identifier" ? callee.name : callee.property?.name;
      if (called && !calls.includes(called)) calls.push(called);
    }
    for (const [k, v] of Object.entries(n)) {
      if (SKIP.has(k)) continue;
      if (k === "computed" || k === "shorthand" || k === "method" || k === "prefix") continue;
      if (typeof v === "object" || k === "operator" || k === "kind" || k === "async") {
        visit(v, k === "property" && n.computed ? "computed" : k);
      }
    }
  };
  visit(ast, "");
  return { tokens, key: tokens.join(" "), literals, freeNames: [...free], calls };
}

/** Every name the code declares (variables, functions, classes, parameters, catch bindings). */
function declaredNames(ast: Node): Set<string> {
  const out = new Set<string>();
  const addPattern = (p: unknown): void => {
    if (!p || typeof p !== "object") return;
    const n = p as Record<string, unknown>;
    if (n.type === "Identifier") out.add(n.name as string);
    else if (n.type === "ObjectPattern") {
      for (const prop of n.properties as Record<string, unknown>[]) {
        addPattern(prop.type === "RestElement" ? prop.argument : prop.value);
      }
    } else if (n.type === "ArrayPattern") (n.elements as unknown[]).forEach(addPattern);
    else if (n.type === "RestElement") addPattern(n.argument);
    else if (n.type === "AssignmentPattern") addPattern(n.left);
  };
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    const n = node as Record<string, unknown>;
    if (n.type === "VariableDeclarator") addPattern(n.id);
    if (typeof n.type === "string" && /Function|Class/.test(n.type) && n.id) addPattern(n.id);
    if (Array.isArray(n.params)) n.params.forEach(addPattern);
    if (n.type === "CatchClause") addPattern(n.param);
    for (const [k, v] of Object.entries(n)) if (!SKIP.has(k) && typeof v === "object") walk(v);
  };
  walk(ast);
  return out;
}

/** Jaccard similarity of two token sequences' 3-gram sets, 0..1. */
export function similarity(a: readonly string[], b: readonly string[]): number {
  const ga = grams(a);
  const gb = grams(b);
  if (ga.size === 0 && gb.size === 0) return 1;
  let common = 0;
  for (const g of ga) if (gb.has(g)) common++;
  return common / (ga.size + gb.size - common);
}

function grams(tokens: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + 3 <= tokens.length; i++) out.add(tokens.slice(i, i + 3).join(" "));
  if (tokens.length < 3) out.add(tokens.join(" "));
  return out;
}
