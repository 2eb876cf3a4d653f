/**
 * Memory writes that are safe to retry after a connection dropped mid-commit (the row may
 * already be in): a memory gets its id before the first attempt, and "duplicate key" on a retry
 * means it was committed. (`tool_usage` rows get the same guarantee from `recordToolUsage` with a
 * `writeId`, in core/memory/platform_rows.ts.) Without this, a cut during COMMIT turned into a
 * duplicate row (measured in the scenario test: 31 rows for 30 calls).
 */
import type { NewMemory } from "../memory/types.ts";
import type { PlatformMemory } from "./platform_services.ts";

/** A memory write for the retrying queue: fixed id, and a duplicate key means already saved. */
export function saveOnce(memory: PlatformMemory, m: NewMemory): () => Promise<unknown> {
  const withId = { ...m, id: m.id ?? crypto.randomUUID() };
  return async () => {
    try {
      await memory.save(withId);
    } catch (e) {
      if (/duplicate key|already exists|unique constraint/i.test(String((e as Error).message))) {
        return;
      }
      throw e;
    }
  };
}
