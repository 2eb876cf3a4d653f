/** Temporal intent: "when" queries favour memories that say when. */
import assert from "node:assert/strict";
import { asksWhen, statesTime, type TimedCandidate, timeIntentBonus } from "./time_intent.ts";

Deno.test("queries that ask for a time are recognised, others are not", () => {
  for (
    const q of ["When did Ana move to Paris?", "what year was it", "How long ago was the trip?"]
  ) {
    assert.ok(asksWhen(q), q);
  }
  for (const q of ["What did Ana do when it rained?", "Where does Ana live?", "whenever"]) {
    assert.ok(!asksWhen(q), q);
  }
});

Deno.test("texts that say when are recognised, a trailing timestamp does not count", () => {
  for (
    const t of ["We moved last Friday", "It was in 2021.", "two weeks ago", "see you tomorrow!"]
  ) {
    assert.ok(statesTime(t), t);
  }
  assert.ok(!statesTime("We moved to Paris (1:56 pm on 8 May, 2023)"));
  assert.ok(!statesTime("The lastly named plan"));
});

Deno.test("on a when query the memory that says when rises above the one that only names it", () => {
  const cand = (text: string, score: number, lexical: number): TimedCandidate => ({
    score,
    lexical,
    memory: { content: { text } },
  });
  const cs = [
    cand("Ana: the move to Paris was hard", 2, 5),
    cand("Ana: we moved last week", 1.8, 3),
  ];
  timeIntentBonus("When did Ana move to Paris?", cs);
  assert.ok(cs[1]!.score > cs[0]!.score);
  const same = [
    cand("Ana: we moved last week", 1.8, 3),
    cand("no lexical evidence, last week", 1, 0),
  ];
  timeIntentBonus("Where did Ana move?", same);
  timeIntentBonus("When did Ana move?", same);
  assert.deepEqual(same.map((c) => c.score), [2.3, 1]);
});
