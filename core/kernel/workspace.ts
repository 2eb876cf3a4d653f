/**
 * The kernel's workspace guard. Deno checks a symlink's own path, not its target, so a link in
 * the workspace pointing outside would be a hole; a hard link to a file that also has a name
 * outside is one too. The kernel cannot create either (Deno wants unscoped read+write for
 * symlinks, read on the target for links), so the guard checks what others left there before
 * every start. An entry that escapes is moved out of the workspace into `<workspace>.refused/`
 * (nothing is deleted) and the kernel starts without it: one bad file must not keep a kernel
 * from ever restarting. Hard links whose every name is inside the workspace (a cell can make
 * those) are fine.
 */

/** A workspace that holds a link out of the sandbox it could not move away. */
export class WorkspaceEscapeError extends Error {
  readonly paths: string[];
  constructor(dir: string, paths: string[], why: string) {
    super(
      `Cannot start kernel: workspace "${dir}" holds links that escape it: ${paths.join(", ")} ` +
        `(${why})`,
    );
    this.name = "WorkspaceEscapeError";
    this.paths = paths;
  }
}

/** The workspace's real path, and the escaping entries moved out of it (where they went). */
export interface CheckedWorkspace {
  root: string;
  refused: { path: string; movedTo: string }[];
}

/**
 * Creates `dir` if needed; moves out every symlink that resolves outside it and every file with
 * more hard links than names inside it. Throws {@link WorkspaceEscapeError} if one cannot be moved.
 */
export async function checkWorkspace(dir: string, maxEntries = 100_000): Promise<CheckedWorkspace> {
  await Deno.mkdir(dir, { recursive: true });
  const root = await Deno.realPath(dir);
  const bad: string[] = [];
  const linked = new Map<string, { nlink: number; paths: string[] }>();
  let seen = 0;
  const walk = async (path: string): Promise<void> => {
    for await (const e of Deno.readDir(path)) {
      if (++seen > maxEntries) return;
      const full = `${path}/${e.name}`;
      if (e.isSymlink) {
        let target: string | undefined;
        try {
          target = await Deno.realPath(full);
        } catch { /* dangling: points nowhere yet, which is still outside once created */ }
        if (!target || !(target === root || target.startsWith(root + "/"))) bad.push(full);
      } else if (e.isDirectory) {
        await walk(full);
      } else if (e.isFile) {
        const st = await Deno.lstat(full);
        const nlink = st.nlink ?? 1;
        if (nlink <= 1) continue;
        const key = `${st.dev}:${st.ino}`;
        const group = linked.get(key) ?? { nlink, paths: [] };
        group.paths.push(full);
        linked.set(key, group);
      }
    }
  };
  await walk(root);
  for (const g of linked.values()) if (g.paths.length < g.nlink) bad.push(...g.paths);
  if (bad.length === 0) return { root, refused: [] };
  const refused: CheckedWorkspace["refused"] = [];
  const away = `${root}.refused/${new Date().toISOString().replace(/[:.]/g, "-")}`;
  try {
    for (const path of bad) {
      const movedTo = `${away}/${path.slice(root.length + 1).replaceAll("/", "__")}`;
      await Deno.mkdir(away, { recursive: true });
      await Deno.rename(path, movedTo);
      refused.push({ path, movedTo });
    }
  } catch (e) {
    throw new WorkspaceEscapeError(dir, bad, `moving them out failed: ${(e as Error).message}`);
  }
  return { root, refused };
}
