/** Raw baseline for the actor benchmark: a bare worker that echoes. */
(globalThis as unknown as { onmessage: (e: MessageEvent) => void }).onmessage = (e) =>
  (globalThis as unknown as { postMessage(m: unknown): void }).postMessage(e.data);
(globalThis as unknown as { postMessage(m: unknown): void }).postMessage("ready");
