/** The daemon's approval queue and the console's escaping template. */
import assert from "node:assert/strict";
import { memoryLogger } from "../log.ts";
import { ToolApprovals } from "./tool_approvals.ts";
import { html } from "./html.ts";

Deno.test("a waiting call is approved, rejected or denied when its time runs out", async () => {
  const { logger, records } = memoryLogger();
  const q = new ToolApprovals({ timeoutMs: 50, log: logger });
  const first = q.approver({ tool: "make_api_post", args: { url: "x" }, sessionId: "cycle-7" });
  const second = q.approver({ tool: "make_api_post", args: {}, sessionId: "cycle-8" });
  const [a, b] = q.pending();
  assert.equal(q.pending().length, 2);
  assert.equal(q.decide(a!.id, true), true);
  assert.equal(q.decide(a!.id, false), false, "decided once");
  assert.equal(await first, true);
  assert.equal(q.decide(b!.id, false), true);
  assert.equal(await second, false);
  const third = q.approver({ tool: "make_api_post", args: {}, sessionId: "cycle-9" });
  assert.equal(await third, false, "no decision within the timeout denies");
  assert.deepEqual(q.decided().map((d) => d.outcome), ["timed out", "rejected", "approved"]);
  assert.deepEqual(q.forSession("cycle-7").map((d) => d.outcome), ["approved"]);
  assert.equal(records.filter((r) => r.event === "tool_approval").length, 3);
});

Deno.test("the console's template escapes every value it is given", () => {
  const evil = `<script>alert(1)</script>" onmouseover="x`;
  const out = html`<p title="${evil}">${evil}${[evil]}${html`<b>${evil}</b>`}</p>`.text;
  assert.doesNotMatch(out, /<script>|" onmouseover/);
  assert.match(out, /<b>&lt;script&gt;/);
});
