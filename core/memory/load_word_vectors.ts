/**
 * Loads the word vector table of `word_vectors.ts`, shipped with the code as
 * `core/memory/data/word_vectors.wvec` (5.4 MB; derived by data/derive_word_vectors.ts). Returns
 * undefined, with one warning, when it cannot be read: search then runs without the semantic
 * soft match.
 */
import { QuantizedWordVectors } from "./word_vectors.ts";

/** The shipped table. */
export const WORD_VECTORS_FILE = new URL("./data/word_vectors.wvec", import.meta.url);

/** Options of {@link loadWordVectors}. */
export interface LoadWordVectorsOptions {
  /** Another table file (tests); default the shipped one. */
  file?: string | URL;
  warn?: (line: string) => void;
}

/** The table, or undefined (after a warning) when it is missing or damaged. */
export async function loadWordVectors(
  o: LoadWordVectorsOptions = {},
): Promise<QuantizedWordVectors | undefined> {
  const file = o.file ?? WORD_VECTORS_FILE;
  try {
    return QuantizedWordVectors.deserialize(await Deno.readFile(file));
  } catch (e) {
    const warn = o.warn ?? ((line) => console.warn(line));
    warn(`Memory search runs without word vectors: cannot read "${file}": ${e}`);
    return undefined;
  }
}
