/**
 * The memory manager's store: store, search, get, update, forget and supersede over the
 * platform's `memories` + `embeddings` tables. It only uses {@link SqlClient}, so PostgreSQL and
 * PGlite run the same SQL. Writes that touch several rows run in one transaction and are retried
 * when the database goes away; after the retries they fail loudly.
 */
import { type Embedder, embedForIndex } from "./embedder.ts";
import { MemoryInputError, MemoryNotFoundError } from "./errors.ts";
import { type FusionOptions, hybridSearch } from "./hybrid_search.ts";
import { migrate } from "./migrations.ts";
import { type RetryPolicy, withRetry } from "./retry.ts";
import { MEMORY_COLUMNS, rowToMemory } from "./rows.ts";
import { insertRows, modelKey, putVectors } from "./write_rows.ts";
import { stringToUuid } from "./eliza_ids.ts";
import { type Owner, ReferenceKeeper } from "./references.ts";
import { repeats } from "./unique_check.ts";
import { recordToolUsage, type ToolUsage } from "./platform_rows.ts";
import { recordTerms } from "./term_stats.ts";
import { TermStatsCache } from "./term_stats_cache.ts";
import { archiveMemories, type ArchiveOptions } from "./archive.ts";
import {
  backfillEmbeddings,
  type BackfillOptions,
  type BackfillProgress,
  countUnembedded,
} from "./backfill.ts";
import type { SqlClient } from "./sql_client.ts";
import type { Memory, MemoryPatch, NewMemory, SearchHit, SearchQuery } from "./types.ts";
import { checkImportance, checkNewMemory, checkText, checkUuid, checkVector } from "./validate.ts";

/** Options for {@link MemoryStore.open}. */
export interface MemoryStoreOptions {
  embedder: Embedder;
  /** Longest accepted `content.text`; default 20,000 characters. */
  maxTextChars?: number;
  retry?: RetryPolicy;
  fusion?: FusionOptions;
  /** Skip migrations (the schema is known to exist). */
  skipMigrations?: boolean;
  /**
   * The agent that owns rows naming no agent where the ElizaOS schema needs one (an entity's or
   * world's agent, archived rows); default `stringToUuid("Autoliza")`, the old agent's id.
   */
  owner?: Owner;
}

/** What {@link MemoryStore.stats} reports. */
export interface MemoryStats {
  engine: string;
  dim: number;
  embedder: string;
  byType: Record<string, number>;
  archived: number;
  unembedded: number;
}

/** Hybrid-search memory over one SqlClient. */
export class MemoryStore {
  readonly sql: SqlClient;
  readonly embedder: Embedder;
  readonly dim: number;
  readonly maxTextChars: number;
  readonly #o: MemoryStoreOptions;
  /** Term counts for BM25's IDF, shared by this store's searches. */
  readonly #termStats = new TermStatsCache();
  /** Creates the agents, rooms, worlds and entities the ElizaOS foreign keys need. */
  readonly #refs: ReferenceKeeper;
  /** The agent that owns rows naming none. */
  readonly owner: Owner;

  private constructor(sql: SqlClient, options: MemoryStoreOptions) {
    this.sql = sql;
    this.embedder = options.embedder;
    this.dim = options.embedder.dim;
    this.maxTextChars = options.maxTextChars ?? 20_000;
    this.#o = options;
    this.owner = options.owner ?? { agentId: stringToUuid("Autoliza") };
    this.#refs = new ReferenceKeeper(this.owner);
  }

  /** Runs the idempotent migrations, then returns a store. */
  static async open(sql: SqlClient, options: MemoryStoreOptions): Promise<MemoryStore> {
    if (!options.skipMigrations) {
      await withRetry("migrate", () => migrate(sql, options.embedder.dim), options.retry);
    }
    return new MemoryStore(sql, options);
  }

  /** Stores one memory (and its vector) atomically; returns it with its id. */
  async store(m: NewMemory): Promise<Memory> {
    return (await this.storeMany([m]))[0]!;
  }

