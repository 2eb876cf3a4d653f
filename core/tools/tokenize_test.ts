import assert from "node:assert/strict";
import { splitWords, stem, tokenize } from "./tokenize.ts";

Deno.test("splitWords breaks snake_case, camelCase, acronyms and dotted names", () => {
  assert.deepEqual(splitWords("get_current_weather"), ["get", "current", "weather"]);
  assert.deepEqual(splitWords("parseHTTPResponse"), ["parse", "http", "response"]);
  assert.deepEqual(splitWords("math.factorial"), ["math", "factorial"]);
  assert.deepEqual(splitWords("ChaDri.change_drink"), ["cha", "dri", "change", "drink"]);
  assert.deepEqual(splitWords("base64Encode"), ["base", "64", "encode"]);
});

Deno.test("stem merges inflections of the same word", () => {
  assert.equal(stem("forecasts"), stem("forecast"));
  assert.equal(stem("calculating"), stem("calculate"));
  assert.equal(stem("calculated"), stem("calculates"));
  assert.equal(stem("queries"), stem("query"));
  assert.equal(stem("running"), "run");
  assert.notEqual(stem("news"), stem("new"));
});

Deno.test("tokenize drops stop words and keeps repeats", () => {
  assert.deepEqual(tokenize("Get the weather for the weather station"), [
    "get",
    "weather",
    "weather",
    "station",
  ]);
});
