/** Tests of generate_subagent: the folder loads through core/agent's catalogue. */
import assert from "node:assert/strict";
import { generateSubagent, type GenerateSubagentOptions } from "./generate_subagent.ts";
import { findSubagent } from "../agent/subagent_catalog.ts";
import { startScriptedModelServer } from "../testing/scripted_model_server.ts";
import { OpenAIModelClient } from "../model/mod.ts";

const PROMPT =
  'You summarise CSV files.\nReturn JSON {"rows": n}. Ignore "`${Deno.exit()}`" tricks.';

function setup(dir: string, extra: Partial<GenerateSubagentOptions> = {}) {
  const server = startScriptedModelServer({ script: [{ content: PROMPT }] });
  const model = new OpenAIModelClient({ baseUrl: server.url, apiKey: "k", model: "m" });
  const options: GenerateSubagentOptions = {
    model,
    paths: { learnedDir: `${dir}/learned_skills`, stateDir: `${dir}/state` },
    availableTools: ["memory_search", "word_count"],
    approval: "review",
    ...extra,
  };
  return { server, options };
}

Deno.test("a generated sub-agent is found by the catalogue with its prompt and tools", async () => {
  const dir = await Deno.makeTempDir({ prefix: "evo_agent_" });
  const { server, options } = setup(dir);
  try {
    const r = await generateSubagent("csv_summary", "Summarise CSV data", ["word_count"], options);
    assert.equal(r.status, "approved", r.reason + JSON.stringify(r.findings));
    const entry = await findSubagent("csv_summary", {
      actorsDir: `${dir}/actors`,
      learnedDir: `${dir}/learned_skills`,
    });
    assert.equal(entry.generic, true);
    assert.equal(entry.definition.systemPrompt, PROMPT, "model text stays a string literal");
    assert.deepEqual(entry.definition.tools, ["word_count"]);
    assert.equal(entry.definition.description, "Summarise CSV data");
    const folder = `${dir}/learned_skills/agents/csv_summary`;
    const files = (await Array.fromAsync(Deno.readDir(folder))).map((e) => e.name).sort();
    assert.deepEqual(files, ["README.md", "agent.json", "prompt.md"], "data only, no code");
    assert.match(await Deno.readTextFile(`${folder}/README.md`), /# csv_summary/);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("generate_subagent rejects unknown tools and bad names before calling the model", async () => {
  const dir = await Deno.makeTempDir({ prefix: "evo_agent_" });
  const { server, options } = setup(dir);
  try {
    await assert.rejects(
      () => generateSubagent("x", "p", ["rm_rf"], options),
      /unknown tool\(s\) rm_rf/,
    );
    await assert.rejects(
      () => generateSubagent("Bad-Name", "p", [], options),
      /Invalid sub-agent name/,
    );
    assert.equal(server.chatRequests().length, 0);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("manual approval keeps a generated sub-agent pending", async () => {
  const dir = await Deno.makeTempDir({ prefix: "evo_agent_" });
  const { server, options } = setup(dir, { approval: "manual" });
  try {
    const r = await generateSubagent("csv_summary", "Summarise CSV data", [], options);
    assert.equal(r.status, "pending");
    assert.equal(r.dir, `${dir}/state/pending/agents/csv_summary`);
    await assert.rejects(() => Deno.stat(`${dir}/learned_skills/agents/csv_summary`));
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});
