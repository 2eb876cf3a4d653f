/**
 * The memory benchmark: LoCoMo retrieval recall (store every turn of a conversation, query each
 * question of categories 1–4, a hit at k when an evidence turn is in the top k), then ingest
 * rate and query latency at 10,000 and 100,000 synthetic memories. `runMemoryBench` returns the
 * figures; `deno task cli memory bench` prints them.
 */
import { HashEmbedder } from "../core/memory/hash_embedder.ts";
import {
  loadLocomo,
  type LocomoConversation,
  type LocomoQuestion,
  neighbourContext,
  turnTime,
} from "../core/memory/locomo.ts";
import { loadWordVectors } from "../core/memory/load_word_vectors.ts";
import { MemoryStore } from "../core/memory/memory_store.ts";
import { type TestDatabase, testPglite, testPostgres } from "../core/memory/testing.ts";
import type { NewMemory } from "../core/memory/types.ts";

/** Options of {@link runMemoryBench}. */
export interface MemoryBenchOptions {
  locomo: string;
  backend: "pglite" | "postgres";
  /** Needed for the postgres backend; a scratch schema is created and dropped. */
  databaseUrl?: string;
  /** Memory counts for the latency figures; default [10000, 100000]. Empty to skip. */
  sizes?: number[];
  /** Queries timed per size; default 200. */
  queries?: number;
  dim?: number;
  /** Index each turn with up to two turns either side (same session) as context; default true. */
  context?: boolean;
  /** Use word vectors for the semantic soft match; default true. */
  wordVectors?: boolean;
  log?: (line: string) => void;
  /** Called for each LoCoMo question with whether an evidence turn was in the top 10. */
  onQuestion?: OnQuestion;
}

/** See {@link MemoryBenchOptions.onQuestion}. */
export type OnQuestion = (
  conversation: LocomoConversation,
  question: LocomoQuestion,
  hit: boolean,
) => void;

/** Recall figures over categories 1–4. */
export interface RecallResult {
  recall_at_1: number;
  recall_at_5: number;
  recall_at_10: number;
  questions: number;
  by_category: Record<string, { recall_at_10: number; questions: number }>;
  /** Per conversation, in file order (tune on some, report the others as held out). */
  by_conversation: Record<
    string,
    { recall_at_1: number; recall_at_5: number; recall_at_10: number; questions: number }
  >;
}

/** Latency at one corpus size. */
export interface LatencyResult {
  memories: number;
  ingest_per_s: number;
  query_p50_ms: number;
  query_p95_ms: number;
}

/** Everything the benchmark reports. */
export interface MemoryBenchResult extends RecallResult {
  backend: string;
  /** Whether turns were indexed with their neighbours as context. */
  context: boolean;
  embedder: string;
  /** Words in the word vector table of the semantic soft match (0: off). */
  word_vectors: number;
  latency: LatencyResult[];
}

/** Opens a scratch database for the chosen backend. */
export function scratchDatabase(o: Pick<MemoryBenchOptions, "backend" | "databaseUrl">) {
  if (o.backend === "postgres") {
    if (!o.databaseUrl) throw new Error("--backend postgres needs DATABASE_URL to be set");
    return testPostgres(o.databaseUrl);
  }
  return testPglite();
}

/** Runs recall then latency; skips nothing silently (a missing file throws naming it). */
export async function runMemoryBench(o: MemoryBenchOptions): Promise<MemoryBenchResult> {
  const log = o.log ?? (() => {});
  const conversations = await loadLocomo(o.locomo);
  const embedder = new HashEmbedder(o.dim ?? 384);
  const wordVectors = o.wordVectors === false ? undefined : await loadWordVectors({ warn: log });
  const options = { embedder, ...(wordVectors ? { fusion: { wordVectors } } : {}) };
  let db: TestDatabase = await scratchDatabase(o);
  let recall: RecallResult;
  try {
    const store = await MemoryStore.open(db.sql, options);
    recall = await locomoRecall(store, conversations, {
      context: o.context ?? true,
      log,
      ...(o.onQuestion ? { onQuestion: o.onQuestion } : {}),
    });
  } finally {
    await db.cleanup();
  }
  const latency: LatencyResult[] = [];
  for (const size of o.sizes ?? [10_000, 100_000]) {
    db = await scratchDatabase(o);
    try {
      const store = await MemoryStore.open(db.sql, options);
      latency.push(await latencyAt(store, conversations, size, o.queries ?? 200, log));
    } finally {
      await db.cleanup();
    }
  }
  return {
    backend: o.backend,
    embedder: embedder.model,
    word_vectors: wordVectors?.words.length ?? 0,
    context: o.context ?? true,
    ...recall,
    latency,
  };
}

