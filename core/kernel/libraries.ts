/**
 * The data libraries a cell can import. The kernel runs with `--cached-only`, so only packages
 * already in DENO_DIR load; these are pinned in deno.json, so `deno install` caches them, and
 * cells may use the bare name (the kernel gets the project's import map) or the npm: form.
 */

/** Bare import name -> pinned npm specifier. */
export const DATA_LIBRARIES: Readonly<Record<string, string>> = {
  papaparse: "npm:papaparse@5.5.3",
  arquero: "npm:arquero@7.2.0",
  "simple-statistics": "npm:simple-statistics@7.8.8",
};
