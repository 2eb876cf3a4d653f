/** Behaviour of token counting with gpt-tokenizer's o200k_base. */
import assert from "node:assert/strict";
import { encode } from "gpt-tokenizer/encoding/o200k_base";
import { countCompletionTokens, countTokens } from "./tokens.ts";

Deno.test("countTokens of a text matches the o200k encoding", async () => {
  const text = "Autoliza streams its reply token by token.";
  assert.equal(await countTokens(text), encode(text).length);
});

Deno.test("countTokens counts special-token text as plain text instead of throwing", async () => {
  assert.ok(await countTokens("before <|endoftext|> after") > 3);
});

Deno.test("a prompt costs more with tool schemas than without", async () => {
  const messages = [{ role: "user" as const, content: "hi" }];
  const tools = [{ name: "execute_code", parameters: { type: "object" } }];
  assert.ok(await countTokens(messages, tools) > await countTokens(messages));
});

Deno.test("completion tokens include tool call names and arguments", async () => {
  const call = { name: "execute_code", arguments: '{"code":"1+1"}' };
  const expected = encode("ok").length + encode(call.name).length + encode(call.arguments).length +
    3;
  assert.equal(await countCompletionTokens("ok", [call]), expected);
});
