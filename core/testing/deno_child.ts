/**
 * Helpers for tests that run the program as users run it, in a child process: the `start` task's
 * deno flags read from deno.json, and a clean environment (no DATABASE_URL, model or token from
 * the caller: CI sets some of them).
 */

/** The flags between `deno run` and `main.ts` in the `start` task, with `$HOME` expanded. */
export function startTaskFlags(): string[] {
  const deno = JSON.parse(Deno.readTextFileSync(new URL("../../deno.json", import.meta.url)));
  // "deno install --frozen --quiet && deno run <flags> main.ts start"
  const words = String(deno.tasks.start).split(/\s+/);
  const home = Deno.env.get("HOME") ?? "";
  return words.slice(words.indexOf("run") + 1, words.indexOf("main.ts"))
    .map((w) => w.replaceAll("$HOME", home));
}

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
