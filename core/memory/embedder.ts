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
