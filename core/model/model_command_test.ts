/** Behaviour of `cli model` against the scripted server. */
import assert from "node:assert/strict";
import { startScriptedModelServer } from "../testing/scripted_model_server.ts";
import { makeModelCommand } from "./model_command.ts";

function harness(env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const command = makeModelCommand({
    env: () => env,
    out: (t) => out.push(t),
    err: (t) => err.push(t),
  });
  return { command, out, err };
}

async function emptyConfigFile(config: unknown = {}): Promise<string> {
  const file = await Deno.makeTempFile({ suffix: ".json" });
  await Deno.writeTextFile(file, JSON.stringify(config));
  return file;
}

Deno.test("cli model streams the reply and reports tokens and cost", async () => {
  await using server = startScriptedModelServer({
    script: [{
      content: "Hello from the model",
      chunkSize: 5,
      usage: { promptTokens: 1000, completionTokens: 500 },
    }],
  });
  const file = await emptyConfigFile({ model: { inputPricePerM: 2, outputPricePerM: 4 } });
  const { command, out, err } = harness({ OPENAI_BASE_URL: server.url });
  const code = await command.run(["--file", file, "--system", "Be brief.", "Say", "hello"]);
  assert.equal(code, 0);
  assert.ok(out.length > 2, "the reply arrived in several pieces");
  assert.equal(out.join(""), "Hello from the model\n");
  assert.match(err.join(""), /1000 prompt \+ 500 completion tokens \(api\), cost 0\.004000/);
  const messages = server.chatRequests()[0]?.body?.messages;
  assert.deepEqual(messages, [{ role: "system", content: "Be brief." }, {
    role: "user",
    content: "Say hello",
  }]);
  await Deno.remove(file);
});

Deno.test("cli model --list prints the endpoint's models", async () => {
  await using server = startScriptedModelServer({ script: [], model: "llama3.2" });
  const file = await emptyConfigFile();
  const { command, out } = harness({ OLLAMA_HOST: `http://127.0.0.1:${server.port}` });
  assert.equal(await command.run(["--file", file, "--list"]), 0);
  assert.equal(out.join(""), "llama3.2\n");
  await Deno.remove(file);
});

Deno.test("cli model without an endpoint says none is configured", async () => {
  const file = await emptyConfigFile();
  const { command } = harness({});
  await assert.rejects(command.run(["--file", file, "hi"]), /No model endpoint is configured/);
  await assert.rejects(command.run(["--file", file]), /expected a prompt/);
  await Deno.remove(file);
});
