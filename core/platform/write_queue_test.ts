/** The loop's write-behind queue keeps order and retries a failing write until it commits. */
import assert from "node:assert/strict";
import { memoryLogger } from "../log.ts";
import { WriteQueue } from "./write_queue.ts";

Deno.test("write queue retries a failing write until it commits, in order", async () => {
  const { logger, records } = memoryLogger();
  const q = new WriteQueue({ log: logger, backoffMs: 1, maxBackoffMs: 2 });
  const done: string[] = [];
  let failures = 3;
  q.push("a", () => {
    if (failures-- > 0) return Promise.reject(new Error("connection refused"));
    done.push("a");
    return Promise.resolve();
  });
  q.push("b", () => Promise.resolve(void done.push("b")));
  assert.equal(await q.flush(2_000), 0);
  assert.deepEqual(done, ["a", "b"]);
  assert.equal(q.retries, 3);
  assert.equal(q.committed, 2);
  assert.equal(records.filter((r) => r.event === "write_retry").length, 3);
});

Deno.test("write queue flush reports writes that could not commit in time", async () => {
  const q = new WriteQueue({ log: memoryLogger().logger, backoffMs: 5, maxBackoffMs: 5 });
  q.push("never", () => Promise.reject(new Error("down")));
  assert.equal(await q.flush(30), 1);
  q.stop();
  await new Promise((r) => setTimeout(r, 10));
});
