/**
 * Test fixtures for the evolution sub-agents: a scripted model server that answers as the code
 * generator, test generator or reviewer depending on the system prompt, with canned modules.
 */
import {
  type ReceivedRequest,
  type ScriptedModelServer,
  type ScriptedReply,
  startScriptedModelServer,
} from "../testing/scripted_model_server.ts";
import { OpenAIModelClient } from "../model/mod.ts";

/** A correct generated module. */
export const GOOD_SLUG = [
  "/**",
  " * Turns a title into a URL slug: lower case, words joined by dashes.",
  " * @param title The text to convert.",
  " * @returns The slug.",
  " */",
  "export function slugify(title: string): string {",
  '  return title.toLowerCase().trim().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");',
  "}",
  "",
].join("\n");

/** A module that type-checks badly (untyped parameter, no return type, no doc). */
export const BAD_SLUG =
  'export function slugify(title) {\n  return title.toLowerCase().split(" ").join("-");\n}\n';

/** Tests of slugify. */
export const SLUG_TESTS = [
  'import assert from "node:assert/strict";',
  'import { slugify } from "../functions/slugify.ts";',
  'Deno.test("slugify joins words with dashes", () => assert.equal(slugify("Hello World"), "hello-world"));',
  'Deno.test("slugify drops punctuation at the ends", () => assert.equal(slugify(" Hi, there! "), "hi-there"));',
  "",
].join("\n");

/** Which sub-agent a request was meant for, from its system prompt. */
export function roleOf(req: ReceivedRequest): "code" | "tests" | "review" {
  const messages = (req.body?.messages ?? []) as { role: string; content: string }[];
  const system = messages.find((m) => m.role === "system")?.content ?? "";
  if (system.startsWith("You write small")) return "code";
  if (system.startsWith("You write Deno unit tests")) return "tests";
  return "review";
}

/** The replies each sub-agent gives, in order (the last one repeats). */
export interface Persona {
  code: string[];
  tests?: string[];
  review?: string[];
}

/** Starts a server that answers as the three sub-agents, and a client for it. */
export function evolutionModel(persona: Persona): {
  server: ScriptedModelServer;
  client: OpenAIModelClient;
} {
  const used = { code: 0, tests: 0, review: 0 };
  const server = startScriptedModelServer({
    script: (req): ScriptedReply => {
      const role = roleOf(req);
      const list = role === "code"
        ? persona.code
        : role === "tests"
        ? persona.tests ?? [SLUG_TESTS]
        : persona.review ?? ["```json\n[]\n```"];
      const text = list[Math.min(used[role]++, list.length - 1)]!;
      const fenced = role === "review" || text.startsWith("```") ? text : "```ts\n" + text + "```";
      return { content: fenced };
    },
  });
  const client = new OpenAIModelClient({ baseUrl: server.url, apiKey: "k", model: "scripted" });
  return { server, client };
}
