/**
 * `notifications/tools/list_changed` refreshes the registry and the search index: the
 * everything server sends one when it registers its conditional tools after initialization,
 * and an SDK McpServer (testdata/changing_tools_server.ts) adds and removes tools on request.
 */
import assert from "node:assert/strict";
import type { Config } from "../config.ts";
import { memoryLogger } from "../log.ts";
import type { McpServerConfig } from "./config.ts";
import { openRegistryWithMcp } from "./open_registry.ts";
import { referenceServers, sdkFixtureServer } from "./testing/reference_servers.ts";
import { waitFor } from "./testing/wait_for.ts";

const ref = await referenceServers();

async function open(servers: Record<string, McpServerConfig>) {
  const { logger, records } = memoryLogger("info");
  const s = await openRegistryWithMcp({ mcpServers: servers } as Pick<Config, "mcpServers">, {
    log: logger,
    mcpFile: null,
  });
  return { ...s, records };
}

Deno.test("tools a server adds or removes at run time join and leave search", async () => {
  const { registry, mcp } = await open({ changing: sdkFixtureServer("changing_tools_server.ts") });
  try {
    assert.deepEqual(await registry.rank("convert celsius to fahrenheit"), []);
    const r = await registry.call("changing.add_tool", {
      name: "celsius_to_fahrenheit",
      description: "Convert a temperature from celsius to fahrenheit",
    });
    assert.ok(r.ok, JSON.stringify(r));
    await waitFor(
      () => registry.names().includes("changing.celsius_to_fahrenheit"),
      "the new tool",
    );
    const hits = await registry.rank("convert celsius to fahrenheit");
    assert.equal(hits[0]?.spec.name, "changing.celsius_to_fahrenheit");
    const ran = await registry.call("changing.celsius_to_fahrenheit", {});
    assert.deepEqual(ran.ok && ran.value, "celsius_to_fahrenheit ran");
    await registry.call("changing.remove_tool", { name: "celsius_to_fahrenheit" });
    await waitFor(() => !registry.names().includes("changing.celsius_to_fahrenheit"), "removal");
    assert.deepEqual(await registry.rank("convert celsius to fahrenheit"), []);
  } finally {
    await mcp.close();
    registry.close();
  }
});

Deno.test({
  name: "the everything server's list_changed after initialization is followed",
  ignore: !ref,
  async fn() {
    const { registry, mcp, records } = await open({ everything: ref!.everything() });
    try {
      await registry.rank("anything");
      await waitFor(
        () => records.some((x) => x.event === "mcp_tools_changed"),
        "the notification",
      );
      await waitFor(
        () => records.filter((x) => x.event === "tools_provided").length >= 2,
        "the second listing",
      );
      // simulate-research-query is one of the tools registered after initialization.
      assert.ok(registry.names().includes("everything.simulate_research_query"));
    } finally {
      await mcp.close();
      registry.close();
    }
  },
});
