/** Behaviour of usage accounting: cost, totals per task, metering. */
import assert from "node:assert/strict";
import type { ChatResponse, ModelClient } from "./types.ts";
import { meteredClient, UsageLedger } from "./usage_ledger.ts";

function reply(prompt: number, completion: number, ms = 10): ChatResponse {
  return {
    message: { content: "ok", toolCalls: [] },
    usage: { promptTokens: prompt, completionTokens: completion, source: "api" },
    finishReason: "stop",
    model: "m",
    ms,
    toolMode: "native",
  };
}

Deno.test("ledger prices each request from the per-million prices", () => {
  const ledger = new UsageLedger({ inputPricePerM: 0.15, outputPricePerM: 0.6 });
  const entry = ledger.record(reply(1_000_000, 500_000), "t1");
  assert.ok(Math.abs(entry.cost - 0.45) < 1e-12, `cost ${entry.cost}`);
  assert.equal(entry.task, "t1");
  assert.equal(entry.seq, 1);
});

Deno.test("ledger totals per task and overall", () => {
  const ledger = new UsageLedger({ inputPricePerM: 1, outputPricePerM: 2 });
  ledger.record(reply(100, 10, 5), "a");
  ledger.record(reply(200, 20, 7), "b");
  ledger.record(reply(300, 30, 9), "a");
  assert.deepEqual(ledger.totals("a"), {
    requests: 2,
    promptTokens: 400,
    completionTokens: 40,
    ms: 14,
    cost: (400 + 80) / 1e6,
  });
  assert.equal(ledger.totals().promptTokens, 600);
  assert.deepEqual([...ledger.byTask().keys()], ["a", "b"]);
  assert.equal(ledger.entries("b").length, 1);
});

Deno.test("ledger without prices costs nothing and bills to the session", () => {
  const ledger = new UsageLedger();
  const entry = ledger.record(reply(10, 10));
  assert.equal(entry.cost, 0);
  assert.equal(entry.task, "session");
});

Deno.test("ledger rejects a negative price by name", () => {
  assert.throws(
    () => new UsageLedger({ inputPricePerM: -1, outputPricePerM: 0 }),
    /inputPricePerM must be/,
  );
});

Deno.test("a metered client records each reply under the call's task", async () => {
  const inner: ModelClient = {
    model: "m",
    supportsTools: () => true,
    chat: () => Promise.resolve(reply(7, 3)),
  };
  const ledger = new UsageLedger();
  const client = meteredClient(inner, ledger);
  await client.chat({ messages: [] }, { task: "cycle-1" });
  await client.chat({ messages: [] });
  assert.deepEqual(ledger.entries().map((e) => [e.task, e.promptTokens]), [["cycle-1", 7], [
    "session",
    7,
  ]]);
  assert.equal(client.supportsTools(), true);
});
