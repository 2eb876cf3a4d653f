/** Tests of definition extraction for session replay. */
import assert from "node:assert/strict";
import { extractDefinitions } from "./definitions.ts";

Deno.test("only imports, functions, classes and function bindings are replayed", () => {
  const defs = extractDefinitions([
    {
      code: `import { z } from "zod";\nconst data = await tools.fetch_url({ url: "x" });`,
      ok: true,
    },
    {
      code:
        `function f(a: number): number { return a * 2; }\nawait tools.memory_save({ text: "t" });`,
      ok: true,
    },
    { code: `const g = (x: string) => x.trim();\nclass C { n = 1 }\nlet total = 0;`, ok: true },
    { code: `function broken() { return 1 }`, ok: false },
  ]);
  assert.equal(defs.length, 3);
  assert.equal(defs[0], `import { z } from "zod";`);
  assert.equal(defs[1], "function f(a) { return a * 2; }");
  assert.match(defs[2]!, /^const g = \(x\) => x\.trim\(\);\nclass C \{/);
  assert.doesNotMatch(defs.join("\n"), /total|tools\./);
});
