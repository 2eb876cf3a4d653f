/**
 * Semantic tool search: fuse the BM25F keyword score with the cosine similarity of sentence
 * embeddings, so paraphrases ("do I need an umbrella" → a forecast tool) are found. The fused
 * score is `keyword / keywordScale + weight × cosine` over the union of both sides' top
 * candidates (a linear fusion beat reciprocal-rank fusion on the tools-dev split, see
 * bench/tools_semantic_bench.ts). Keyword search stays the base: an exact name comes first, and
 * "nothing fits" when no top candidate's absolute keyword score and cosine together suffice.
 * Vectors are kept by tool text, so `sync()` after a reload embeds only new or edited tools, and
 * an optional file keeps them across restarts.
 */
import { Buffer } from "node:buffer";
import { normalize } from "../memory/embedder.ts";
import type { ToolHit } from "./tool_search.ts";
import type { ToolSpec } from "./tool_spec.ts";

/** Structural match for core/memory's Embedder and the local SentenceEncoder. */
export interface TextEmbedder {
  readonly model?: string;
  embed(texts: string[], kind?: "document" | "query"): Promise<number[][]>;
}

/** The keyword side: a {@link ToolRegistry} or a {@link ToolSearch} both fit. */
export interface KeywordSource {
  search(query: string, k?: number, minScore?: number): ToolHit[];
  spec(name: string): ToolSpec | undefined;
  specs(): ToolSpec[];
  readonly minScore?: number;
  /** When present, a sync is skipped while it is unchanged since the last one. */
  readonly version?: number;
}

/** Tuning for {@link HybridToolSearch}. */
export interface HybridOptions {
  /**
   * "Nothing fits" unless the best candidate's fit, `min(keyword / minScore, 1.5) + weight ×
   * cosine`, reaches this (default 2: a keyword score of 6 and cosine 1/3, or cosine 2/3 alone;
   * chosen on BFCL's irrelevance files for the local encoder; model dependent).
   */
  minFit?: number;
  /** The keyword score that counts as one unit of fit (default: the source's threshold, else 6). */
  minScore?: number;
  /** Candidates taken from each side before fusion (default 50). */
  depth?: number;
  /**
   * The keyword score worth one unit of fused score (default 15). BM25F scores are on a fixed
   * scale (see Bm25Options.idfFloorDocs), so a weak best match (one generic word such as "find")
   * stays weak; dividing by the best keyword score instead gave it full weight whatever it was.
   */
  keywordScale?: number;
  /** Weight of the cosine in the fused score (default 3, tuned on tools-dev). */
  weight?: number;
  /** A JSON file keeping vectors across restarts (written after each sync that embedded). */
  cacheFile?: string;
  /** Progress of long syncs: called after each chunk with done and total counts. */
  progress?: (done: number, total: number) => void;
}

/** Hits after the best are kept down to this share of its fused score (tuned on tools-dev). */
const RELATIVE_FLOOR = 0.5;

/** Texts embedded per call during a sync, so progress can be reported. */
const SYNC_CHUNK = 256;

/** BM25F + embeddings, fused linearly. */
export class HybridToolSearch {
  readonly #source: KeywordSource;
  readonly #embedder: TextEmbedder;
  readonly #opts: Required<Omit<HybridOptions, "cacheFile" | "progress">> & HybridOptions;
  /** Tool name → its text and unit vector. */
  readonly #vectors = new Map<string, { text: string; vector: number[] }>();
  /** The vectors as one row-major matrix, rebuilt after a sync changed them. */
  #matrix:
    | { names: string[]; index: Map<string, number>; dim: number; data: Float32Array }
    | undefined;
  /** Text → vector, loaded from and saved to `cacheFile`. */
  #byText?: Map<string, number[]>;
  #syncing: Promise<void> = Promise.resolve();
  /** The source's version at the last complete sync. */
  #syncedVersion: number | undefined;

