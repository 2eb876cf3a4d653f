/**
 * What a REPL leaves in sessions/: each start makes `sessions/repl-<time>/` (the kernel's
 * workspace, and the auto-save after each successful cell, so a crash loses at most one cell).
 * On exit a session that saved nothing is removed; at start only the newest {@link KEEP_AUTOSAVES}
 * auto-saved `repl-*` sessions are kept. Sessions saved by name (`:save x`) are never touched.
 */

/** Auto-saved REPL sessions kept (the newest), for `:load repl-<time>` after a crash. */
export const KEEP_AUTOSAVES = 10;

const exists = (path: string) => Deno.stat(path).then(() => true, () => false);

/** Removes `root` (one REPL's session folder) when nothing was saved in it. */
export async function removeIfUnsaved(root: string): Promise<void> {
  if (!(await exists(`${root}/session.json`))) {
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
}

/** Removes the older auto-saved `repl-*` folders beyond the newest `keep`, and unsaved ones. */
export async function pruneAutosaves(sessionsDir: string, keep = KEEP_AUTOSAVES): Promise<void> {
  const saved: string[] = [];
  try {
    for await (const e of Deno.readDir(sessionsDir)) {
      if (!e.isDirectory || !/^repl-\d{4}-\d\d-\d\dT[\d-]+Z$/.test(e.name)) continue;
      if (await exists(`${sessionsDir}/${e.name}/session.json`)) saved.push(e.name);
      // An unsaved folder is a REPL that is still running or crashed before its first cell.
    }
  } catch {
    return; // no sessions folder yet
  }
  saved.sort(); // the names are ISO times: lexical order is time order
  for (const name of saved.slice(0, Math.max(0, saved.length - keep))) {
    await Deno.remove(`${sessionsDir}/${name}`, { recursive: true }).catch(() => {});
  }
}
