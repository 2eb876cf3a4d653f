/** The near-duplicate-aware recall of bench/tools_ceiling.ts, on a tiny catalogue with a fake embedder. */
import assert from "node:assert/strict";
import { toolsCeiling } from "./tools_ceiling.ts";
import type { LabelledQuery } from "../core/tools/bench_data.ts";
import type { ToolSpec } from "../core/tools/tool_spec.ts";

const tool = (name: string, description: string): ToolSpec => ({
  name,
  description,
  parameters: { type: "object", properties: {} },
  source: "test",
});

/** Weather texts point one way, everything else another; "dice" texts a third way. */
const fake = {
  model: "fake",
  embed: (texts: string[]) =>
    Promise.resolve(
      texts.map((t) =>
        /weather|forecast|sky/i.test(t) ? [1, 0, 0] : /dice/i.test(t) ? [0, 0, 1] : [0, 1, 0]
      ),
    ),
};

Deno.test("a returned near-duplicate of the gold tool counts only in the second figure", async () => {
  const catalog = [
    ...[1, 2, 3, 4, 5, 6].map((i) =>
      tool(`weather_${i}`, `Weather forecast for a city, variant ${i}`)
    ),
    tool("sky_report", "Tells what the sky will do"), // gold: same meaning, no shared keyword
    tool("roll_dice", "Rolls dice and returns the total"),
    tool("dice_odds", "Odds of a dice total"),
  ];
  const queries: LabelledQuery[] = [
    { query: "weather forecast for Paris", gold: ["sky_report"], group: "simple" },
    { query: "weather forecast for Rome", gold: ["dice_odds"], group: "simple" },
  ];
  const r = await toolsCeiling(fake, { catalog, queries });
  assert.equal(r.queries, 2);
  assert.equal(r.recall_at_5, 0);
  assert.equal(r.recall_at_5_near_duplicates, 0.5);
  assert.deepEqual(r.lost, { near_duplicate: 0.5, nothing_fits: 0, other: 0.5 });
});
