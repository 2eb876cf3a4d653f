/**
 * The kernel's workspace guard. Deno checks a symlink's own path, not its target, so a link in
 * the workspace pointing outside would be a hole; a hard link to an outside file is one too.
 * The kernel itself cannot create either (Deno wants unscoped read+write for symlinks and read
 * on the target for links), so the guard checks what others left there, before every start.
 */

/** A workspace that holds a link out of the sandbox. */
export class WorkspaceEscapeError extends Error {
  readonly paths: string[];
  constructor(dir: string, paths: string[]) {
    super(
      `Cannot start kernel: workspace "${dir}" holds links that escape it: ${paths.join(", ")}`,
    );
    this.name = "WorkspaceEscapeError";
    this.paths = paths;
  }
}

/**
 * Creates `dir` if needed and returns its real path; throws {@link WorkspaceEscapeError} when
 * a symlink resolves outside it or a regular file has more than one hard link.
 */
export async function checkWorkspace(dir: string, maxEntries = 100_000): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  const root = await Deno.realPath(dir);
  const bad: string[] = [];
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
        if ((st.nlink ?? 1) > 1) bad.push(full);
      }
    }
  };
  await walk(root);
  if (bad.length) throw new WorkspaceEscapeError(dir, bad);
  return root;
}
