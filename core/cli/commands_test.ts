/** Tests of the lazy subcommand list: entries match their modules; `--help` loads none. */
import assert from "node:assert/strict";
import { COMMANDS } from "./commands.ts";

Deno.test("each lazy subcommand entry names and summarises the module it loads", async () => {
  for (const entry of COMMANDS) {
    const command = await entry.load();
    assert.deepEqual(
      { name: command.name, summary: command.summary },
      { name: entry.name, summary: entry.summary },
      `core/cli/commands.ts: the entry for "${entry.name}" differs from its module`,
    );
  }
});

type GraphModule = {
  specifier: string;
  dependencies?: { code?: { specifier: string }; isDynamic?: boolean }[];
};

Deno.test("main.ts imports no subcommand module and no npm package statically", async () => {
  const main = new URL("../../main.ts", import.meta.url).href;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", main],
    stdout: "piped",
    stderr: "null",
  }).output();
  const graph = JSON.parse(new TextDecoder().decode(out.stdout)) as { modules: GraphModule[] };
  const bySpecifier = new Map(graph.modules.map((m) => [m.specifier, m]));
  const statics = new Set<string>();
  const walk = (spec: string) => {
    if (statics.has(spec)) return;
    statics.add(spec);
    for (const d of bySpecifier.get(spec)?.dependencies ?? []) {
      if (d.code && !d.isDynamic) walk(d.code.specifier);
    }
  };
  walk(main);
  assert.ok(statics.size > 1, "deno info found main.ts's imports");
  assert.deepEqual([...statics].filter((s) => /_command\.ts$|^npm:/.test(s)), []);
});
