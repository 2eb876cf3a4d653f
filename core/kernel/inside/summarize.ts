/**
 * Inside the kernel: what `list_variables()` and `inspect_variable(name)` say about a value.
 * Summaries are bounded (about 1,000 tokens) whatever the value: 10-million-item arrays,
 * deep objects, Maps and Sets, typed arrays, class instances and table-like data (rows of
 * objects or an arquero table: shape, columns, first rows, numeric summaries).
 */
import { inspect } from "./output.ts";

const MAX_CHARS = 4_000;
const SAMPLE = 100_000;

/** A short type name: `number`, `Array`, `Map`, `Float64Array`, `class Foo`, `Foo` (instance). */
export function typeName(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "function") {
    return /^class[\s{]/.test(Function.prototype.toString.call(v)) ? "class" : "function";
  }
  if (typeof v !== "object") return typeof v;
  const ctor = (Object.getPrototypeOf(v) as { constructor?: { name?: string } } | null)
    ?.constructor;
  return ctor?.name || "Object";
}

/** One line about the size or shape of a value, for list_variables. */
export function shape(v: unknown): string {
  if (typeof v === "string") return `${v.length} chars`;
  if (typeof v === "function") return `${v.name || "anonymous"}(${v.length} params)`;
  if (Array.isArray(v)) {
    const table = tableColumns(v);
    return table ? `${v.length} rows x ${table.length} columns` : `${v.length} items`;
  }
  if (ArrayBuffer.isView(v)) {
    return `${
      (v as unknown as { length?: number }).length ?? v.byteLength
    } items, ${v.byteLength} bytes`;
  }
  if (v instanceof Map || v instanceof Set) return `${v.size} entries`;
  if (isArqueroTable(v)) return `${v.numRows()} rows x ${v.numCols()} columns`;
  if (v && typeof v === "object") return `${Object.keys(v).length} keys`;
  return clip(inspect(v), 80);
}

/** A bounded multi-line description of a value, for inspect_variable. */
export function summarize(name: string, v: unknown): string {
  const lines = [`${name}: ${typeName(v)} (${shape(v)})`];
  if (isArqueroTable(v)) {
    lines.push(`columns: ${v.columnNames().join(", ")}`);
    const rows = v.objects({ limit: 5 }) as Record<string, unknown>[];
    lines.push("first rows:", ...rows.map((r) => "  " + clip(inspect(r, 1), 300)));
    for (const c of v.columnNames()) {
      const vals = v.array(c) as ArrayLike<unknown>;
      lines.push(
        columnLine(c, Array.from({ length: Math.min(vals.length, SAMPLE) }, (_, i) => vals[i])),
      );
    }
  } else if (Array.isArray(v)) {
    const cols = tableColumns(v);
    if (cols) {
      lines.push(`columns: ${cols.join(", ")}`);
      lines.push("first rows:", ...v.slice(0, 5).map((r) => "  " + clip(inspect(r, 1), 300)));
      const sample = v.length > SAMPLE ? v.slice(0, SAMPLE) : v;
      for (const c of cols) {
        lines.push(columnLine(c, sample.map((r) => (r as Record<string, unknown>)[c])));
      }
    } else {
      lines.push(`element types: ${elementTypes(v)}`);
      const nums = numericStats(v.length > SAMPLE ? v.slice(0, SAMPLE) : v);
      if (nums) lines.push(nums + (v.length > SAMPLE ? ` (first ${SAMPLE})` : ""));
      lines.push(`first items: ${clip(inspect(v.slice(0, 10), 2), 1_200)}`);
    }
  } else if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    const arr = v as unknown as ArrayLike<number | bigint>;
    const n = Math.min(arr.length, 10_000_000);
    if (typeof arr[0] !== "bigint") lines.push(numericStats(arr as ArrayLike<number>, n) ?? "");
    lines.push(
      `first items: ${
        clip(inspect(Array.from({ length: Math.min(10, arr.length) }, (_, i) => arr[i])), 800)
      }`,
    );
  } else if (v instanceof Map) {
    lines.push(`first entries: ${clip(inspect(new Map([...take(v.entries(), 10)]), 2), 1_500)}`);
  } else if (v instanceof Set) {
    lines.push(`first items: ${clip(inspect(new Set(take(v.values(), 10)), 2), 1_500)}`);
  } else if (typeof v === "function") {
    lines.push(clip(Function.prototype.toString.call(v), 1_500));
  } else if (v && typeof v === "object") {
    const keys = Object.keys(v);
    lines.push(`keys: ${clip(keys.slice(0, 50).join(", "), 800)}${keys.length > 50 ? ", …" : ""}`);
    lines.push(clip(inspect(v, 2), 2_500));
  } else {
    lines.push(clip(typeof v === "string" ? JSON.stringify(v) : inspect(v), 2_500));
  }
  return clip(lines.filter(Boolean).join("\n"), MAX_CHARS);
}

type ArqueroLike = {
  numRows(): number;
  numCols(): number;
  columnNames(): string[];
  objects(o: { limit: number }): unknown[];
  array(c: string): ArrayLike<unknown>;
};

function isArqueroTable(v: unknown): v is ArqueroLike {
  const t = v as Partial<ArqueroLike> | null;
  return !!t && typeof t === "object" && typeof t.numRows === "function" &&
    typeof t.columnNames === "function" && typeof t.objects === "function";
}

/** Column names when the array is a non-empty list of plain objects with the same keys. */
function tableColumns(v: unknown[]): string[] | undefined {
  const first = v[0];
  if (!first || typeof first !== "object" || Array.isArray(first)) return undefined;
  const cols = Object.keys(first);
  if (cols.length === 0) return undefined;
  for (let i = 1; i < Math.min(v.length, 50); i++) {
    const r = v[i];
    if (!r || typeof r !== "object" || Object.keys(r).length !== cols.length) return undefined;
  }
  return cols.slice(0, 40);
}

function columnLine(name: string, vals: unknown[]): string {
  const types = elementTypes(vals);
  const stats = numericStats(vals);
  return `  ${name}: ${types}${stats ? "; " + stats : ""}`;
}

function elementTypes(vals: unknown[]): string {
  const counts = new Map<string, number>();
  const n = Math.min(vals.length, SAMPLE);
  for (let i = 0; i < n; i++) {
    const t = typeName(vals[i]);
    counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  return [...counts].slice(0, 6).map(([t, c]) => `${t} x${c}`).join(", ") || "none";
}

function numericStats(vals: ArrayLike<unknown>, n = vals.length): string | undefined {
  let count = 0, sum = 0, min = Infinity, max = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = vals[i];
    if (typeof x !== "number" || Number.isNaN(x)) continue;
    count++, sum += x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  if (count === 0) return undefined;
  return `numeric: n=${count} min=${min} max=${max} mean=${+(sum / count).toPrecision(6)}`;
}

function* take<T>(it: Iterator<T>, n: number): Generator<T> {
  for (let i = 0; i < n; i++) {
    const r = it.next();
    if (r.done) return;
    yield r.value;
  }
}

function clip(s: string, n: number): string {
  return s.length <= n ? s : s.slice(0, n) + `… [${s.length - n} more characters]`;
}
