/** The old agent's variety rules. */
import assert from "node:assert/strict";
import { ActionHistory } from "./variety.ts";

Deno.test("variety warns after three identical actions in a row", () => {
  const h = new ActionHistory();
  h.record(["update_scb"]);
  h.record(["update_scb", "update_scb"]);
  assert.match(h.notes().join("\n"), /used update_scb 3 times in a row/);
  h.record(["send_to_vtuber"]);
  assert.doesNotMatch(h.notes().join("\n"), /in a row/);
});

Deno.test("variety suggests each tool after its own number of idle cycles", () => {
  const h = new ActionHistory();
  for (let i = 0; i < 5; i++) h.record(["do_research"]);
  const five = h.notes().join("\n");
  assert.match(five, /update_scb has not been used for 5 cycles/);
  assert.doesNotMatch(five, /send_to_vtuber has not/);
  h.record([]);
  assert.match(h.notes().join("\n"), /send_to_vtuber has not been used for 6 cycles/);
  assert.doesNotMatch(h.notes().join("\n"), /update_context/);
  h.record(["update_context"]);
  assert.doesNotMatch(h.notes().join("\n"), /update_context/);
  assert.equal(h.cyclesSince("update_context"), 0);
});
