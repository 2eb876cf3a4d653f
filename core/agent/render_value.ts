/**
 * Bounded text renderings of kernel values: what the model sees instead of the data itself.
 * `renderValue` caps a JSON-ish rendering; `describeValue` gives the shape of big data (type,
 * size, keys, a sample) so the model can decide what to compute next without reading it all.
 */

/** A JSON-ish rendering of `value`, cut to `maxChars` with a note of how much was cut. */
export function renderValue(value: unknown, maxChars = 2_000): string {
  return capText(rawText(value), maxChars);
}

/** Cuts `text` to `maxChars`, saying how many characters were left out. */
export function capText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const cut = text.length - maxChars;
  return `${text.slice(0, maxChars)}\n… [${cut} more characters cut; keep big data in variables]`;
}

/** The type name shown by list_variables: `string`, `Array(100)`, `Map(3)`, `object`, ... */
export function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `Array(${value.length})`;
  if (value instanceof Map) return `Map(${value.size})`;
  if (value instanceof Set) return `Set(${value.size})`;
  if (value instanceof Date) return "Date";
  if (typeof value === "function") return "function";
  if (typeof value === "object") return value.constructor?.name ?? "object";
  return typeof value;
}

/** A one-screen description of a value's shape: type, size, keys and a short sample. */
export function describeValue(value: unknown, sampleChars = 300): string {
  const type = typeName(value);
  if (typeof value === "string") {
    return `string of ${value.length} characters: ${JSON.stringify(capText(value, sampleChars))}`;
  }
  if (Array.isArray(value)) {
    const first = value[0];
    const keys = first && typeof first === "object" && !Array.isArray(first)
      ? ` of objects with keys ${Object.keys(first).slice(0, 12).join(", ")}`
      : "";
    return `${type}${keys}; first item: ${renderValue(first, sampleChars)}`;
  }
  if (value && typeof value === "object" && !(value instanceof Date)) {
    const keys = Object.keys(value);
    return `${type} with ${keys.length} key(s) ${keys.slice(0, 20).join(", ")}; ` +
      `sample: ${renderValue(value, sampleChars)}`;
  }
  return `${type}: ${renderValue(value, sampleChars)}`;
}

/** Size of a value's JSON rendering in characters (0 when it has none). */
export function jsonSize(value: unknown): number {
  try {
    return JSON.stringify(value)?.length ?? 0;
  } catch {
    return 0;
  }
}

function rawText(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "string") return value;
  if (typeof value === "function") return `[function ${value.name || "anonymous"}]`;
  if (typeof value === "bigint") return `${value}n`;
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (value instanceof Map) return rawText(Object.fromEntries(value));
  if (value instanceof Set) return rawText([...value]);
  try {
    return JSON.stringify(value, null, 1)?.replace(/\n\s*/g, " ") ?? String(value);
  } catch {
    return String(value);
  }
}
