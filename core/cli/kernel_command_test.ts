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

Deno.test("cli kernel run prints results for people, and says tools are not available here", async () => {
  const file = await Deno.makeTempFile({ suffix: ".ts" });
  await Deno.writeTextFile(
    file,
    "console.log('hi')\n6 * 7\n// %%\n\nawait tools.memory_search({ query: 'x' })\n// %%\n" +
      "'\\x1b]52;c;cGF3bmVk\\x07'",
  );
  const r = await cli("kernel", "run", file);
  assert.equal(r.code, 0, r.stderr);
  const text = r.lines.join("\n");
  assert.match(text, /^cell 1: ok \(/m);
  assert.match(text, /^hi$/m);
  assert.match(text, /^=> 42$/m);
  assert.match(
    text,
    /^cell 2: ToolsUnavailable at line 2: tools\.memory_search: `cli kernel run` runs cells without the tool registry; run them in `deno task repl`/m,
  );
  assert.ok(!text.includes("\x1b]52"), "a cell's control characters reach the terminal escaped");
  await Deno.remove(file);
});
