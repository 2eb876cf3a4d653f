/**
 * Self-analysis: finds repeated patterns in recorded cells and suggests functions to generate.
 * Cells are normalised (normalize_code.ts), grouped by exact normal form, then groups whose
 * forms are similar (3-gram Jaccard >= threshold) are merged. Each group with enough uses is a
 * candidate; literals that vary across uses become its parameters. Savings estimate: every
 * future use costs a call instead of the code, so saved = uses x (code tokens - call tokens).
 * Nothing is generated here: suggestions wait for approval.
 */
import { countTokens } from "../model/mod.ts";
import type { HistoryRecord } from "./history_record.ts";
import { normalizeCode, type NormalizedCode, similarity } from "./normalize_code.ts";

/** A suggested function. */
export interface Suggestion {
  /** A proposed snake_case name, from the calls the pattern makes. */
  name: string;
  description: string;
  occurrences: number;
  /** Indexes into the records analysed. */
  records: number[];
  /** The first occurrence's code. */
  example: string;
  /** Literal positions that differ between uses: the function's parameters. */
  parameters: { name: string; examples: unknown[] }[];
  /** Mean tokens of the repeated code. */
  codeTokens: number;
  /** Tokens of a call to the suggested function. */
  callTokens: number;
  /** uses x (codeTokens - callTokens). */
  estimatedTokensSaved: number;
  /** Mean similarity of the members to the first (1 = identical structure). */
  cohesion: number;
}

/** Knobs of {@link analyzeHistory}. */
export interface AnalyzeOptions {
  /** Fewest uses that make a pattern. Default 2. */
  minOccurrences?: number;
  /** Similarity needed to merge two forms. Default 0.8. */
  threshold?: number;
  /** Cells shorter than this many normal-form tokens are ignored. Default 12. */
  minTokens?: number;
  /** At most this many suggestions, best first. Default 10. */
  limit?: number;
}

interface Group {
  forms: NormalizedCode[];
  members: number[];
}

/** Finds repeated successful cells and returns suggestions, largest saving first. */
export async function analyzeHistory(
  records: readonly HistoryRecord[],
  options: AnalyzeOptions = {},
): Promise<Suggestion[]> {
  const minOcc = options.minOccurrences ?? 2;
  const threshold = options.threshold ?? 0.8;
  const minTokens = options.minTokens ?? 12;
  const exact = new Map<string, Group>();
  records.forEach((r, i) => {
    if (r.kind !== "cell" || !r.ok) return;
    const form = normalizeCode(r.code);
    if (!form || form.tokens.length < minTokens) return;
    const g = exact.get(form.key);
    if (g) {
      g.forms.push(form);
      g.members.push(i);
    } else exact.set(form.key, { forms: [form], members: [i] });
  });
  const groups: Group[] = [];
  for (const g of exact.values()) {
    const near = groups.find((h) =>
      similarity(h.forms[0]!.tokens, g.forms[0]!.tokens) >= threshold
    );
    if (near) {
      near.forms.push(...g.forms);
      near.members.push(...g.members);
    } else groups.push({ forms: [...g.forms], members: [...g.members] });
  }
  const out: Suggestion[] = [];
  const names = new Set<string>();
  for (const g of groups) {
    if (g.members.length < minOcc) continue;
    out.push(await suggest(g, records, names));
  }
  return out.filter((s) => s.estimatedTokensSaved > 0)
    .sort((a, b) => b.estimatedTokensSaved - a.estimatedTokensSaved)
    .slice(0, options.limit ?? 10);
}

async function suggest(g: Group, records: readonly HistoryRecord[], taken: Set<string>) {
  const order = g.members.map((m, i) => [m, g.forms[i]!] as const).sort((a, b) => a[0] - b[0]);
  const members = order.map(([m]) => m);
  const forms = order.map(([, f]) => f);
  const first = forms[0]!;
  const sameShape = forms.filter((f) => f.key === first.key);
  const parameters: Suggestion["parameters"] = [];
  first.literals.forEach((lit, pos) => {
    const values = sameShape.map((f) => f.literals[pos]);
    if (values.some((v) => JSON.stringify(v) !== JSON.stringify(lit))) {
      parameters.push({ name: `p${parameters.length + 1}`, examples: values });
    }
  });
  const codes = members.map((m) => records[m]!.code);
  let codeTokens = 0;
  for (const c of codes) codeTokens += await countTokens(c);
  codeTokens = Math.round(codeTokens / codes.length);
  const name = uniqueName(proposeName(first), taken);
  const args = parameters.map((p) => JSON.stringify(p.examples[0])).join(", ");
  const callTokens = await countTokens(`const r = await ${name}(${args});`);
  const cohesion = forms.reduce((s, f) => s + similarity(first.tokens, f.tokens), 0) / forms.length;
  const calls = callNames(first);
  return {
    name,
    description:
      `Repeated ${members.length}x: ${calls.length ? calls.join(", ") : "the same code"}` +
      (parameters.length ? ` with ${parameters.length} varying value(s)` : ""),
    occurrences: members.length,
    records: members,
    example: codes[0]!,
    parameters,
    codeTokens,
    callTokens,
    estimatedTokensSaved: members.length * (codeTokens - callTokens),
    cohesion: Math.round(cohesion * 1000) / 1000,
  };
}

const COMMON = new Set([
  "log",
  "info",
  "map",
  "filter",
  "reduce",
  "then",
  "push",
  "join",
  "split",
  "slice",
  "toFixed",
  "forEach",
  "sort",
  "parse",
  "stringify",
  "keys",
  "values",
  "entries",
  "includes",
  "trim",
]);

/** Distinctive called names (library methods left out), at most four. */
function callNames(form: NormalizedCode): string[] {
  return form.calls.filter((c) => !COMMON.has(c)).slice(0, 4);
}

function proposeName(form: NormalizedCode): string {
  const words = callNames(form).map((n) => n.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase());
  return words.length ? words.slice(0, 2).join("_and_") : "repeated_pattern";
}

function uniqueName(base: string, taken: Set<string>): string {
  let name = base.replace(/[^a-z0-9_]/g, "_").slice(0, 48);
  for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
  taken.add(name);
  return name;
}
