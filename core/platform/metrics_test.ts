/** The Prometheus text exposition. */
import assert from "node:assert/strict";
import { Metrics } from "./metrics.ts";

Deno.test("metrics render a cumulative histogram and labelled counters", () => {
  const m = new Metrics();
  m.cycle(0.07, "ok");
  m.cycle(3, "failed");
  m.toolCall("send_to_vtuber", "success");
  m.toolCall("send_to_vtuber", "success");
  m.toolCall("update_scb", "failed");
  m.tokens("prompt", 120);
  m.error("context");
  const text = m.render({ autoliza_write_queue_pending: 2 });
  assert.match(text, /autoliza_cycle_duration_seconds_bucket\{le="0.05"\} 0\n/);
  assert.match(text, /autoliza_cycle_duration_seconds_bucket\{le="0.1"\} 1\n/);
  assert.match(text, /autoliza_cycle_duration_seconds_bucket\{le="5"\} 2\n/);
  assert.match(text, /autoliza_cycle_duration_seconds_bucket\{le="\+Inf"\} 2\n/);
  assert.match(text, /autoliza_cycle_duration_seconds_count 2\n/);
  assert.match(text, /autoliza_tool_calls_total\{tool="send_to_vtuber",outcome="success"\} 2\n/);
  assert.match(text, /autoliza_tool_calls_total\{tool="update_scb",outcome="failed"\} 1\n/);
  assert.match(text, /autoliza_model_tokens_total\{kind="prompt"\} 120\n/);
  assert.match(text, /autoliza_errors_total\{kind="context"\} 1\n/);
  assert.match(text, /autoliza_cycles_total\{status="failed"\} 1\n/);
  assert.match(text, /autoliza_write_queue_pending 2\n/);
});
