/**
 * Where `make_api_post` may send (issue 14.6): an allow-list of exact `host:port` pairs, https
 * unless an entry says `http://` explicitly, and never the daemon's own API. Entries:
 * `api.example.com` (https, port 443), `api.example.com:8443` (https), `http://hooks.lan:8080`
 * (plain http allowed for that host and port only).
 */

/** One allowed destination. */
export interface AllowEntry {
  scheme: "https" | "http";
  host: string;
  port: number;
}

/** The daemon's own address (`http.hostname`, `http.port`). */
export interface SelfAddress {
  hostname: string;
  port: number;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[?::1\]?|0\.0\.0\.0|\[?::\]?)$/i;

/** Parses API_POST_ALLOWED_HOSTS entries; throws naming a bad entry. */
export function parseAllowList(entries: readonly string[]): AllowEntry[] {
  return entries.map((raw) => raw.trim()).filter(Boolean).map((entry) => {
    const withScheme = /^[a-z]+:\/\//i.test(entry) ? entry : `https://${entry}`;
    let u: URL;
    try {
      u = new URL(withScheme);
    } catch {
      throw new Error(`make_api_post allow-list entry "${entry}" is not a host, host:port or URL`);
    }
    if (u.protocol !== "https:" && u.protocol !== "http:") {
      throw new Error(`make_api_post allow-list entry "${entry}": only https:// or http://`);
    }
    const scheme = u.protocol === "http:" ? "http" : "https";
    return { scheme, host: u.hostname.toLowerCase(), port: Number(u.port || defaultPort(scheme)) };
  });
}

/** Throws unless `url` may be posted to; the message says what to change. */
export function checkPostUrl(url: string, allow: readonly AllowEntry[], self?: SelfAddress): URL {
  const u = new URL(url);
  if (u.protocol !== "https:" && u.protocol !== "http:") {
    throw new Error(`make_api_post only sends https (or listed http) requests, not ${u.protocol}`);
  }
  if (u.username || u.password) throw new Error("make_api_post refuses URLs with credentials");
  const scheme = u.protocol === "http:" ? "http" : "https";
  const host = u.hostname.toLowerCase();
  const port = Number(u.port || defaultPort(scheme));
  if (self && port === self.port && (LOOPBACK.test(host) || host === self.hostname.toLowerCase())) {
    throw new Error(`make_api_post refuses the daemon's own address (${host}:${port})`);
  }
  const match = allow.find((e) => e.host === host && e.port === port && e.scheme === scheme);
  if (!match) {
    const listed = allow.map((e) => `${e.scheme === "http" ? "http://" : ""}${e.host}:${e.port}`);
    const why = scheme === "http" && allow.some((e) => e.host === host && e.port === port)
      ? " (plain http needs an http:// entry)"
      : "";
    throw new Error(
      `"${scheme}://${host}:${port}" is not on the make_api_post allow-list${why}` +
        (listed.length ? ` (${listed.join(", ")})` : " (empty: set API_POST_ALLOWED_HOSTS)"),
    );
  }
  return u;
}

function defaultPort(scheme: "https" | "http"): number {
  return scheme === "https" ? 443 : 80;
}
