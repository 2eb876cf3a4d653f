/**
 * Usage accounting: every model request with its tokens, time and cost, and totals per task
 * (or session) and overall. The REPL's `:cost` prints these. Cost uses the configured prices
 * per million tokens; with no prices configured every cost is 0.
 */
import type { ChatResponse, ModelClient, Usage } from "./types.ts";

/** Prices per million tokens, in the currency the operator configured. */
export interface Prices {
  inputPricePerM: number;
  outputPricePerM: number;
}

/** One recorded request. */
export interface LedgerEntry {
  seq: number;
  task: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  source: Usage["source"];
  ms: number;
  cost: number;
}

/** Sums over a set of entries. */
export interface UsageTotals {
  requests: number;
  promptTokens: number;
  completionTokens: number;
  ms: number;
  cost: number;
}

/** The task name used when a call names none. */
export const DEFAULT_TASK = "session";

/** Keeps every request's usage; cheap enough to keep for a whole daemon lifetime. */
export class UsageLedger {
  readonly #prices: Prices;
  readonly #entries: LedgerEntry[] = [];

  constructor(prices: Prices = { inputPricePerM: 0, outputPricePerM: 0 }) {
    // Accepts config.model as is: only the two price keys are read.
    for (const key of ["inputPricePerM", "outputPricePerM"] as const) {
      const value = prices[key];
      if (!Number.isFinite(value) || value < 0) {
        throw new RangeError(`UsageLedger: ${key} must be a number >= 0, got ${value}`);
      }
    }
    this.#prices = {
      inputPricePerM: prices.inputPricePerM,
      outputPricePerM: prices.outputPricePerM,
    };
  }

  /** Records one response against `task` and returns the entry with its cost. */
  record(response: Pick<ChatResponse, "usage" | "model" | "ms">, task = DEFAULT_TASK): LedgerEntry {
    const { promptTokens, completionTokens, source } = response.usage;
    const entry: LedgerEntry = {
      seq: this.#entries.length + 1,
      task,
      model: response.model,
      promptTokens,
      completionTokens,
      source,
      ms: response.ms,
      cost: this.cost(promptTokens, completionTokens),
    };
    this.#entries.push(entry);
    return entry;
  }

  /** The cost of a number of prompt and completion tokens. */
  cost(promptTokens: number, completionTokens: number): number {
    return (promptTokens * this.#prices.inputPricePerM +
      completionTokens * this.#prices.outputPricePerM) / 1_000_000;
  }

  /** Every entry in order, optionally only those of one task. */
  entries(task?: string): readonly LedgerEntry[] {
    return task === undefined ? [...this.#entries] : this.#entries.filter((e) => e.task === task);
  }

  /** Totals over all entries, or over one task's. */
  totals(task?: string): UsageTotals {
    return sum(this.entries(task));
  }

  /** Totals per task, in order of each task's first request. */
  byTask(): Map<string, UsageTotals> {
    const groups = new Map<string, LedgerEntry[]>();
    for (const e of this.#entries) groups.set(e.task, [...(groups.get(e.task) ?? []), e]);
    return new Map([...groups].map(([task, list]) => [task, sum(list)]));
  }
}

function sum(entries: readonly LedgerEntry[]): UsageTotals {
  const t: UsageTotals = { requests: 0, promptTokens: 0, completionTokens: 0, ms: 0, cost: 0 };
  for (const e of entries) {
    t.requests++;
    t.promptTokens += e.promptTokens;
    t.completionTokens += e.completionTokens;
    t.ms += e.ms;
    t.cost += e.cost;
  }
  return t;
}

/** Wraps a client so that every successful reply is recorded in `ledger` (billed to `task`). */
export function meteredClient(inner: ModelClient, ledger: UsageLedger): ModelClient {
  return {
    get model() {
      return inner.model;
    },
    supportsTools: () => inner.supportsTools(),
    async chat(request, options) {
      const response = await inner.chat(request, options);
      ledger.record(response, options?.task);
      return response;
    },
  };
}
