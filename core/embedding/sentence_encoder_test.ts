import assert from "node:assert/strict";
import { SentenceEncoder } from "./sentence_encoder.ts";

const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);

Deno.test("sentence encoder: unit vectors that put paraphrases nearer than unrelated text", async () => {
  const enc = new SentenceEncoder();
  try {
    const [q, para, other] = await enc.embed([
      "what will the weather be like in Paris tomorrow",
      "get the forecast for a city",
      "compute the area of a triangle from its sides",
    ]);
    assert.equal(q!.length, 512);
    assert.ok(Math.abs(dot(q!, q!) - 1) < 1e-6);
    assert.ok(dot(q!, para!) > dot(q!, other!) + 0.1, "paraphrase not nearer");
    // Batches larger than the worker's batch size keep order.
    const texts = Array.from({ length: 40 }, (_, i) => `item ${i}`);
    const many = await enc.embed([...texts, "get the forecast for a city"]);
    assert.equal(many.length, 41);
    assert.ok(Math.abs(dot(many[40]!, para!) - 1) < 1e-5);
    assert.deepEqual(await enc.embed([]), []);
  } finally {
    enc.close();
  }
});

Deno.test("sentence encoder: after close, calls start a new worker", async () => {
  const enc = new SentenceEncoder();
  try {
    const [a] = await enc.embed(["hello"]);
    enc.close();
    const [b] = await enc.embed(["hello"]);
    assert.ok(Math.abs(dot(a!, b!) - 1) < 1e-5);
  } finally {
    enc.close();
  }
});

Deno.test("sentence encoder: a model that fails to load rejects with the cause, every time", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/bad_worker.ts`,
      `(self as any).postMessage({ loadError: "model.json: no such file" });`,
    );
    const enc = new SentenceEncoder({ workerUrl: new URL(`file://${dir}/bad_worker.ts`) });
    await assert.rejects(enc.embed(["x"]), /could not load its model: model.json: no such file/);
    await assert.rejects(enc.embed(["y"]), /could not load its model/);
    enc.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sentence encoder: a worker that dies fails pending calls instead of hanging", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/dying_worker.ts`,
      `(self as any).postMessage({ ready: true });
       (self as any).onmessage = () => { throw new Error("out of cheese"); };`,
    );
    const enc = new SentenceEncoder({ workerUrl: new URL(`file://${dir}/dying_worker.ts`) });
    await assert.rejects(enc.embed(["x"]), /worker died: .*out of cheese/);
    enc.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
