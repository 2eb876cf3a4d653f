/** ElizaOS's deterministic ids, checked against ids the old agent's database holds. */
import assert from "node:assert/strict";
import { createUniqueUuid, HEX_ID, loopScope, stringToUuid } from "./eliza_ids.ts";

Deno.test("stringToUuid gives the old agent's id for its name", () => {
  assert.equal(stringToUuid("Autoliza"), "d63a62b7-d908-0c62-a8c3-c24238cd7fa7");
});

Deno.test("stringToUuid escapes like encodeURIComponent and keeps ElizaOS's nibbles", () => {
  const id = stringToUuid("Zoë & co");
  assert.match(id, HEX_ID);
  assert.equal(id[14], "0", "version nibble 0, as ElizaOS writes it");
  assert.ok("89ab".includes(id[19]!), "variant bits 10");
  assert.notEqual(stringToUuid("Zoë & co"), stringToUuid("Zoe & co"));
  assert.equal(stringToUuid("Zoë & co"), id, "deterministic");
});

Deno.test("createUniqueUuid is base:agent, and the agent id for the agent itself", () => {
  const agent = stringToUuid("Autoliza");
  assert.equal(createUniqueUuid(agent, "auto"), stringToUuid(`auto:${agent}`));
  assert.equal(createUniqueUuid(agent, agent), agent);
  const scope = loopScope(agent);
  assert.equal(scope.roomId, scope.worldId);
  assert.equal(scope.entityId, agent);
});
