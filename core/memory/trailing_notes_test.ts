/** Trailing notes are set aside; notes inside the text stay. */
import assert from "node:assert/strict";
import { withoutTrailingNotes } from "./trailing_notes.ts";

Deno.test("trailing bracketed and parenthesised groups are removed, inner ones kept", () => {
  assert.equal(
    withoutTrailingNotes("Ana: did you go? [shares a photo: a lake] (1:56 pm on 8 May, 2023) "),
    "Ana: did you go?",
  );
  assert.equal(withoutTrailingNotes("a (b) c"), "a (b) c");
  assert.equal(withoutTrailingNotes("(all of it)"), "");
});
