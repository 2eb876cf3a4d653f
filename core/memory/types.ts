/**
 * The data shapes of the memory manager, matching the platform's ElizaOS `memories` table
 * (../shared/contracts/neurosync.md): a row has a logical `type`, jsonb `content` with at least
 * `text`, and optional entity/agent/room/world ids.
 */

/** The logical tables that share `memories`, as the platform uses them. */
export const MEMORY_TYPES = ["messages", "facts", "memories"] as const;

/** One of {@link MEMORY_TYPES}. */
export type MemoryType = typeof MEMORY_TYPES[number];

/** Vector columns the platform's `embeddings` table has. */
export const EMBEDDING_DIMS = [384, 512, 768, 1024, 1536, 3072] as const;

/** The jsonb `content` of a memory. */
export interface MemoryContent {
  text: string;
  /** Who said or wrote it; a search whose query names them favours their memories. */
  speaker?: string;
  [key: string]: unknown;
}

/** A row of `memories` as read back. `type` is a string: old rows may hold other values. */
export interface Memory {
  id: string;
  type: string;
  createdAt: Date;
  content: MemoryContent;
  entityId: string | null;
  agentId: string | null;
  roomId: string | null;
  worldId: string | null;
  unique: boolean;
  metadata: Record<string, unknown>;
}

/** What `store` accepts. Importance (0..1) is kept in `metadata.importance`. */
export interface NewMemory {
  type: MemoryType;
  content: MemoryContent;
  id?: string;
  createdAt?: Date;
  entityId?: string;
  agentId?: string;
  roomId?: string;
  worldId?: string;
  metadata?: Record<string, unknown>;
  importance?: number;
  /**
   * Extra text indexed with this memory but not part of its content, e.g. the neighbouring turns
   * of a conversation. Kept in `metadata.searchContext`; weighs half as much as the text.
   */
  context?: string;
  /** A precomputed vector (must have the store's dimension); embedded from the text if absent. */
  embedding?: number[];
}

/** A partial change for `update`; a changed text is re-embedded. */
export interface MemoryPatch {
  content?: MemoryContent;
  metadata?: Record<string, unknown>;
  importance?: number;
}

/** Filters and weights of a search. */
export interface SearchQuery {
  text: string;
  /** How many hits to return; default 10, at most 100. */
  limit?: number;
  type?: MemoryType | MemoryType[];
  agentId?: string;
  roomId?: string;
  entityId?: string;
  since?: Date;
  until?: Date;
  /** Also return memories another one superseded; default false. */
  includeSuperseded?: boolean;
  /** Also search `context_archive` (lexical only); default false. */
  includeArchived?: boolean;
  /** Weight of a recency boost (0 = off); the boost halves every `recencyHalfLifeHours`. */
  recencyWeight?: number;
  recencyHalfLifeHours?: number;
  /** Weight of `metadata.importance` (0 = off). */
  importanceWeight?: number;
}

/** One search result. `score` is the fused score; ranks are 1-based, absent when not found. */
export interface SearchHit {
  memory: Memory;
  score: number;
  vectorRank?: number;
  textRank?: number;
  archived: boolean;
}
