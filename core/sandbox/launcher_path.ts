/**
 * Where the sandbox launcher (core/sandbox/launcher.pl) is: the supervisor's one `--allow-run`
 * entry. No imports, so the permission launcher (core/launch/) can read it before anything.
 */

/** The launcher's absolute path. */
export const SANDBOX_LAUNCHER: string = decodeURIComponent(
  new URL("./launcher.pl", import.meta.url).pathname,
);
