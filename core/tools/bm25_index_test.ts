import assert from "node:assert/strict";
import { Bm25Index } from "./bm25_index.ts";

function sample(): Bm25Index {
  const index = new Bm25Index({ weights: { name: 2 } });
  index.index([
    { id: "weather", fields: { name: "get_weather", text: "Current weather for a city" } },
    { id: "email", fields: { name: "send_email", text: "Send an email message" } },
    { id: "file", fields: { name: "read_file", text: "Read a file from disk" } },
  ]);
  return index;
}

Deno.test("bm25 ranks the document that shares the query's terms first", () => {
  const hits = sample().search("what is the weather in Paris", 3);
  assert.equal(hits[0]?.id, "weather");
  assert.equal(hits.length, 1, "documents sharing no term are not returned");
});

Deno.test("bm25 weights the name field above the text field", () => {
  const index = new Bm25Index({ weights: { name: 3, text: 1 } });
  index.index([
    { id: "a", fields: { name: "archive", text: "store old mail messages somewhere" } },
    { id: "b", fields: { name: "mail_send", text: "deliver a message to someone" } },
  ]);
  assert.equal(index.search("mail", 2)[0]?.id, "b");
});

Deno.test("bm25 replaces a document indexed again under the same id", () => {
  const index = sample();
  index.index([{ id: "email", fields: { name: "send_sms", text: "Send a text message" } }]);
  assert.equal(index.size, 3);
  assert.deepEqual(index.search("email", 3), []);
  assert.equal(index.search("sms", 3)[0]?.id, "email");
});

Deno.test("bm25 forgets removed documents and reuses their slots", () => {
  const index = sample();
  index.remove(["weather", "missing"]);
  assert.equal(index.size, 2);
  assert.deepEqual(index.search("weather", 3), []);
  index.index([{ id: "clock", fields: { name: "current_time", text: "Current time" } }]);
  assert.equal(index.size, 3);
  assert.equal(index.search("time", 3)[0]?.id, "clock");
});

Deno.test("bm25 returns at most k results, best first", () => {
  const index = new Bm25Index();
  index.index(Array.from({ length: 20 }, (_, i) => ({
    id: `t${i}`,
    fields: { text: "report ".repeat(1 + (i % 5)) + "filler words here" },
  })));
  const hits = index.search("report", 4);
  assert.equal(hits.length, 4);
  for (let i = 1; i < hits.length; i++) assert.ok(hits[i - 1]!.score >= hits[i]!.score);
});
