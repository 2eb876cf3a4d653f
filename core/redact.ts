/**
 * The one redaction function for everything the product prints or serves: log records, the HTTP
 * API's JSON, `cli config`, error lines on the terminal, exported telemetry. It masks the
 * credentials inside URLs (userinfo, and query or fragment parameters named like a secret:
 * `token`, `api_key`, `sig`, `X-Amz-Credential`, ...), `Bearer`/`Basic` credentials, and every
 * literal secret registered with {@link registerSecret} (the config's API keys and tokens) wherever
 * it appears. What is masked becomes `***`; the rest of the text is kept as written.
 */

/** What a masked value is replaced with. */
export const MASK = "***";

/** Parameter names that carry a credential (matched against the lower-cased name). */
const SECRET_NAME =
  /(token|key|secret|passw(or)?d|pwd|auth|signature|credential|session|^sig$|^code$)/;
/** A URL with a scheme inside free text: up to whitespace or a quote, less trailing punctuation. */
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]*[^\s"'<>`.,:;!?)\]]/gi;
/** `user:password@` or `token@` right after the scheme. */
const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#@\s]*)@/i;
/** `name=value` pairs of a query string or fragment. */
const PARAM = /([?&#;])([^=&#;\s]+)=([^&#;\s]*)/g;
/** An HTTP credential in a header-like text. */
const AUTH_SCHEME = /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{6,}/g;

const secrets = new Set<string>();

/** Literal secrets shorter than this are not registered (they would mask ordinary words). */
export const MIN_SECRET_LENGTH = 8;

/**
 * Registers a literal secret (an API key, a token, a password) to be masked wherever it appears
 * in printed text. Values shorter than {@link MIN_SECRET_LENGTH} are ignored.
 */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= MIN_SECRET_LENGTH) secrets.add(value);
}

/** Masks the credentials of one URL (userinfo and secret-named parameters). */
export function redactUrl(url: string): string {
  const withoutUser = url.replace(USERINFO, (_m, scheme: string, info: string) => {
    const colon = info.indexOf(":");
    return `${scheme}${colon >= 0 ? `${info.slice(0, colon)}:${MASK}` : MASK}@`;
  });
  return withoutUser.replace(PARAM, (m, sep: string, name: string) => {
    let decoded = name;
    try {
      decoded = decodeURIComponent(name);
    } catch {
      // keep the raw name
    }
    return SECRET_NAME.test(decoded.toLowerCase()) ? `${sep}${name}=${MASK}` : m;
  });
}

/** Masks URLs' credentials, `Bearer` credentials and registered secrets inside free text. */
export function redactText(text: string): string {
  let out = text.replace(URL_IN_TEXT, redactUrl).replace(AUTH_SCHEME, `$1 ${MASK}`);
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.replaceAll(secret, MASK);
  }
  return out;
}

/**
 * Redacts every string inside a JSON-like value (objects, arrays, errors become their message);
 * returns a new value and leaves the input unchanged.
 */
export function redact<T>(value: T): T {
  return walk(value, 0) as T;
}

function walk(value: unknown, depth: number): unknown {
  if (typeof value === "string") return redactText(value);
  if (depth > 32 || value === null || typeof value !== "object") return value;
  if (value instanceof Error) return { name: value.name, message: redactText(value.message) };
  if (Array.isArray(value)) return value.map((v) => walk(v, depth + 1));
  if (value instanceof Date || ArrayBuffer.isView(value)) return value;
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") return walk(toJSON.call(value), depth + 1);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = walk(v, depth + 1);
  return out;
}
