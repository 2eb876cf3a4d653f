/**
 * Keeps a server's secrets (its configured tokens, see server_defs.ts) out of what reaches the
 * kernel, the model and the log: every verbatim occurrence in a string, at any depth, becomes
 * `[redacted]`. It cannot catch a secret the server encodes (base64, URL-escaped, split).
 */

/** The placeholder left where a secret was. */
export const REDACTED = "[redacted]";

/** A copy of `value` with each of `secrets` (longest first) replaced in every string. */
export function redactSecrets<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === "string") return redactText(v, secrets);
    if (!v || typeof v !== "object" || depth > 64) return v;
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[redactText(k, secrets)] = walk(x, depth + 1);
    return out;
  };
  return walk(value, 0) as T;
}

/** `text` with each secret replaced. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s && out.includes(s)) out = out.split(s).join(REDACTED);
  return out;
}
