/**
 * Inside the kernel: how a cell's value is shown. `display` is the REPL rendering (`"foo"`,
 * `{ foo: "bar" }`, `[ 2, 4, 6 ]`, `[Function: f]`), capped in length; `jsonValue` is the
 * structured value when it is plain JSON data under a size cap (else absent).
 */
import { inspect } from "./output.ts";

const DISPLAY_LIMIT = 20_000;

/** The REPL display string of a value. */
export function display(v: unknown): string {
  let s: string;
  try {
    s = typeof v === "string" ? quote(v) : inspect(v);
  } catch (e) {
    s = `[uninspectable: ${(e as Error)?.message ?? e}]`;
  }
  if (s.length <= DISPLAY_LIMIT) return s;
  return s.slice(0, DISPLAY_LIMIT) +
    `… [display truncated: ${s.length - DISPLAY_LIMIT} more characters]`;
}

function quote(s: string): string {
  const shown = s.length > DISPLAY_LIMIT ? s.slice(0, DISPLAY_LIMIT) : s;
  return JSON.stringify(shown) +
    (shown === s ? "" : `… [${s.length - shown.length} more characters]`);
}

/** The value as JSON text when it is plain data and at most `cap` characters, else undefined. */
export function jsonValue(v: unknown, cap: number): string | undefined {
  if (v === undefined || !isPlainData(v, { budget: 100_000 })) return undefined;
  try {
    const text = JSON.stringify(v);
    return text !== undefined && text.length <= cap ? text : undefined;
  } catch {
    return undefined;
  }
}

/** True for JSON-shaped data: primitives, arrays and plain objects of them, no cycles. */
function isPlainData(v: unknown, state: { budget: number }, seen = new Set<object>()): boolean {
  if (--state.budget < 0) return false;
  if (v === null || typeof v === "string" || typeof v === "boolean") return true;
  if (typeof v === "number") return Number.isFinite(v);
  if (typeof v !== "object") return false;
  if (seen.has(v)) return false;
  const proto = Object.getPrototypeOf(v);
  if (Array.isArray(v)) {
    if (proto !== Array.prototype) return false;
    seen.add(v);
    for (let i = 0; i < v.length; i++) if (!isPlainData(v[i], state, seen)) return false;
  } else {
    if (proto !== Object.prototype && proto !== null) return false;
    seen.add(v);
    for (const k of Object.keys(v)) {
      if (!isPlainData((v as Record<string, unknown>)[k], state, seen)) return false;
    }
  }
  seen.delete(v);
  return true;
}
