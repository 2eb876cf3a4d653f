/**
 * The daemon's Prometheus metrics, hand-written in the text exposition format (no dependency):
 * `autoliza_cycle_duration_seconds` (histogram), `autoliza_tool_calls_total{tool,outcome}`,
 * `autoliza_model_tokens_total{kind}`, `autoliza_errors_total{kind}`, `autoliza_cycles_total
 * {status}` and a few gauges given at render time.
 */

/** Upper bounds of the cycle duration buckets, in seconds. */
export const CYCLE_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120] as const;

/** Counters and the cycle histogram. */
export class Metrics {
  readonly #buckets = CYCLE_BUCKETS.map(() => 0);
  #count = 0;
  #sum = 0;
  readonly #tools = new Map<string, number>();
  readonly #tokens = new Map<string, number>();
  readonly #errors = new Map<string, number>();
  readonly #cycles = new Map<string, number>();

  /** One finished cycle. */
  cycle(seconds: number, status: string): void {
    this.#count++;
    this.#sum += seconds;
    CYCLE_BUCKETS.forEach((b, i) => {
      if (seconds <= b) this.#buckets[i]!++;
    });
    bump(this.#cycles, status);
  }

  /** One tool call; `outcome` is `success` or the error code. */
  toolCall(tool: string, outcome: string): void {
    bump(this.#tools, `${tool}\u0000${outcome}`);
  }

  /** Model tokens by kind (`prompt`, `completion`). */
  tokens(kind: string, n: number): void {
    bump(this.#tokens, kind, n);
  }

  /** One error by kind (`cycle`, `context`, `write`, ...). */
  error(kind: string): void {
    bump(this.#errors, kind);
  }

  /** The text exposition; `gauges` are rendered as they are. */
  render(gauges: Record<string, number> = {}): string {
    const out: string[] = [
      "# HELP autoliza_cycle_duration_seconds Wall time of one decision cycle.",
      "# TYPE autoliza_cycle_duration_seconds histogram",
    ];
    CYCLE_BUCKETS.forEach((b, i) =>
      out.push(`autoliza_cycle_duration_seconds_bucket{le="${b}"} ${this.#buckets[i]}`)
    );
    out.push(`autoliza_cycle_duration_seconds_bucket{le="+Inf"} ${this.#count}`);
    out.push(`autoliza_cycle_duration_seconds_sum ${this.#sum}`);
    out.push(`autoliza_cycle_duration_seconds_count ${this.#count}`);
    counter(out, "autoliza_cycles_total", "Decision cycles by status.", this.#cycles, "status");
    out.push("# HELP autoliza_tool_calls_total Tool calls by tool and outcome.");
    out.push("# TYPE autoliza_tool_calls_total counter");
    for (const [key, n] of this.#tools) {
      const [tool, outcome] = key.split("\u0000");
      out.push(`autoliza_tool_calls_total{tool="${esc(tool!)}",outcome="${esc(outcome!)}"} ${n}`);
    }
    counter(out, "autoliza_model_tokens_total", "Model tokens by kind.", this.#tokens, "kind");
    counter(out, "autoliza_errors_total", "Errors by kind.", this.#errors, "kind");
    for (const [name, value] of Object.entries(gauges)) {
      out.push(`# TYPE ${name} gauge`, `${name} ${value}`);
    }
    return out.join("\n") + "\n";
  }
}

function counter(
  out: string[],
  name: string,
  help: string,
  values: Map<string, number>,
  label: string,
): void {
  out.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
  for (const [k, n] of values) out.push(`${name}{${label}="${esc(k)}"} ${n}`);
}

function bump(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

function esc(s: string): string {
  return s.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");
}
