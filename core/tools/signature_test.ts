import assert from "node:assert/strict";
import { z } from "zod";
import { defineTool } from "../tool.ts";
import { renderSignature } from "./signature.ts";
import { schemaToTs } from "./json_schema_ts.ts";
import { specFromDefinition } from "./tool_spec.ts";

Deno.test("signature renders a zod tool as a TypeScript declaration with parameter docs", () => {
  const def = defineTool({
    description: "Search memories by meaning",
    input: z.object({
      query: z.string().describe("What to look for"),
      k: z.number().int().min(1).default(5).describe("How many results"),
      kind: z.enum(["fact", "episode"]).optional(),
    }),
    output: z.object({ hits: z.array(z.object({ id: z.string(), score: z.number() })) }),
    run: () => ({ hits: [] }),
  });
  const text = renderSignature(specFromDefinition("memory_search", def, "tools/memory_search.ts"));
  assert.equal(
    text,
    [
      "/** Search memories by meaning */",
      "function memory_search(input: {",
      "  /** What to look for */",
      "  query: string;",
      "  /** How many results (>= 1). Default: 5. */",
      "  k?: number;",
      '  kind?: "fact" | "episode";',
      "}): Promise<{",
      "  hits: Array<{",
      "    id: string;",
      "    score: number;",
      "  }>;",
      "}>;",
    ].join("\n"),
  );
});

Deno.test("signature of a dotted name is a function in a namespace", () => {
  const text = renderSignature({
    name: "math.factorial",
    description: "Factorial of n.",
    parameters: { type: "dict", properties: { n: { type: "integer" } }, required: ["n"] },
    source: "catalog:x.json",
  });
  assert.equal(
    text,
    [
      "declare namespace math {",
      "  /** Factorial of n. */",
      "  function factorial(input: {",
      "    n: number;",
      "  }): Promise<unknown>;",
      "}",
    ].join("\n"),
  );
});

Deno.test("signature of a name that is no identifier says how to call it", () => {
  const text = renderSignature({
    name: "math.fact-orial",
    description: "Factorial of n.",
    parameters: { type: "object", properties: { n: { type: "integer" } }, required: ["n"] },
    source: "catalog:x.json",
  });
  assert.ok(
    text.includes("function math_fact_orial(input: {\n  n: number;\n}): Promise<unknown>;"),
  );
  assert.match(text, /Call as tools\["math.fact-orial"\]\(input\)/);
});

Deno.test("schemaToTs handles unions, nullables, records, tuples and odd keys", () => {
  assert.equal(schemaToTs({ anyOf: [{ type: "string" }, { type: "null" }] }), "string | null");
  assert.equal(schemaToTs({ type: ["number", "null"] }), "number | null");
  assert.equal(
    schemaToTs({ type: "object", additionalProperties: { type: "float" } }),
    "Record<string, number>",
  );
  assert.equal(
    schemaToTs({ type: "tuple", items: [{ type: "string" }, { type: "integer" }] }),
    "[string, number]",
  );
  assert.equal(schemaToTs({ type: "array", items: { type: "string" } }), "string[]");
  assert.equal(
    schemaToTs({ type: "object", properties: { "first-name": { type: "string" } } }),
    '{\n  "first-name"?: string;\n}',
  );
  assert.equal(schemaToTs({ type: "any" }), "unknown");
  assert.equal(
    schemaToTs({
      type: "object",
      properties: { n: { type: "integer", minimum: Number.MIN_SAFE_INTEGER, default: 0 } },
    }),
    "{\n  /** Default: 0. */\n  n?: number;\n}",
  );
});

Deno.test("signature inlines $defs references and marks recursion", () => {
  type Node = { label: string; children: Node[] };
  const NodeSchema: z.ZodType<Node> = z.lazy(() =>
    z.object({ label: z.string(), children: z.array(NodeSchema) })
  );
  const def = defineTool({
    description: "Walk a tree",
    input: z.object({ root: NodeSchema }),
    run: () => 0,
  });
  const text = renderSignature(specFromDefinition("walk_tree", def, "t"));
  assert.ok(text.includes("root: {\n    label: string;"), text);
  assert.ok(text.includes("children: unknown[];"), text);
  assert.ok(!text.includes("$ref"));
});
