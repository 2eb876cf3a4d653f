/**
 * The red team's canary for attack tests: a loopback HTTP server that records every request it
 * gets, and a secret file (JSON and text) in a private folder outside any workspace. An attack
 * succeeded if the canary was hit or the secret shows up somewhere it should not.
 */

/** A running canary; `await using` stops it and removes the secret. */
export interface Canary extends AsyncDisposable {
  /** `http://127.0.0.1:<port>/`. */
  url: string;
  /** Request URLs (path and query) and bodies received so far. */
  hits: { url: string; body: string }[];
  /** The secret value, as it appears in the files. */
  secret: string;
  /** A JSON file `{"token": secret}` outside every workspace. */
  secretJson: string;
  /** The same secret as plain text. */
  secretText: string;
  /** The folder holding the secret files. */
  dir: string;
}

/** Starts the canary server and writes the secret files. */
export async function startCanary(): Promise<Canary> {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "canary_secret_" }));
  const secret = `canary-secret-${crypto.randomUUID()}`;
  const secretJson = `${dir}/secret.json`;
  const secretText = `${dir}/secret.txt`;
  await Deno.writeTextFile(secretJson, JSON.stringify({ token: secret }));
  await Deno.writeTextFile(secretText, secret);
  const hits: Canary["hits"] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const u = new URL(req.url);
    hits.push({ url: u.pathname + u.search, body: await req.text() });
    return new Response("ok");
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/`,
    hits,
    secret,
    secretJson,
    secretText,
    dir,
    async [Symbol.asyncDispose]() {
      await server.shutdown();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}
