/**
 * A clean environment for tests that run the program as users run it, in a child process: no
 * DATABASE_URL, model or token from the caller (CI sets some of them).
 */

/** HOME, PATH, DENO_DIR (when set) and NO_COLOR, plus `extra`; use with `clearEnv: true`. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const denoDir = Deno.env.get("DENO_DIR");
  return {
    HOME: Deno.env.get("HOME") ?? "/",
    PATH: Deno.env.get("PATH") ?? "",
    ...(denoDir ? { DENO_DIR: denoDir } : {}),
    NO_COLOR: "1",
    ...extra,
  };
}
