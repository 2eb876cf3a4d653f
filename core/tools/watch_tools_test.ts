import assert from "node:assert/strict";
import { join } from "node:path";
import { memoryLogger } from "../log.ts";
import { openRegistry } from "./registry.ts";
import { watchTools } from "./watch_tools.ts";

Deno.test("watcher reloads the registry when a tool file is added", async () => {
  const tmp = await Deno.makeTempDir();
  const registry = await openRegistry({ dir: tmp, log: memoryLogger().logger });
  const watcher = watchTools(registry, tmp, { debounceMs: 20 });
  try {
    const reloaded = new Promise<void>((resolve) => {
      const off = registry.onReload(() => {
        if (registry.list().length > 0) off(), resolve();
      });
    });
    await Deno.writeTextFile(
      join(tmp, "hello.ts"),
      'import { z } from "zod";\n' +
        'export default { description: "Say hello", input: z.object({}), run: () => "hi" };\n',
    );
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("no reload event within 5 s")), 5000);
    });
    await Promise.race([reloaded, timeout]).finally(() => clearTimeout(timer));
    assert.deepEqual(registry.list().map((t) => t.name), ["hello"]);
  } finally {
    watcher.close();
    await Deno.remove(tmp, { recursive: true });
  }
});