  /** Stores many memories; each batch of 500 is one transaction. */
  async storeMany(items: NewMemory[]): Promise<Memory[]> {
    items.forEach((m) => checkNewMemory(m, this.maxTextChars));
    const out: Memory[] = [];
    for (let i = 0; i < items.length; i += 500) {
      const batch = items.slice(i, i + 500);
      const vectors = await this.#vectors(batch);
      const rows = batch.map((m) => this.#row(m));
      let attempt = 0;
      const counts = await this.#withRefs(() => (attempt = 0,
        withRetry("store", () =>
          this.sql.transaction(async (tx) => {
            const seen = await this.#refs.ensure(tx, rows);
            const first = ++attempt === 1;
            if (first) {
              const dup = await repeats(tx, this.dim, this.embedder.model, rows, vectors);
              rows.forEach((r, j) => (r.unique = !dup[j]));
            }
            const fresh = await insertRows(tx, rows);
            // On the first attempt an existing id is the caller's duplicate; on a retry it is
            // this very write, committed before the connection dropped: not inserted twice.
            if (first && fresh.size < rows.length) {
              const dup = rows.find((r) => !fresh.has(r.id))!;
              throw new MemoryInputError(`A memory with id "${dup.id}" already exists`);
            }
            const added = rows.map((r, j) =>
              [r, vectors[j]!] as const
            ).filter(([r]) => fresh.has(r.id));
            await putVectors(tx, this.dim, added.map(([r, v]) => [r.id, v]), { newRows: true });
            const counts = await recordTerms(
              tx,
              added.map(([r]) =>
                indexedText(r)
              ),
            );
            return { counts, seen };
          }), this.#o.retry))
      ).then(({ counts, seen }) => (seen(), counts));
      this.#termStats.added(counts);
      out.push(...rows);
    }
    return out;
  }

  /** Searches memories (hybrid vector + full-text); see {@link SearchQuery} for filters. */
  async search(q: SearchQuery): Promise<SearchHit[]> {
    checkText(q?.text, this.maxTextChars, "query text");
    const limit = q.limit ?? 10;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      throw new MemoryInputError(`limit must be an integer from 1 to 100, got ${q.limit}`);
    }
    for (const f of ["agentId", "roomId", "entityId"] as const) if (q[f]) checkUuid(q[f], f);
    if (q.type !== undefined) [q.type].flat().forEach((t) => checkNewType(t));
    const [vector] = await this.embedder.embed([q.text], "query");
    checkVector(vector!, this.dim);
    return await withRetry(
      "search",
      () => hybridSearch(this.sql, this.dim, vector!, q, this.#fusion()),
      this.#o.retry,
    );
  }

  /** The memory with this id, or null. */
  async get(id: string): Promise<Memory | null> {
    checkUuid(id, "id");
    const rows = await withRetry(
      "get",
      () => this.sql.query(`SELECT ${MEMORY_COLUMNS} FROM memories m WHERE m."id" = $1`, [id]),
    );
    return rows[0] ? rowToMemory(rows[0]) : null;
  }

  /** Changes content, metadata or importance; a new text is re-embedded in the same transaction. */
  async update(id: string, patch: MemoryPatch): Promise<Memory> {
    checkUuid(id, "id");
    if (patch.content) checkText(patch.content.text, this.maxTextChars);
    if (patch.importance !== undefined) checkImportance(patch.importance);
    const vector = patch.content
      ? (await this.embedder.embed([patch.content.text]))[0]!
      : undefined;
    if (vector) checkVector(vector, this.dim);
    const meta = {
      ...patch.metadata,
      ...(patch.importance !== undefined ? { importance: patch.importance } : {}),
    };
    const updated = await withRetry("update", () =>
      this.sql.transaction(async (tx) => {
        const rows = await tx.query(
          `UPDATE memories m SET "content" = coalesce($2::jsonb, m."content"),
             "metadata" = coalesce(m."metadata", '{}'::jsonb) || $3::jsonb
           WHERE m."id" = $1 RETURNING ${MEMORY_COLUMNS}`,
          [id, patch.content ? JSON.stringify(patch.content) : null, JSON.stringify(meta)],
        );
        if (!rows[0]) throw new MemoryNotFoundError(id);
        if (vector) {
          // The text changed: vectors of other models (for the old text) no longer fit.
          await putVectors(tx, this.dim, [[id, vector]], { clearOthers: true });
          const models = { [modelKey(this.dim)]: this.embedder.model };
          rows[0] = (await tx.query(
            `UPDATE memories m SET "metadata" = m."metadata" || jsonb_build_object(
               'embeddingModels', $2::jsonb) WHERE m."id" = $1 RETURNING ${MEMORY_COLUMNS}`,
            [id, JSON.stringify(models)],
          ))[0]!;
        }
        return rowToMemory(rows[0]);
      }), this.#o.retry);
    return updated;
  }

  /**
   * Deletes a memory and its vectors; false when it did not exist. The vectors go first: on the
   * ElizaOS schema one of the two foreign keys from `embeddings` does not cascade.
   */
  async forget(id: string): Promise<boolean> {
    checkUuid(id, "id");
    const rows = await withRetry(
      "forget",
      () =>
        this.sql.transaction(async (tx) => {
          await tx.query(`DELETE FROM embeddings WHERE memory_id = $1`, [id]);
          return await tx.query(`DELETE FROM memories WHERE "id" = $1 RETURNING "id"`, [id]);
        }),
      this.#o.retry,
    );
    return rows.length > 0;
  }

  /**
   * Stores `next` as the current version of `oldId`. Both are kept: the old one gets
   * `metadata.supersededBy` (hidden from search unless asked), the new one `metadata.supersedes`.
   */
  async supersede(oldId: string, next: NewMemory): Promise<Memory> {
    checkUuid(oldId, "oldId");
    checkNewMemory(next, this.maxTextChars);
    const [vector] = await this.#vectors([next]);
    const row = this.#row({ ...next, metadata: { ...next.metadata, supersedes: oldId } });
    const { counts, seen } = await this.#withRefs(() =>
      withRetry("supersede", () =>
        this.sql.transaction(async (tx) => {
          const seen = await this.#refs.ensure(tx, [row]);
          const old = await tx.query(
            `UPDATE memories SET "metadata" = coalesce("metadata", '{}'::jsonb) ||
             jsonb_build_object('supersededBy', $2::text) WHERE "id" = $1 RETURNING "id"`,
            [oldId, row.id],
          );
          if (!old[0]) throw new MemoryNotFoundError(oldId);
          // Empty on a retry whose first attempt committed: then nothing is added twice.
          if (!(await insertRows(tx, [row])).size) {
            return { counts: new Map<string, number>(), seen };
          }
          await putVectors(tx, this.dim, [[row.id, vector!]], { newRows: true });
          return { counts: await recordTerms(tx, [indexedText(row)]), seen };
        }), this.#o.retry)
    );
    seen();
    this.#termStats.added(counts);
    return row;
  }

  /** Moves old, unimportant memories to `context_archive` (see {@link archiveMemories}). */
  async archive(o: Omit<ArchiveOptions, "retry"> = {}): Promise<string[]> {
    // context_archive.agent_id references agents on the ElizaOS schema.
    const seen = await this.sql.transaction((tx) =>
      this.#refs.ensureAgents(tx, [this.owner.agentId])
    );
    seen();
    return await archiveMemories(this.sql, {
      ownerAgentId: this.owner.agentId,
      ...o,
      ...(this.#o.retry ? { retry: this.#o.retry } : {}),
    });
  }

  /**
   * Inserts a `tool_usage` row (see {@link recordToolUsage}), first creating the `agents` row
   * its foreign key needs on the ElizaOS schema.
   */
  async recordToolUsage(u: ToolUsage, writeId?: string): Promise<number> {
    await this.#withRefs(() =>
      withRetry("tool_usage agent", async () => {
        const seen = await this.sql.transaction((tx) => this.#refs.ensureAgents(tx, [u.agentId]));
        seen();
      }, this.#o.retry)
    );
    return await recordToolUsage(this.sql, u, writeId);
  }

  /** Embeds rows that have no vector in this store's dimension (see {@link backfillEmbeddings}). */
  backfill(o: BackfillOptions = {}): Promise<BackfillProgress> {
    return backfillEmbeddings(this.sql, this.embedder, {
      maxTextChars: this.maxTextChars,
      onTerms: (counts) => this.#termStats.added(counts),
      ...o,
    });
  }

  /** Row counts: memories by type, archived rows, and rows still lacking a vector. */
  async stats(): Promise<MemoryStats> {
    const byType = await this.sql.query<{ type: string; n: string | number }>(
      `SELECT "type" AS type, count(*) AS n FROM memories GROUP BY "type" ORDER BY "type"`,
    );
    const archived = await this.sql.query<{ n: string | number }>(
      `SELECT count(*) AS n FROM context_archive`,
    );
    return {
      engine: this.sql.engine,
      dim: this.dim,
      embedder: this.embedder.model,
      byType: Object.fromEntries(byType.map((r) => [r.type, Number(r.n)])),
      archived: Number(archived[0]?.n ?? 0),
      unembedded: await countUnembedded(this.sql, this.dim),
    };
  }

  /** Closes the database connection. */
  close(): Promise<void> {
    return this.sql.close();
  }

  /**
   * Runs a write that creates referenced rows; when a referenced row vanished since it was seen
   * (a foreign key violation, SQLSTATE 23503), forgets what it saw and tries once more.
   */
  async #withRefs<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (e) {
      if ((e as { code?: unknown }).code !== "23503" || !this.#refs.enabled) throw e;
      this.#refs.reset();
      return await write();
    }
  }

  /**
   * The offline embedder is lexical and weaker than BM25 on its own (LoCoMo dev: vectors alone
   * 0.58 recall@10, BM25 0.79), so its vote counts for less; a semantic embedder votes fully.
   */
  #fusion(): FusionOptions {
    const lexical = this.embedder.model.startsWith("hash-");
    return {
      k: 10,
      vectorWeight: lexical ? 0.2 : 1,
      termStats: this.#termStats,
      model: this.embedder.model,
      ...this.#o.fusion,
    };
  }

  async #vectors(batch: NewMemory[]): Promise<number[][]> {
    const todo = batch.map((m, i) => [m, i] as const).filter(([m]) => !m.embedding);
    const computed = await embedForIndex(
      this.embedder,
      todo.map(([m]) => ({ text: m.content.text, context: m.context })),
    );
    const out = batch.map((m) => m.embedding);
    todo.forEach(([, i], j) => (out[i] = computed[j]));
    out.forEach((v) => checkVector(v!, this.dim));
    return out as number[][];
  }

  #row(m: NewMemory): Memory {
    return {
      id: m.id ?? crypto.randomUUID(),
      type: m.type,
      createdAt: m.createdAt ?? new Date(),
      content: m.content,
      entityId: m.entityId ?? null,
      agentId: m.agentId ?? null,
      roomId: m.roomId ?? null,
      worldId: m.worldId ?? null,
      unique: true,
      metadata: {
        ...m.metadata,
        ...(m.importance !== undefined ? { importance: m.importance } : {}),
        ...(m.context ? { searchContext: m.context } : {}),
        // Which model made the vector, per column: vectors of other models are never compared.
        embeddingModels: { [modelKey(this.dim)]: this.embedder.model },
      },
    };
  }
}

/** The text a memory is indexed by: its text plus its search context. */
export function indexedText(m: Pick<Memory, "content" | "metadata">): string {
  const ctx = m.metadata.searchContext;
  return `${m.content.text}${typeof ctx === "string" ? `\n${ctx}` : ""}`;
}

function checkNewType(t: unknown): void {
  checkNewMemory({ type: t as NewMemory["type"], content: { text: "x" } }, 1);
}
