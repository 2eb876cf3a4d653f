/**
 * Tokenising for the offline embedder: lower-cased words, a light English suffix stemmer, a
 * stopword list, word bigrams and character trigrams. Deterministic and dependency-free.
 */

const STOPWORDS = new Set(
  ("a an and are as at be been being but by can could did do does doing done for from had has " +
    "have having he her hers him his how i if in into is it its itself just me my myself no nor " +
    "not of on or our ours she should so some such than that the their theirs them then there " +
    "these they this those to too very was we were what when where which while who whom why " +
    "will with would you your yours yourself about after again all am any because before below " +
    "between both during each few further here more most other over own same through under " +
    "until up down out off once only s t don now ll re ve d m o y also get got yeah oh hey hi " +
    "really lot like thanks thank wow").split(" "),
);

/** True when `word` (lower case) carries little meaning for retrieval. */
export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}

/** Lower-cased words of `text` (letters and digits; apostrophes dropped). */
export function words(text: string): string[] {
  return text.toLowerCase().replace(/['’]/g, "").match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** A light suffix stemmer (plural, -ing, -ed, -ly, -ies); conservative on short words. */
export function stem(word: string): string {
  if (word.length <= 3 || /^\d+$/.test(word)) return word;
  let w = word;
  if (w.endsWith("ies") && w.length > 4) w = w.slice(0, -3) + "y";
  else if (w.endsWith("sses")) w = w.slice(0, -2);
  else if (w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us") && !w.endsWith("is")) {
    w = w.slice(0, -1);
  }
  if (w.length > 5 && w.endsWith("ing")) w = undouble(w.slice(0, -3));
  else if (w.length > 4 && w.endsWith("ed")) w = undouble(w.slice(0, -2));
  else if (w.length > 4 && w.endsWith("ly")) w = w.slice(0, -2);
  if (w.length > 4 && w.endsWith("e")) w = w.slice(0, -1);
  return w;
}

function undouble(w: string): string {
  const n = w.length;
  if (n > 3 && w[n - 1] === w[n - 2] && !"lsz".includes(w[n - 1]!)) return w.slice(0, -1);
  return w;
}

/** A weighted feature of a text. */
export interface Feature {
  key: string;
  weight: number;
}

/** Content stems, adjacent-stem bigrams and character trigrams of the stems, weighted. */
export function features(text: string): Feature[] {
  const stems = words(text).filter((w) => !isStopword(w)).map(stem);
  const out: Feature[] = [];
  for (const s of stems) {
    out.push({ key: `w:${s}`, weight: 1 });
    const padded = `<${s}>`;
    const grams = Math.max(1, padded.length - 2);
    for (let i = 0; i + 3 <= padded.length; i++) {
      out.push({ key: `c:${padded.slice(i, i + 3)}`, weight: 0.35 / Math.sqrt(grams) });
    }
  }
  for (let i = 0; i + 1 < stems.length; i++) {
    out.push({ key: `b:${stems[i]} ${stems[i + 1]}`, weight: 0.5 });
  }
  return out;
}
