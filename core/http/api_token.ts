/**
 * The API's bearer token. `API_TOKEN` wins. Otherwise, when the daemon binds beyond loopback, a
 * token is generated once (32 random bytes, base64url), kept in `<DATA_DIR>/api_token` with mode
 * 0600 so a restart keeps it, and printed once to stderr as a plain line (never through the
 * structured log, which may be shipped elsewhere). Bound to loopback with no `API_TOKEN`, the API
 * needs no token (any local user can use it; set `API_TOKEN` on a shared machine).
 */
import type { Logger } from "../log.ts";
import { registerSecret } from "../redact.ts";
import { isLoopbackHost } from "./api_guard.ts";
import { RuntimeError } from "../errors.ts";

/** Where the token came from. */
export type TokenSource = "env" | "file" | "generated" | "none";

/** The token in force and its source. */
export interface ApiToken {
  token?: string | undefined;
  source: TokenSource;
  /** The file it was read from or written to. */
  path?: string;
}

/** Settings of {@link resolveApiToken}. */
export interface TokenOptions {
  /** `API_TOKEN`, when set. */
  configured?: string | undefined;
  hostname: string;
  dataDir: string;
  log: Logger;
  /** Writes the one-time notice; default stderr. */
  print?: (line: string) => void;
}

/** The file name under DATA_DIR. */
export const TOKEN_FILE = "api_token";

/** Resolves the token as the file doc says; throws when a kept token cannot be read or written. */
export function resolveApiToken(o: TokenOptions): ApiToken {
  if (o.configured) return { token: o.configured, source: "env" };
  if (isLoopbackHost(o.hostname)) return { source: "none" };
  const path = `${o.dataDir.replace(/\/+$/, "")}/${TOKEN_FILE}`;
  const kept = readKept(path, o.log);
  if (kept) {
    registerSecret(kept);
    o.log.info("api_token_loaded", { path });
    return { token: kept, source: "file", path };
  }
  const token = encodeBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  Deno.mkdirSync(o.dataDir, { recursive: true });
  Deno.writeTextFileSync(path, token + "\n", { mode: 0o600, createNew: true });
  Deno.chmodSync(path, 0o600);
  registerSecret(token);
  (o.print ?? printStderr)(
    `API token generated (the API listens on ${o.hostname}, beyond loopback); it is shown once ` +
      `and kept in ${path}:\n  ${token}\nSend it as "Authorization: Bearer <token>".`,
  );
  o.log.info("api_token_generated", { path });
  return { token, source: "generated", path };
}

function readKept(path: string, log: Logger): string | undefined {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw new RuntimeError(
      "api_token",
      `Cannot read the API token file "${path}": ${(e as Error).message}`,
    );
  }
  const mode = Deno.statSync(path).mode;
  if (mode !== null && (mode & 0o077) !== 0) {
    Deno.chmodSync(path, 0o600);
    log.warn("api_token_file_mode_fixed", { path, was: (mode & 0o777).toString(8) });
  }
  const token = text.trim();
  if (token.length < 16) {
    throw new RuntimeError(
      "api_token",
      `The API token in "${path}" is shorter than 16 characters: delete the file`,
    );
  }
  return token;
}

function encodeBase64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_")
    .replace(/=+$/, "");
}

function printStderr(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(line + "\n"));
}
