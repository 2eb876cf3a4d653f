import assert from "node:assert/strict";
import { ToolSearch } from "./tool_search.ts";
import type { ToolSpec } from "./tool_spec.ts";

const spec = (name: string, description: string, tags?: string[]): ToolSpec => ({
  name,
  description,
  parameters: { type: "object", properties: { city: { type: "string", description: "City" } } },
  source: "test",
  ...(tags ? { tags } : {}),
});

function sample(): ToolSearch {
  const s = new ToolSearch();
  s.add([
    spec("get_weather", "Current weather conditions and temperature for a city"),
    spec("book_flight", "Book a plane ticket between two airports"),
    spec("x1", "Opaque tool with an unhelpful name", ["conversion", "currency"]),
  ]);
  return s;
}

Deno.test("tool search ranks by description words and tags", () => {
  const s = sample();
  assert.equal(s.search("what's the temperature in Oslo", 3)[0]?.name, "get_weather");
  assert.equal(s.search("currency conversion", 3)[0]?.name, "x1");
});

Deno.test("tool search puts an exact name first even when it scores nothing", () => {
  const s = sample();
  const hits = s.search("X1", 3);
  assert.equal(hits[0]?.name, "x1");
  assert.ok(hits[0]!.score >= s.minScore);
});

Deno.test("tool search drops results below the relevance threshold", () => {
  const s = sample();
  const all = s.search("plane weather", 3, 0);
  assert.equal(all.length, 2);
  const cut = (all[0]!.score + all[1]!.score) / 2;
  assert.equal(s.search("plane weather", 3, cut).length, 1);
  assert.deepEqual(s.search("sourdough bread recipe", 3), []);
});

Deno.test("tool search forgets removed tools", () => {
  const s = sample();
  s.remove(["book_flight"]);
  assert.deepEqual(s.search("book a flight", 3), []);
  assert.equal(s.spec("book_flight"), undefined);
  assert.equal(s.size, 2);
});

Deno.test("tool search finds a tool described in other words through related words", () => {
  const tools = [
    spec("music_player", "Play songs and albums from a music library"),
    spec("get_weather", "Current weather conditions for a city"),
  ];
  const expanded = new ToolSearch({ minScore: 0 });
  expanded.add(tools);
  assert.equal(expanded.search("some tunes please", 2)[0]?.name, "music_player");
  const plain = new ToolSearch({ minScore: 0, relatedWords: null });
  plain.add(tools);
  assert.deepEqual(plain.search("some tunes please", 2), []);
});
