/** `cli config` prints the effective configuration with every credential masked. */
import assert from "node:assert/strict";
import { cleanEnv } from "../testing/deno_child.ts";

Deno.test("cli config masks query tokens, userinfo and keys in every printed URL", async () => {
  const root = new URL("../..", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-prompt", "main.ts", "config", "--file", "/dev/null"],
    cwd: root,
    clearEnv: true,
    env: cleanEnv({
      OPENAI_BASE_URL: "http://alice:s3cretpw@127.0.0.1:9/v1?token=tok123&api_key=key456",
      OPENAI_API_KEY: "sk-live-XYZ-123",
      EMBEDDING_BASE_URL: "https://emb.example/v1?access_token=emb789",
      RESEARCH_URL: "https://search.example/search?key=res000&format=json",
      REDIS_URL: "redis://:redispw@redis:6379",
    }),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  assert.doesNotMatch(text, /s3cretpw|tok123|key456|sk-live|emb789|res000|redispw/);
  const config = JSON.parse(text);
  assert.equal(config.model.baseUrl, "http://alice:***@127.0.0.1:9/v1?token=***&api_key=***");
  assert.equal(
    config.integrations.researchUrl,
    "https://search.example/search?key=***&format=json",
  );
  assert.equal(config.scb.redisUrl, "redis://:***@redis:6379");
});
