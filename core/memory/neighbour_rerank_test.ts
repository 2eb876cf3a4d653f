/** The second stage by room and time: episodes, questions and their answers. */
import assert from "node:assert/strict";
import { isQuestionText, type NeighbourCandidate, neighbourRerank } from "./neighbour_rerank.ts";

const t0 = Date.UTC(2024, 0, 1);
const minute = 60_000;

const cand = (
  text: string,
  score: number,
  lexical: number,
  at: number,
  roomId: string | null = "r",
): NeighbourCandidate => ({
  score,
  lexical,
  memory: { roomId, createdAt: new Date(t0 + at), content: { text } },
});

const order = (cs: NeighbourCandidate[]) =>
  [...cs].sort((a, b) => b.score - a.score).map((c) => String(c.memory.content.text));

Deno.test("a memory in the episode of the best lexical match outranks an equal one elsewhere", () => {
  const cs = [
    cand("Ana: we hiked to the lake", 1, 10, 0),
    cand("Ana: it was cold at the top", 0.5, 2, 2 * minute),
    cand("Ana: the top of the market", 0.5, 2, 30 * 24 * 60 * minute),
  ];
  neighbourRerank(cs);
  assert.deepEqual(order(cs), [
    "Ana: we hiked to the lake",
    "Ana: it was cold at the top",
    "Ana: the top of the market",
  ]);
});

Deno.test("the episode is per room: the same time in another room does not count", () => {
  const cs = [
    cand("a strong hit", 1, 10, 0, "r1"),
    cand("other room, same time", 0.5, 2, minute, "r2"),
    cand("same room, same time", 0.5, 2, minute, "r1"),
  ];
  neighbourRerank(cs);
  assert.deepEqual(order(cs).slice(1), ["same room, same time", "other room, same time"]);
});

Deno.test("the answer right after a matching question outranks the question's echo", () => {
  const cs = [
    cand("Bo: what did you paint last week?", 1, 10, 0),
    cand("Ana: a sunset over the sea", 0.6, 3, minute),
    cand("Ana: I love to paint, I paint every week", 0.6, 3, 90 * 24 * 60 * minute),
  ];
  neighbourRerank(cs, { episode: 0 });
  const [, second, third] = order(cs);
  assert.equal(second, "Ana: a sunset over the sea");
  assert.equal(third, "Ana: I love to paint, I paint every week");
  // The question itself is penalised against a statement of the same scores.
  const pair = [cand("where is it?", 1, 5, 0, null), cand("where it is.", 1, 5, 0, null)];
  neighbourRerank(pair);
  assert.ok(pair[1]!.score > pair[0]!.score);
});

Deno.test("a question long before a memory is not the one it answers", () => {
  const near = [cand("what did you paint?", 1, 10, 0), cand("a sunset", 0.5, 3, minute)];
  const far = [cand("what did you paint?", 1, 10, 0), cand("a sunset", 0.5, 3, 20 * minute)];
  neighbourRerank(near, { episode: 0 });
  neighbourRerank(far, { episode: 0 });
  assert.ok(near[1]!.score > far[1]!.score);
});

Deno.test("without lexical evidence the fused order is kept", () => {
  const cs = [cand("b", 0.2, 0, 0), cand("a", 0.5, 0, minute)];
  neighbourRerank(cs);
  assert.deepEqual(cs.map((c) => c.score), [0.2, 0.5]);
});

Deno.test("a weak question stays in the results; an unfound candidate stays out", () => {
  const cs = [cand("strong", 1, 10, 0), cand("weak?", 0.01, 0, 0, null), cand("none", 0, 0, 0)];
  neighbourRerank(cs);
  assert.ok(cs[1]!.score > 0);
  assert.equal(cs[2]!.score, 0);
});

Deno.test("a question is recognised behind trailing notes", () => {
  assert.ok(isQuestionText("Ana: did you go? [shares a photo: a lake] (1:56 pm on 8 May, 2023)"));
  assert.ok(isQuestionText("Really?  "));
  assert.ok(!isQuestionText("Ana: I asked why? Then I went. (8 May)"));
  assert.ok(!isQuestionText("(is this a question?)"));
});
