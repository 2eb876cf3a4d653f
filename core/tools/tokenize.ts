/**
 * Turns names, descriptions and queries into search terms: splits snake_case, camelCase and
 * dotted names, lower-cases, drops English stop words and applies a light suffix stemmer, so
 * "getWeatherForecasts" and "get weather forecast" meet on the same terms.
 */

const STOP_WORDS = new Set(
  ("a an and are as at be been but by can could do does did for from has have how i if in " +
    "into is it its me my of on or our please should so than that the their them then there " +
    "these this those to us was we were what when where which who will with would you your " +
    "given using use used based also any all each such via will just want need like some " +
    "help hi hello thanks thank tell know let looking wondering able possible ok okay really im")
    .split(
      " ",
    ),
);

/** Words whose trailing "s" is not a plural. */
const KEEP = new Set([
  "news",
  "series",
  "species",
  "physics",
  "mathematics",
  "economics",
  "politics",
  "always",
  "perhaps",
  "lens",
  "gas",
  "bias",
  "atlas",
  "canvas",
]);

/** Splits text into lower-case word pieces, breaking snake_case, camelCase and digits apart. */
export function splitWords(text: string): string[] {
  const spaced = text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .replace(/([a-zA-Z])([0-9])/g, "$1 $2")
    .replace(/([0-9])([a-zA-Z])/g, "$1 $2");
  return spaced.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 0);
}

/**
 * Light stemmer: strips common English inflections (plural, -ing, -ed, -ly) but not
 * derivational suffixes, so it rarely merges unrelated words. Deterministic and cheap.
 */
export function stem(word: string): string {
  if (word.length <= 3 || KEEP.has(word)) return word;
  let w = word;
  if (w.endsWith("ies") && w.length > 4) w = w.slice(0, -3) + "y";
  else if (w.endsWith("sses")) w = w.slice(0, -2);
  else if (w.endsWith("es") && /(ch|sh|x|z)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us") && !w.endsWith("is")) {
    w = w.slice(0, -1);
  }
  if (w.length > 5 && w.endsWith("ing")) w = undouble(w.slice(0, -3));
  else if (w.length > 4 && w.endsWith("ed")) w = undouble(w.slice(0, -2));
  else if (w.length > 5 && w.endsWith("ly")) w = w.slice(0, -2);
  if (w.length > 3 && w.endsWith("e")) w = w.slice(0, -1);
  return w;
}

function undouble(w: string): string {
  const n = w.length;
  if (n >= 2 && w[n - 1] === w[n - 2] && !/[lsz]/.test(w[n - 1]!)) return w.slice(0, -1);
  return w;
}

/** The search term of one lower-case word piece, or undefined for a stop word or a number. */
export function wordTerm(word: string): string | undefined {
  if (STOP_WORDS.has(word) || /^[0-9]+$/.test(word)) return undefined;
  return stem(word);
}

/** Search terms of a text: split, stop words removed, stemmed. Repeats are kept (they count). */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const word of splitWords(text)) {
    const term = wordTerm(word);
    if (term !== undefined) out.push(term);
  }
  return out;
}
