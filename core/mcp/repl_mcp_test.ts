/**
 * The user's path, end to end: an `mcpServers` block in agent.yaml, `deno task repl` (the
 * permission launcher derives `--allow-run` from it), the model finds a server's tool with
 * search_tools and calls it from cells; a destructive tool asks `[y/N]` in the REPL; the
 * server's token never shows. Real reference servers, real OpenAI client, scripted model.
 */
import assert from "node:assert/strict";
import { stringify } from "yaml";
import { startScriptedModelServer } from "../testing/scripted_model_server.ts";
import { referenceServers } from "./testing/reference_servers.ts";

const ref = await referenceServers();
const ROOT = new URL("../..", import.meta.url).pathname;

const code = (c: string, id: string) => ({
  toolCalls: [{ id, name: "execute_code", arguments: { code: c } }],
});

Deno.test({
  name: "deno task repl: an mcpServers block in agent.yaml, found by search, called from cells",
  ignore: !ref,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await Deno.mkdir(`${ROOT}/learned_skills`, { recursive: true });
    const dir = await Deno.makeTempDir({ dir: `${ROOT}/learned_skills`, prefix: ".test-mcp-" });
    const notes = await Deno.realPath(await Deno.makeTempDir({ prefix: "mcp-notes-" }));
    const token = `tok-${crypto.randomUUID()}`;
    await Deno.writeTextFile(
      `${dir}/agent.yaml`,
      stringify({
        paths: { learnedSkills: `${dir}/learned_skills`, sessions: `${dir}/sessions` },
        database: { dataDir: `${dir}/data` },
        toolSearch: { embedder: "off" },
        // As pasted from another host (node instead of npx: nothing is fetched in tests).
        mcpServers: {
          everything: { ...ref!.everything(), env: { SERVICE_TOKEN: "${MY_SERVICE_TOKEN}" } },
          notes: ref!.filesystem(notes),
        },
      }),
    );
    const replies = [
      { toolCalls: [{ id: "s1", name: "search_tools", arguments: { query: "add two numbers" } }] },
      code("await tools.everything.get_sum({ a: 2, b: 3 })", "c1"),
      code(
        `await tools.notes.write_file({ path: "${notes}/todo.txt", content: "buy milk" })`,
        "c2",
      ),
      code("JSON.stringify(await tools.everything.get_env())", "c3"),
      { content: "All done." },
    ];
    let i = 0;
    const server = startScriptedModelServer({ script: () => replies[i++] ?? { content: "end" } });
    try {
      const child = new Deno.Command(Deno.execPath(), {
        args: ["task", "--quiet", "repl", "--no-stream", "--file", `${dir}/agent.yaml`],
        cwd: ROOT,
        env: {
          NO_COLOR: "1",
          OPENAI_BASE_URL: server.url,
          OPENAI_API_KEY: "test",
          MY_SERVICE_TOKEN: token,
        },
        stdin: "piped",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const writer = child.stdin.getWriter();
      await writer.write(
        new TextEncoder().encode("Add 2 and 3, then note that I buy milk\ny\n:quit\n"),
      );
      await writer.close();
      const out = await child.output();
      const stdout = new TextDecoder().decode(out.stdout);
      const stderr = new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 0, stderr);
      const searched = JSON.stringify(server.chatRequests()[1]?.body?.messages ?? []);
      assert.match(searched, /declare namespace everything \{.*function get_sum/);
      assert.match(stdout, /The sum of 2 and 3 is 5/);
      assert.match(stdout, /tool "notes\.write_file" asks for approval: .*todo\.txt.*\n.*\[y\/N\]/);
      assert.equal(await Deno.readTextFile(`${notes}/todo.txt`), "buy milk");
      assert.match(stdout, /SERVICE_TOKEN/);
      assert.ok(!stdout.includes(token) && !stderr.includes(token), "the token stays hidden");
      assert.ok(!JSON.stringify(server.chatRequests()).includes(token));
      assert.match(stdout, /All done\./);
    } finally {
      await server.close();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
      await Deno.remove(notes, { recursive: true }).catch(() => {});
    }
  },
});
