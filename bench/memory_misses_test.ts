/** The word-overlap split of bench/memory_misses.ts. */
import assert from "node:assert/strict";
import { sharedWords } from "./memory_misses.ts";
import type { LocomoConversation, LocomoTurn } from "../core/memory/locomo.ts";

const turn = (diaId: string, speaker: string, text: string): LocomoTurn => ({
  diaId,
  session: 1,
  plain: `${speaker}: ${text}`,
  speaker,
  text: `${speaker}: ${text}`,
  date: undefined,
});

const conv: LocomoConversation = {
  id: "c",
  turns: [
    turn("D1:1", "Melanie", "We were all freaked when my son got into an accident."),
    turn("D1:2", "Caroline", "Melanie, I painted the lake at sunrise last week."),
  ],
  questions: [],
};

Deno.test("sharedWords: stems shared with the best evidence turn, names and stop words aside", () => {
  assert.deepEqual(
    sharedWords(conv, { question: "What did Caroline paint?", category: 1, evidence: ["D1:2"] }),
    ["paint"],
  );
  // "Melanie" appears in both but is a speaker's name; nothing else is shared.
  assert.deepEqual(
    sharedWords(conv, {
      question: "How many children does Melanie have?",
      category: 1,
      evidence: ["D1:1", "D1:2"],
    }),
    [],
  );
  // Unknown evidence ids share nothing.
  assert.deepEqual(
    sharedWords(conv, { question: "What did Caroline paint?", category: 1, evidence: ["D9:9"] }),
    [],
  );
});
