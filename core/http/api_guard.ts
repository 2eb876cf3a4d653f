/**
 * Who may use the daemon's HTTP API, checked before any route runs. `/health` and `/api/health`
 * are always answered (probes). Everything else needs, in this order:
 * - a `Host` the daemon answers to (a loopback name, an IP literal, the bound name or one of
 *   `API_ALLOWED_HOSTS`), unless the request carries the bearer token: this stops DNS
 *   rebinding, where a page on `evil.example` resolves its name to 127.0.0.1 and reads the API;
 * - for a state-changing method, an `Origin` (when the browser sends one) equal to the API's own
 *   origin: a page elsewhere cannot make a browser POST here (CSRF; a cross-origin `text/plain`
 *   POST needs no preflight, so only this check stops it). The API sends no CORS headers;
 * - when a token is configured (`API_TOKEN`, or generated when binding beyond loopback; see
 *   api_token.ts), `Authorization: Bearer <token>` or the console's session cookie (HttpOnly,
 *   SameSite=Strict; a state change with it must also carry a same-origin `Origin`).
 */

/** What the guard enforces. */
export interface GuardPolicy {
  /** The bearer token; undefined = no authentication (only when bound to loopback). */
  token?: string | undefined;
  /** The hostname the server is bound to (allowed as a Host when it is a name). */
  bindHostname: string;
  /** Extra hostnames allowed in `Host` (lower case); `*` allows any. */
  allowedHosts: readonly string[];
}

/** The console's session cookie (HttpOnly, SameSite=Strict; set by the console's login). */
export const SESSION_COOKIE = "autoliza_token";

/** Paths answered without any check (container and platform probes). */
export const OPEN_PATHS: ReadonlySet<string> = new Set(["/health", "/api/health"]);

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** The console's sign-in page and its assets need no token (Host and Origin are still checked). */
const LOGIN_PATHS: ReadonlySet<string> = new Set([
  "/console/login",
  "/console/app.css",
  "/console/app.js",
]);

/** Returns the refusal for `req`, or undefined when it may go on to its route. */
export function guardRequest(req: Request, policy: GuardPolicy): Response | undefined {
  const url = new URL(req.url);
  if (OPEN_PATHS.has(url.pathname)) return undefined;
  const bearer = bearerToken(req);
  const bearerOk = policy.token !== undefined && bearer !== undefined &&
    sameSecret(bearer, policy.token);
  const host = req.headers.get("host");
  if (!bearerOk && host !== null && !hostAllowed(host, policy)) {
    return refuse(
      403,
      `Host "${host}" is not one this API answers to: add its name to API_ALLOWED_HOSTS`,
    );
  }
  if (!SAFE_METHODS.has(req.method)) {
    const origin = req.headers.get("origin");
    if (origin !== null && !sameOrigin(origin, host ?? url.host)) {
      return refuse(403, `cross-origin ${req.method} from ${origin} refused`);
    }
  }
  if (policy.token === undefined || bearerOk || LOGIN_PATHS.has(url.pathname)) return undefined;
  const cookie = cookieValue(req, SESSION_COOKIE);
  if (bearer === undefined && cookie !== undefined && sameSecret(cookie, policy.token)) {
    // A browser attaches the cookie by itself, so a state change must prove where it came from.
    if (SAFE_METHODS.has(req.method) || req.headers.has("origin")) return undefined;
    return refuse(403, `${req.method} with the session cookie needs an Origin header`);
  }
  if (url.pathname.startsWith("/console") && SAFE_METHODS.has(req.method) && bearer === undefined) {
    // A person in a browser: the console's sign-in page takes the token once.
    return new Response(null, { status: 303, headers: { location: "/console/login" } });
  }
  return refuse(
    401,
    bearer === undefined && cookie === undefined
      ? "this API needs a token: send Authorization: Bearer <API_TOKEN>"
      : "wrong API token",
    { "www-authenticate": 'Bearer realm="autoliza"' },
  );
}

/** True when `hostname` (no port) is loopback: `localhost`, `*.localhost`, 127/8 or ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, "");
  return h === "localhost" || h.endsWith(".localhost") || h === "::1" ||
    /^127(\.\d{1,3}){3}$/.test(h);
}

function hostAllowed(hostHeader: string, policy: GuardPolicy): boolean {
  const name = hostname(hostHeader);
  if (name === undefined) return false;
  if (isLoopbackHost(name) || isIpLiteral(name)) return true;
  if (name === policy.bindHostname.toLowerCase()) return true;
  return policy.allowedHosts.includes("*") || policy.allowedHosts.includes(name);
}

/** The host name of a `Host` header value, lower case and without the port. */
function hostname(hostHeader: string): string | undefined {
  try {
    return new URL(`http://${hostHeader}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

function isIpLiteral(name: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(name) || name.startsWith("[");
}

function sameOrigin(origin: string, host: string): boolean {
  try {
    const o = new URL(origin);
    return (o.protocol === "http:" || o.protocol === "https:") &&
      o.host.toLowerCase() === new URL(`http://${host}`).host.toLowerCase();
  } catch {
    return false; // "null" and other opaque origins
  }
}

function bearerToken(req: Request): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.get("authorization") ?? "");
  return m?.[1];
}

function cookieValue(req: Request, name: string): string | undefined {
  for (const part of (req.headers.get("cookie") ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return undefined;
}

/** Compares two secrets in time independent of where they differ. */
export function sameSecret(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  if (x.length !== y.length) return false;
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!;
  return diff === 0;
}

function refuse(status: number, error: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ error }), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}
