/**
 * Renders a JSON Schema as TypeScript type text, with each property's description as a JSDoc
 * comment, so the model reads a tool's signature the way it reads code. Accepts the dialects
 * found in catalogues ("dict", "float", "tuple", "any"); unknown shapes render as `unknown`.
 */
import type { JsonSchema } from "./tool_spec.ts";

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** TypeScript type text for `schema`; `indent` is the current indentation level. */
export function schemaToTs(schema: unknown, indent = 0): string {
  if (schema === true || schema === undefined || schema === null) return "unknown";
  if (schema === false) return "never";
  if (typeof schema !== "object" || Array.isArray(schema)) return "unknown";
  const s = schema as JsonSchema;
  if ("const" in s) return JSON.stringify(s.const);
  if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join(" | ") || "never";
  for (const key of ["anyOf", "oneOf"] as const) {
    const list = s[key];
    if (Array.isArray(list)) return union(list.map((x) => wrap(schemaToTs(x, indent))));
  }
  if (Array.isArray(s.allOf)) return s.allOf.map((x) => wrap(schemaToTs(x, indent))).join(" & ");
  const type = s.type;
  if (Array.isArray(type)) {
    return union(type.map((t) => wrap(schemaToTs({ ...s, type: t }, indent))));
  }
  switch (type) {
    case "string":
      return "string";
    case "number":
    case "integer":
    case "float":
    case "double":
    case "long":
      return "number";
    case "boolean":
      return "boolean";
    case "null":
      return "null";
    case "array":
    case "tuple":
      return arrayType(s, indent);
    case "object":
    case "dict":
      return objectType(s, indent);
    default:
      if (s.properties) return objectType(s, indent);
      if (s.items) return arrayType(s, indent);
      return "unknown";
  }
}

function arrayType(s: JsonSchema, indent: number): string {
  if (Array.isArray(s.prefixItems)) {
    return `[${s.prefixItems.map((x) => schemaToTs(x, indent)).join(", ")}]`;
  }
  if (Array.isArray(s.items)) return `[${s.items.map((x) => schemaToTs(x, indent)).join(", ")}]`;
  const inner = schemaToTs(s.items, indent);
  return /^[\w.]+$/.test(inner) ? `${inner}[]` : `Array<${inner}>`;
}

function objectType(s: JsonSchema, indent: number): string {
  const props = (s.properties ?? {}) as Record<string, unknown>;
  const required = new Set(Array.isArray(s.required) ? s.required.map(String) : []);
  const keys = Object.keys(props);
  const extra = s.additionalProperties;
  if (keys.length === 0) {
    if (extra && typeof extra === "object") {
      return `Record<string, ${schemaToTs(extra, indent)}>`;
    }
    return "Record<string, unknown>";
  }
  const pad = "  ".repeat(indent + 1);
  const lines = ["{"];
  for (const key of keys) {
    const sub = props[key];
    const doc = propertyDoc(sub);
    if (doc) lines.push(`${pad}/** ${doc} */`);
    const name = IDENT.test(key) ? key : JSON.stringify(key);
    const opt = required.has(key) ? "" : "?";
    lines.push(`${pad}${name}${opt}: ${schemaToTs(sub, indent + 1)};`);
  }
  lines.push(`${"  ".repeat(indent)}}`);
  return lines.join("\n");
}

/** One-line doc for a property: description, bounds, default ("How many (>= 1). Default: 5."). */
function propertyDoc(sub: unknown): string {
  if (!sub || typeof sub !== "object") return "";
  const s = sub as JsonSchema;
  let text = typeof s.description === "string" ? s.description.trim() : "";
  const bounds: string[] = [];
  if (typeof s.minimum === "number" && s.minimum > Number.MIN_SAFE_INTEGER) {
    bounds.push(`>= ${s.minimum}`);
  }
  if (typeof s.maximum === "number" && s.maximum < Number.MAX_SAFE_INTEGER) {
    bounds.push(`<= ${s.maximum}`);
  }
  if (bounds.length) text = `${text.replace(/\.$/, "")} (${bounds.join(", ")})`.trim();
  if ("default" in s && s.default !== "" && s.default !== undefined) {
    if (text && !/[.!?]$/.test(text)) text += ".";
    text = `${text} Default: ${JSON.stringify(s.default)}.`.trim();
  }
  return text.replace(/\*\//g, "*\\/").replace(/\s*\n\s*/g, " ");
}

function wrap(t: string): string {
  return t.includes(" | ") || t.includes(" & ") ? `(${t})` : t;
}

function union(parts: string[]): string {
  return [...new Set(parts)].join(" | ") || "never";
}

/**
 * Replaces local `$ref`s (`#/$defs/X`, `#/definitions/X`, `#`) with the schema they point to,
 * so {@link schemaToTs} can render them inline; a reference back into itself (a recursive
 * type) becomes `{}` (rendered `unknown`) with a note, since TS text here has no named types.
 */
export function inlineRefs(root: JsonSchema): JsonSchema {
  const defs = { ...(root.$defs ?? {}), ...(root.definitions ?? {}) } as Record<string, unknown>;
  const walk = (node: unknown, active: Set<string>): unknown => {
    if (Array.isArray(node)) return node.map((x) => walk(x, active));
    if (!node || typeof node !== "object") return node;
    const n = node as JsonSchema;
    if (typeof n.$ref === "string") {
      const ref = n.$ref;
      const name = ref === "#" ? "#" : ref.replace(/^#\/(\$defs|definitions)\//, "");
      const target = ref === "#" ? root : defs[name];
      if (!target || active.has(name)) return { description: `(recursive ${name})` };
      return walk(target, new Set([...active, name]));
    }
    const out: JsonSchema = {};
    for (const [k, v] of Object.entries(n)) {
      if (k !== "$defs" && k !== "definitions") out[k] = walk(v, active);
    }
    return out;
  };
  return walk(root, new Set(["#"])) as JsonSchema;
}
