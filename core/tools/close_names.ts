/**
 * "Did you mean": names close to a mistyped one (edit distance, shared prefix or substring), so
 * an unknown-tool error teaches the model the right name instead of just failing.
 */

/** Up to `max` names from `names` that look like `wanted`, closest first. */
export function closeNames(wanted: string, names: Iterable<string>, max = 3): string[] {
  const w = wanted.toLowerCase();
  const scored: [string, number][] = [];
  for (const name of names) {
    const n = name.toLowerCase();
    let d = editDistance(w, n);
    if (n.includes(w) || w.includes(n)) d = Math.min(d, 1);
    const limit = Math.max(2, Math.floor(Math.max(w.length, n.length) / 3));
    if (d <= limit) scored.push([name, d]);
  }
  return scored.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).slice(0, max).map(
    ([n]) => n,
  );
}

/** Levenshtein distance, two rows. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    prev = cur;
  }
  return prev[b.length]!;
}
