/**
 * The daemon's Prometheus metrics, hand-written in the text exposition format (no dependency):
 * `autoliza_cycle_duration_seconds` (histogram), `autoliza_tool_calls_total{tool,outcome}`,
 * `autoliza_model_tokens_total{kind}`, `autoliza_errors_total{kind}`, `autoliza_cycles_total
 * {status}` and gauges given at render time. Every family has its HELP and TYPE lines from the
 * first scrape, samples or not (checked with `promtool check metrics`); a gauge's HELP comes from
 * {@link GAUGE_HELP} or is given with its value.
 */

/** HELP text of the gauges the daemon renders; add a line here when you add a gauge. */
export const GAUGE_HELP: Record<string, string> = {
  autoliza_up: "1 while the daemon runs.",
  autoliza_write_queue_pending: "Memory and tool_usage writes waiting in the write queue.",
};

/** A gauge value, or a value with its HELP text when the name is not in {@link GAUGE_HELP}. */
export type GaugeValue = number | { value: number; help: string };

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

  /** The text exposition; `gauges` are rendered after the counters. */
  render(gauges: Record<string, GaugeValue> = {}): string {
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
    for (const [name, g] of Object.entries(gauges)) {
      const value = typeof g === "number" ? g : g.value;
      const help = typeof g === "number" ? GAUGE_HELP[name] ?? `Gauge ${name}.` : g.help;
      out.push(`# HELP ${name} ${escHelp(help)}`, `# TYPE ${name} gauge`, `${name} ${value}`);
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

function escHelp(s: string): string {
  return s.replaceAll("\\", "\\\\").replaceAll("\n", "\\n");
}

function esc(s: string): string {
  return s.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");
}
