/**
 * Loads the word vector table of `word_vectors.ts`: from `<dataDir>/word_vectors/` when it was
 * derived before, else by streaming the npm package's JSON (only its first, most frequent words
 * are read: ~45 MB of the 300 MB, about a second) and saving the table there for the next start.
 * Returns undefined, with one warning, when the package is not installed or cannot be read: search
 * then runs without the semantic soft match.
 */
import { QuantizedWordVectors, WORD_VECTORS_PACKAGE } from "./word_vectors.ts";

/** Options of {@link loadWordVectors}. */
export interface LoadWordVectorsOptions {
  /** Most frequent words kept; default 50,000. */
  maxWords?: number;
  /** Where the package's JSON is; default resolved from the import map. */
  source?: string;
  warn?: (line: string) => void;
}

const DIM = 100;

/** The table for `dataDir`, derived on first use; undefined when the package is unavailable. */
export async function loadWordVectors(
  dataDir: string,
  o: LoadWordVectorsOptions = {},
): Promise<QuantizedWordVectors | undefined> {
  const warn = o.warn ?? ((line) => console.warn(line));
  const maxWords = o.maxWords ?? 50_000;
  let source: string;
  try {
    source = o.source ?? packageJsonPath();
  } catch (e) {
    warn(`Memory search runs without word vectors: ${(e as Error).message}`);
    return undefined;
  }
  const version = source.match(/\/(\d[^/]*)\/[^/]+$/)?.[1] ?? "unknown";
  const dir = `${dataDir.replace(/\/+$/, "")}/word_vectors`;
  const file = `${dir}/${WORD_VECTORS_PACKAGE}-${version}-${maxWords}.wvec`;
  try {
    return QuantizedWordVectors.deserialize(await Deno.readFile(file));
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) {
      warn(`Cannot read "${file}", deriving it again: ${e}`);
    }
  }
  let table: QuantizedWordVectors;
  try {
    table = QuantizedWordVectors.fromFloats(await readWinkVectors(source, maxWords), DIM);
  } catch (e) {
    warn(`Memory search runs without word vectors: cannot read "${source}": ${e}`);
    return undefined;
  }
  try {
    await Deno.mkdir(dir, { recursive: true });
    const tmp = `${file}.${crypto.randomUUID()}.tmp`;
    await Deno.writeFile(tmp, table.serialize());
    await Deno.rename(tmp, file);
  } catch (e) {
    warn(`Cannot save word vectors to "${file}" (derived again next start): ${e}`);
  }
  return table;
}

/** The package's JSON file, resolved through the import map (a file in DENO_DIR). */
function packageJsonPath(): string {
  const url = import.meta.resolve(WORD_VECTORS_PACKAGE);
  if (!url.startsWith("file:")) throw new Error(`${WORD_VECTORS_PACKAGE} resolved to ${url}`);
  return decodeURIComponent(new URL(url).pathname);
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
