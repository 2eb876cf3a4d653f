/** The one-line error for a port that cannot be listened on, naming the port and its variable. */
import { RuntimeError } from "../errors.ts";

/** `e` as an actionable RuntimeError when it is a listen failure, else `e` itself. */
export function listenError(e: unknown, host: string, port: number, setting: string): unknown {
  if (e instanceof Deno.errors.AddrInUse) {
    return new RuntimeError(
      "port_in_use",
      `port ${port} on ${host} is already in use: stop the program using it, or choose ` +
        `another port with ${setting}`,
    );
  }
  if (e instanceof Deno.errors.PermissionDenied || e instanceof Deno.errors.AddrNotAvailable) {
    return new RuntimeError(
      "cannot_listen",
      `cannot listen on ${host}:${port} (${(e as Error).message}): choose another ${setting}`,
    );
  }
  return e;
}
