import assert from "node:assert/strict";
import { join } from "node:path";
import { loadToolFiles } from "./tool_loader.ts";

const dir = new URL("./testdata/tools", import.meta.url).pathname;

Deno.test("loader loads good tool files and reports bad ones by path", async () => {
  const { tools, errors } = await loadToolFiles(dir);
  assert.deepEqual(tools.map((t) => t.name), [
    "delete_file",
    "echo_text",
    "fail_always",
    "slow_wait",
  ]);
  assert.deepEqual(errors.map((e) => e.message), [
    `Cannot load tool "${join(dir, "no_description.ts")}": default export has no description`,
    `Cannot load tool "${join(dir, "not_zod.ts")}": default export's \`input\` is not a zod schema`,
  ]);
});

Deno.test("loader reports a syntax error and a bad file name, keeping the other tools", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(tmp, "broken.ts"), "export default {{{");
    await Deno.writeTextFile(join(tmp, "BadName.ts"), "export default {}");
    await Deno.writeTextFile(join(tmp, "helper_test.ts"), "throw new Error('not a tool')");
    await Deno.writeTextFile(
      join(tmp, "ok_tool.ts"),
      'import { z } from "zod";\n' +
        'export default { description: "fine", input: z.object({}), run: () => 1 };\n',
    );
    const { tools, errors } = await loadToolFiles(tmp);
    assert.deepEqual(tools.map((t) => t.name), ["ok_tool"]);
    assert.equal(errors.length, 2);
    assert.match(
      errors[0]!.message,
      /^Cannot load tool ".*BadName\.ts": file name must be snake_case/,
    );
    assert.match(errors[1]!.message, /^Cannot load tool ".*broken\.ts": /);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("loader treats a missing folder as no tools", async () => {
  const { tools, errors } = await loadToolFiles("/nonexistent/tools-folder");
  assert.equal(tools.length + errors.length, 0);
});