/** Stores each conversation in its own room and scores every question against it. */
export async function locomoRecall(
  store: MemoryStore,
  conversations: LocomoConversation[],
  o: { context?: boolean; log?: (line: string) => void; onQuestion?: OnQuestion } = {},
): Promise<RecallResult> {
  const log = o.log ?? (() => {});
  const hits = { 1: 0, 5: 0, 10: 0 };
  const cats: Record<string, { hit: number; n: number }> = {};
  const convs: RecallResult["by_conversation"] = {};
  let n = 0;
  for (const conv of conversations) {
    const roomId = crypto.randomUUID();
    const stored = await store.storeMany(conv.turns.map((t, i) => ({
      type: "messages",
      roomId,
      ...(o.context !== false ? { context: neighbourContext(conv.turns, i, 2) } : {}),
      content: { text: t.text, speaker: t.speaker, diaId: t.diaId },
      ...(t.date ? { createdAt: turnTime(conv.turns, i)! } : {}),
    })));
    const diaOf = new Map(stored.map((m) => [m.id, String(m.content.diaId)]));
    const own = { 1: 0, 5: 0, 10: 0 };
    for (const q of conv.questions) {
      const result = await store.search({ text: q.question, roomId, limit: 10 });
      const rank = result.findIndex((h) => q.evidence.includes(diaOf.get(h.memory.id) ?? ""));
      o.onQuestion?.(conv, q, rank >= 0);
      n++;
      const c = (cats[q.category] ??= { hit: 0, n: 0 });
      c.n++;
      if (rank >= 0) {
        for (const k of [1, 5, 10] as const) {
          if (rank < k) {
            hits[k]++;
            own[k]++;
          }
        }
        c.hit++;
      }
    }
    const m = conv.questions.length;
    convs[conv.id] = {
      recall_at_1: round3(own[1] / m),
      recall_at_5: round3(own[5] / m),
      recall_at_10: round3(own[10] / m),
      questions: m,
    };
    log(`conversation ${conv.id}: ${conv.turns.length} turns, ${conv.questions.length} questions`);
  }
  const r = (x: number) => round3(x / Math.max(1, n));
  return {
    recall_at_1: r(hits[1]),
    recall_at_5: r(hits[5]),
    recall_at_10: r(hits[10]),
    questions: n,
    by_category: Object.fromEntries(
      Object.entries(cats).map(([k, c]) => [k, {
        recall_at_10: round3(c.hit / c.n),
        questions: c.n,
      }]),
    ),
    by_conversation: convs,
  };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** Untimed searches before the timed ones (see {@link latencyAt}). */
const WARMUP_QUERIES = 20;

/** Fills the store to `size` synthetic memories (varied LoCoMo turns), then times queries. */
export async function latencyAt(
  store: MemoryStore,
  conversations: LocomoConversation[],
  size: number,
  queries: number,
  log: (line: string) => void = () => {},
): Promise<LatencyResult> {
  const turns = conversations.flatMap((c) => c.turns.map((t) => t.text));
  const vocab = [...new Set(turns.join(" ").split(/\s+/))];
  let seed = 42;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
  const rooms = Array.from({ length: 50 }, () => crypto.randomUUID());
  const t0 = performance.now();
  for (let done = 0; done < size;) {
    const batch: NewMemory[] = [];
    for (let i = 0; i < 1000 && done < size; i++, done++) {
      const words = pick(turns).split(" ");
      for (let k = 0; k < 3; k++) words[Math.floor(rand() * words.length)] = pick(vocab);
      batch.push({
        type: "messages",
        roomId: pick(rooms),
        content: { text: `${words.join(" ")} #${done}` },
        createdAt: new Date(Date.UTC(2023, 0, 1) + done * 60_000),
      });
    }
    await store.storeMany(batch);
    if (done % 10_000 === 0) log(`ingested ${done}/${size}`);
  }
  const ingestS = (performance.now() - t0) / 1000;
  // Steady state, as autovacuum leaves the tables soon after a bulk load: fresh statistics (else
  // the first queries plan for an empty table) and no vacuum or analyse running mid-measurement.
  for (const table of ["memories", "embeddings", "memory_term_stats"]) {
    await store.sql.exec(`VACUUM ANALYZE ${table}`);
  }
  const qs = conversations.flatMap((c) => c.questions.map((q) => q.question));
  // A running daemon is warm: compiled code, open connections, cached term counts. Warm up on
  // questions from the end of the list, apart from the timed ones at its start.
  for (const text of qs.slice(-WARMUP_QUERIES)) await store.search({ text, limit: 10 });
  const times: number[] = [];
  for (let i = 0; i < queries; i++) {
    const t = performance.now();
    await store.search({ text: qs[i % qs.length]!, limit: 10 });
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const at = (p: number) =>
    Math.round(times[Math.min(times.length - 1, Math.floor(p * times.length))]! * 100) / 100;
  return {
    memories: size,
    ingest_per_s: Math.round(size / ingestS),
    query_p50_ms: at(0.5),
    query_p95_ms: at(0.95),
  };
}
