/**
 * Incremental directory copy for checkpoints: copies files whose size or mtime differ, removes
 * files gone from the source, so auto-saving after every cell rewrites only what changed.
 */

/** Makes `to` mirror the files (one level) of `from`; returns the bytes copied. */
export async function syncDir(from: string, to: string): Promise<number> {
  await Deno.mkdir(to, { recursive: true });
  const seen = new Set<string>();
  let bytes = 0;
  try {
    for await (const e of Deno.readDir(from)) {
      if (!e.isFile || e.name.endsWith(".tmp")) continue;
      seen.add(e.name);
      const src = await Deno.stat(`${from}/${e.name}`);
      const dst = await Deno.stat(`${to}/${e.name}`).catch(() => undefined);
      if (
        dst && dst.size === src.size && (dst.mtime?.getTime() ?? 0) >= (src.mtime?.getTime() ?? 0)
      ) {
        continue;
      }
      await Deno.copyFile(`${from}/${e.name}`, `${to}/${e.name}.tmp`);
      await Deno.rename(`${to}/${e.name}.tmp`, `${to}/${e.name}`);
      bytes += src.size;
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  for await (const e of Deno.readDir(to)) {
    if (e.isFile && !seen.has(e.name)) await Deno.remove(`${to}/${e.name}`);
  }
  return bytes;
}