  constructor(source: KeywordSource, embedder: TextEmbedder, options: HybridOptions = {}) {
    this.#source = source;
    this.#embedder = embedder;
    this.#opts = {
      ...options,
      minFit: options.minFit ?? 2,
      minScore: options.minScore ?? source.minScore ?? 6,
      depth: options.depth ?? 50,
      weight: options.weight ?? 3,
      keywordScale: options.keywordScale ?? 15,
    };
  }

  /**
   * Embeds tools that are new or changed since the last sync and forgets removed ones.
   * Concurrent calls (two searches right after a reload) run one after the other.
   */
  sync(): Promise<void> {
    const next = this.#syncing.then(() => this.#sync());
    this.#syncing = next.catch(() => {});
    return next;
  }

  async #sync(): Promise<void> {
    const version = this.#source.version;
    if (version !== undefined && version === this.#syncedVersion) return;
    const specs = this.#source.specs();
    const live = new Set(specs.map((s) => s.name));
    for (const name of this.#vectors.keys()) {
      if (!live.has(name)) {
        this.#vectors.delete(name);
        this.#matrix = undefined;
      }
    }
    const stale = specs.filter((s) => this.#vectors.get(s.name)?.text !== docText(s));
    if (stale.length === 0) {
      this.#syncedVersion = version;
      return;
    }
    const known = await this.#cache();
    const todo = [...new Set(stale.map(docText).filter((t) => !known.has(t)))];
    for (let i = 0; i < todo.length; i += SYNC_CHUNK) {
      const chunk = todo.slice(i, i + SYNC_CHUNK);
      const vectors = await this.#embedder.embed(chunk, "document");
      chunk.forEach((t, j) => known.set(t, normalize(vectors[j]!)));
      this.#opts.progress?.(Math.min(i + SYNC_CHUNK, todo.length), todo.length);
    }
    for (const s of stale) {
      this.#vectors.set(s.name, { text: docText(s), vector: known.get(docText(s))! });
    }
    if (todo.length && this.#opts.cacheFile) await this.#save(live);
    this.#syncedVersion = version;
  }

  /**
   * The best `k` tools for `query`; call {@link sync} after the tool set changes. Nothing is
   * returned when none of the top `k` candidates reaches `minFit` ("nothing fits"); otherwise
   * the top `k` by fused score down to half the best one's, an exact name first.
   */
  async search(query: string, k = 5): Promise<ToolHit[]> {
    const { depth, minScore, minFit, weight, keywordScale } = this.#opts;
    const keyword = this.#source.search(query, depth, 0);
    const qv = normalize((await this.#embedder.embed([query], "query"))[0]!);
    const cosines = this.#cosines(qv);
    const semantic = this.#top(cosines, depth);
    const index = this.#matrix!.index;
    const kw = new Map(keyword.map((h) => [h.name, h.score]));
    const exact = keyword.find((h) => h.name.toLowerCase() === query.trim().toLowerCase())?.name;
    const names = new Set([...keyword.map((h) => h.name), ...semantic]);
    const ranked = [...names]
      .map((name) => {
        const i = index.get(name);
        const score = kw.get(name) ?? 0, cos = i === undefined ? 0 : cosines[i]!;
        return { name, score, cos, fused: score / keywordScale + weight * cos };
      })
      .sort((a, b) => Number(b.name === exact) - Number(a.name === exact) || b.fused - a.fused);
    const best = ranked[0];
    const fits = (c: { score: number; cos: number }) =>
      Math.min(c.score / minScore, 1.5) + weight * c.cos >= minFit;
    if (!best || (best.name !== exact && !ranked.slice(0, k).some(fits))) return [];
    return ranked.filter((c) => c.name === exact || c.fused >= RELATIVE_FLOOR * best.fused)
      .slice(0, k)
      .map((c) => ({ name: c.name, score: round(c.fused), spec: this.#source.spec(c.name)! }))
      .filter((h) => h.spec);
  }

  /** Cosine of `qv` with every tool vector, in matrix row order. */
  #cosines(qv: number[]): Float32Array {
    if (!this.#matrix) {
      const names = [...this.#vectors.keys()];
      const dim = qv.length;
      const data = new Float32Array(names.length * dim);
      names.forEach((n, r) => data.set(this.#vectors.get(n)!.vector.slice(0, dim), r * dim));
      this.#matrix = { names, index: new Map(names.map((n, i) => [n, i])), dim, data };
    }
    const { names, dim, data } = this.#matrix;
    const q = Float32Array.from(qv);
    const out = new Float32Array(names.length);
    const main = dim - (dim % 4);
    for (let r = 0, off = 0; r < names.length; r++, off += dim) {
      // Four partial sums: about 15% faster than one (fewer dependent additions).
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let j = 0; j < main; j += 4) {
        s0 += q[j]! * data[off + j]!;
        s1 += q[j + 1]! * data[off + j + 1]!;
        s2 += q[j + 2]! * data[off + j + 2]!;
        s3 += q[j + 3]! * data[off + j + 3]!;
      }
      for (let j = main; j < dim; j++) s0 += q[j]! * data[off + j]!;
      out[r] = s0 + s1 + s2 + s3;
    }
    return out;
  }

  /** Names of the `n` highest values (insertion into a short sorted list). */
  #top(values: Float32Array, n: number): string[] {
    const best: number[] = [];
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (best.length === n && v <= values[best[n - 1]!]!) continue;
      let at = best.length;
      while (at > 0 && values[best[at - 1]!]! < v) at--;
      best.splice(at, 0, i);
      if (best.length > n) best.pop();
    }
    return best.map((i) => this.#matrix!.names[i]!);
  }

  async #cache(): Promise<Map<string, number[]>> {
    if (this.#byText) return this.#byText;
    this.#byText = new Map();
    const file = this.#opts.cacheFile;
    if (!file) return this.#byText;
    try {
      const saved = JSON.parse(await Deno.readTextFile(file)) as {
        model?: string;
        vectors?: Record<string, string>;
      };
      if (saved.model === this.#embedder.model) {
        for (const [text, b64] of Object.entries(saved.vectors ?? {})) {
          const bytes = Buffer.from(b64, "base64");
          const floats = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
          this.#byText.set(text, [...floats]);
        }
      }
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) {
        throw new Error(`cannot read the tool vector cache "${file}": ${(e as Error).message}`);
      }
    }
    return this.#byText;
  }

  /** Writes the vectors of live tools (atomically: temp file, then rename). */
  async #save(live: Set<string>): Promise<void> {
    const file = this.#opts.cacheFile!;
    const vectors: Record<string, string> = {};
    for (const [name, v] of this.#vectors) {
      if (live.has(name)) {
        vectors[v.text] = Buffer.from(new Float32Array(v.vector).buffer).toString("base64");
      }
    }
    const tmp = `${file}.${Deno.pid}.tmp`;
    await Deno.writeTextFile(tmp, JSON.stringify({ model: this.#embedder.model, vectors }));
    await Deno.rename(tmp, file);
  }
}

/** The text embedded for a tool: its name as words and its description. */
export function docText(s: ToolSpec): string {
  return `${s.name.replace(/[_.]/g, " ")}: ${s.description}`.slice(0, 600).trim();
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
