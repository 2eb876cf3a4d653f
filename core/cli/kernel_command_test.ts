/** Tests of `cli kernel run`: one JSON line per cell, exit 0 even when cells fail. */
import assert from "node:assert/strict";
import { denoBinary } from "../subprocess_command.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

async function cli(...args: string[]): Promise<{ code: number; lines: string[]; stderr: string }> {
  const out = await new Deno.Command(denoBinary(), {
    args: ["run", "--no-prompt", "-A", MAIN, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  return {
    code: out.code,
    lines: text.split("\n").filter(Boolean),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

Deno.test("cli kernel run prints one JSON object per cell and exits 0", async () => {
  const file = await Deno.makeTempFile({ suffix: ".ts" });
  await Deno.writeTextFile(
    file,
    "const x: number = 2\n// %%\nx * 21\n// %%\nconsole.log('hi')\nthrow new Error('boom')\n// %%\nwhile (true) {}\n// %%\nx",
  );
  const r = await cli("kernel", "run", file, "--timeout-ms", "500", "--json");
  assert.equal(r.code, 0, r.stderr);
  const cells = r.lines.map((l) => JSON.parse(l));
  assert.deepEqual(cells.map((c) => [c.cell, c.ok]), [
    [1, true],
    [2, true],
    [3, false],
    [4, false],
    [
      5,
      true,
    ],
  ]);
  assert.equal(cells[1].value, 42);
  assert.equal(cells[1].display, "42");
  assert.deepEqual(cells[2].error, { name: "Error", message: "boom", line: 2 });
  assert.equal(cells[2].stdout, "hi\n");
  assert.equal(cells[3].error.name, "TimeoutError");
  assert.equal(cells[4].value, 2);
  assert.deepEqual(Object.keys(cells[0]), [
    "cell",
    "ok",
    "display",
    "value",
    "stdout",
    "stderr",
    "error",
    "ms",
  ]);
  await Deno.remove(file);
});

Deno.test("cli kernel run rejects a missing file with a usage error", async () => {
  const r = await cli("kernel", "run", "/nonexistent/cells.ts");
  assert.equal(r.code, 2);
  assert.match(r.stderr, /Cannot read cells file "\/nonexistent\/cells.ts"/);
});
