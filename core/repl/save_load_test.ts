/** Tests of :save/:load without a workspace on disk (the fallback that re-runs cells). */
import assert from "node:assert/strict";
import { AgentSession } from "../agent/agent_session.ts";
import { fakeKernelFactory } from "../agent/testing/fake_kernel.ts";
import { startHarness } from "../agent/testing/harness.ts";
import { loadReplSession, saveReplSession } from "./save_load.ts";

Deno.test("a session saved without a workspace comes back by re-running its cells", async () => {
  await using h = await startHarness([]);
  const dir = await Deno.makeTempDir();
  try {
    const session = await AgentSession.open({
      model: h.model,
      registry: h.registry,
      kernelFactory: fakeKernelFactory,
    });
    await session.kernel.execute("const total = 40 + 2");
    session.transcript = [{ role: "system", content: "s" }, { role: "user", content: "u" }];
    const paths = { sessionsDir: dir, learnedDir: "/nonexistent" };
    assert.match(
      await saveReplSession("demo", session, ["u"], paths),
      /demo\.json \(conversation and 1 cell/,
    );
    await session.reset();
    assert.deepEqual(await session.kernel.listVariables(), []);
    assert.match(
      await loadReplSession("demo", session, paths),
      /2 message\(s\), re-ran 1 cell\(s\)$/,
    );
    assert.equal(await session.kernel.getVariable("total"), 42);
    assert.equal(session.transcript.length, 2);
    await assert.rejects(loadReplSession("missing", session, paths), /No saved session "missing"/);
    await assert.rejects(saveReplSession("../x", session, [], paths), /must be 1-64 letters/);
    await session.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
