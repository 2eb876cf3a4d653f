/**
 * What tools see of the memory manager (`ctx.services.memory`): search and save. Implemented by
 * {@link MemoryStore} directly (tests, single process) and by an actor-backed proxy.
 */
import type { MemoryStore } from "./memory_store.ts";
import type { Memory, NewMemory, SearchHit, SearchQuery } from "./types.ts";

/** The memory capability handed to tools. */
export interface MemoryService {
  search(q: SearchQuery): Promise<SearchHit[]>;
  save(m: NewMemory): Promise<Memory>;
}

/** A MemoryService backed by a store in this process. */
export function storeService(store: MemoryStore): MemoryService {
  return { search: (q) => store.search(q), save: (m) => store.store(m) };
}

/** A MemoryService that asks the `memory` actor (messages as in actors/memory.ts). */
export function actorService(ask: (msg: unknown) => Promise<unknown>): MemoryService {
  return {
    search: async (q) => (await ask({ type: "search", query: q })) as SearchHit[],
    save: async (m) => (await ask({ type: "store", memory: m })) as Memory,
  };
}

/** Reads `services.memory` and checks its shape; the error names what is missing. */
export function memoryServiceFrom(services: Record<string, unknown>): MemoryService {
  const s = services.memory as Partial<MemoryService> | undefined;
  if (!s || typeof s.search !== "function" || typeof s.save !== "function") {
    throw new Error(
      `The memory service is not available: ctx.services.memory must have search() and save()`,
    );
  }
  return s as MemoryService;
}
