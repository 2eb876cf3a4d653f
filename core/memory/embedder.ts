/**
 * The embedder contract: texts in, unit vectors of a fixed dimension out. Implementations: the
 * offline lexical {@link HashEmbedder} (default) and an OpenAI-compatible HTTP client.
 */

/** Turns texts into vectors of length `dim`. */
export interface Embedder {
  /** Model name, part of cache keys and stored in `metadata.embeddingModel`. */
  readonly model: string;
  readonly dim: number;
  /** One vector per text, in order. `kind` lets asymmetric models treat queries differently. */
  embed(texts: string[], kind?: "document" | "query"): Promise<number[][]>;
}

/** Scales `v` to unit length in place (a zero vector stays zero); returns it. */
export function normalize(v: number[]): number[] {
  let sum = 0;
  for (const x of v) sum += x * x;
  if (sum === 0) return v;
  const inv = 1 / Math.sqrt(sum);
  for (let i = 0; i < v.length; i++) v[i] = v[i]! * inv;
  return v;
}

/** pgvector's text form of a vector, bound as a parameter and cast with `::vector`. */
export function toVectorLiteral(v: number[]): string {
  return `[${v.map((x) => (Number.isFinite(x) ? Math.fround(x) : 0)).join(",")}]`;
}

/**
 * Vectors for indexing: the text's vector plus half the vector of its optional context
 * (neighbouring turns), renormalised. One batched `embed` call for all texts and contexts.
 */
export async function embedForIndex(
  embedder: Embedder,
  items: { text: string; context?: string | undefined }[],
): Promise<number[][]> {
  if (!items.length) return [];
  const contexts = items.map((it, i) => [it.context, i] as const).filter(([c]) => c?.trim());
  const vectors = await embedder.embed(
    [...items.map((it) => it.text), ...contexts.map(([c]) => c!)],
    "document",
  );
  const out = vectors.slice(0, items.length);
  contexts.forEach(([, i], j) => {
    const ctx = vectors[items.length + j]!;
    out[i] = normalize(out[i]!.map((x, k) => x + 0.5 * ctx[k]!));
  });
  return out;
}
