/** LoCoMo loading helpers: turn times within a session. */
import assert from "node:assert/strict";
import { type LocomoTurn, turnTime } from "./locomo.ts";

const turn = (session: number, date?: Date): LocomoTurn => ({
  diaId: `D${session}`,
  session,
  plain: "",
  speaker: "A",
  text: "",
  date,
});

Deno.test("turns of a session get one minute each after the session's date, in order", () => {
  const d1 = new Date(Date.UTC(2023, 4, 8, 13, 56));
  const d2 = new Date(Date.UTC(2023, 5, 1));
  const turns = [turn(1, d1), turn(1, d1), turn(1, d1), turn(2, d2), turn(2, d2), turn(3)];
  assert.deepEqual(
    turns.map((_, i) => turnTime(turns, i)?.getTime()),
    [d1, d1, d1, d2, d2].map((d, i) => d.getTime() + [0, 1, 2, 0, 1][i]! * 60_000)
      .concat([undefined as unknown as number]),
  );
});
