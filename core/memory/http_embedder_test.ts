/** The OpenAI-compatible embedder against a local fake endpoint: batching, retries, cache. */
import assert from "node:assert/strict";
import { EmbeddingError } from "./errors.ts";
import { HttpEmbedder } from "./http_embedder.ts";

interface Fake {
  url: string;
  batches: string[][];
  close(): Promise<void>;
}

/** A fake /v1/embeddings: fails the first `failures` calls with 503; vectors of `dim`. */
function fakeEndpoint(dim: number, failures = 0): Fake {
  const batches: string[][] = [];
  let calls = 0;
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, async (req) => {
    const body = await req.json() as { input: string[]; model: string };
    if (++calls <= failures) return new Response("busy", { status: 503 });
    batches.push(body.input);
    const data = body.input.map((t, index) => ({
      index,
      embedding: Array.from({ length: dim }, (_, i) => (i === t.length % dim ? 1 : 0)),
    }));
    return Response.json({ data, model: body.model });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/v1`,
    batches,
    close: () => server.shutdown(),
  };
}

Deno.test("http embedder batches requests and serves repeats from its cache", async () => {
  const fake = fakeEndpoint(8);
  try {
    const e = new HttpEmbedder({ baseUrl: fake.url, model: "m", dim: 8, batchSize: 2 });
    const v = await e.embed(["a", "bb", "ccc", "a"]);
    assert.deepEqual(fake.batches, [["a", "bb"], ["ccc"]]);
    assert.equal(v[0]![1], 1);
    assert.deepEqual(v[0], v[3]);
    await e.embed(["bb", "ccc"]);
    assert.equal(fake.batches.length, 2, "cached texts are not sent again");
  } finally {
    await fake.close();
  }
});

Deno.test("http embedder retries 5xx answers with backoff", async () => {
  const fake = fakeEndpoint(8, 2);
  try {
    const e = new HttpEmbedder({ baseUrl: fake.url, model: "m", dim: 8, backoffMs: 1 });
    const [v] = await e.embed(["hello"]);
    assert.equal(v!.length, 8);
    assert.equal(e.requests, 3);
  } finally {
    await fake.close();
  }
});

Deno.test("http embedder reports a vector of the wrong dimension clearly", async () => {
  const fake = fakeEndpoint(16);
  try {
    const e = new HttpEmbedder({ baseUrl: fake.url, model: "m", dim: 384 });
    await assert.rejects(
      e.embed(["x"]),
      (err) => err instanceof EmbeddingError && /length 16, expected 384/.test(err.message),
    );
  } finally {
    await fake.close();
  }
});
