/**
 * Grants for the sandbox launcher: the caller proves it may write a directory by creating
 * `<dir>/.sandbox-grant-<id>` holding a random secret; the launcher checks and consumes the file
 * (core/sandbox/launcher.pl) before giving a sandbox that directory. A tool file in the
 * supervisor can therefore hand a sandbox only directories it could write itself.
 */

/** One grant: the launcher's `--grant=` value and the file (removed if the launcher did not). */
export interface Grant {
  arg: string;
  file: string;
}

/** Writes a grant file in `dir` (an absolute, real path). */
export async function writeGrant(dir: string): Promise<Grant> {
  const id = hex(8);
  const secret = hex(16);
  const file = `${dir}/.sandbox-grant-${id}`;
  await Deno.writeTextFile(file, secret, { createNew: true, mode: 0o600 });
  return { arg: `--grant=${dir}=${id}:${secret}`, file };
}

/** Removes grant files the launcher did not consume (it failed before, or never ran). */
export async function dropGrants(grants: Grant[]): Promise<void> {
  for (const g of grants) await Deno.remove(g.file).catch(() => {});
}

function hex(bytes: number): string {
  return [...crypto.getRandomValues(new Uint8Array(bytes))]
    .map((b) => b.toString(16).padStart(2, "0")).join("");
}
