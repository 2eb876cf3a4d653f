/**
 * Hot reload: watches the tool folder with `Deno.watchFs` and calls `registry.reload()` once
 * per burst of changes (editors write several events per save). Tests can await
 * `registry.onReload` instead of sleeping. Each reload re-imports every file under a new query
 * string; old module versions stay in Deno's module map (a small leak per edit, acceptable for
 * a folder edited by hand, not for thousands of reloads).
 */
import type { Logger } from "../log.ts";

/** Something that can reload. */
export interface Reloadable {
  reload(): Promise<void>;
}

/** A running watcher; `close` stops it. */
export interface ToolWatcher {
  close(): void;
}

/** Watches `dir` and reloads `target` `debounceMs` after the last change. */
export function watchTools(
  target: Reloadable,
  dir: string,
  options: { debounceMs?: number; log?: Logger } = {},
): ToolWatcher {
  const debounceMs = options.debounceMs ?? 150;
  const watcher = Deno.watchFs(dir, { recursive: false });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(() => target.reload()).catch((e) => {
        options.log?.error("tools_reload_failed", { error: (e as Error).message });
      });
    }, debounceMs);
  };
  (async () => {
    try {
      for await (const event of watcher) {
        if (event.paths.some((p) => /\.[mc]?[tj]s$/.test(p))) schedule();
      }
    } catch (e) {
      if (!(e instanceof Deno.errors.BadResource)) {
        options.log?.error("tools_watch_failed", { error: (e as Error).message });
      }
    }
  })();
  return {
    close() {
      clearTimeout(timer);
      try {
        watcher.close();
      } catch {
        // already closed
      }
    },
  };
}
