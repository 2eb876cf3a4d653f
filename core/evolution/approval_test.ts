/** Tests of the approval policy: each mode's requirements and the manual default's safety. */
import assert from "node:assert/strict";
import { type ApprovalRequest, decideApproval, needsModelReview } from "./approval.ts";
import { ConfigSchema } from "../config.ts";

const REQ: ApprovalRequest = {
  kind: "function",
  name: "f",
  path: "f.ts",
  code: "",
  findings: [],
  testsPassed: true,
  lineCoverage: 1,
};
const ALL = { staticPassed: true, testsPassed: true, reviewPassed: true };

Deno.test("the default approval mode is manual", () => {
  assert.equal(ConfigSchema.parse({}).evolution.approval, "manual");
});

Deno.test("auto loads when static checks and tests pass, without a review", async () => {
  const d = await decideApproval("auto", { staticPassed: true, testsPassed: true }, REQ);
  assert.equal(d.status, "approved");
  assert.equal(needsModelReview("auto"), false);
});

Deno.test("every mode rejects failed static checks or failed tests", async () => {
  for (const mode of ["auto", "review", "manual"] as const) {
    const a = await decideApproval(
      mode,
      { ...ALL, staticPassed: false },
      REQ,
      () => Promise.resolve(true),
    );
    const b = await decideApproval(
      mode,
      { ...ALL, testsPassed: false },
      REQ,
      () => Promise.resolve(true),
    );
    assert.equal(a.status, "rejected", mode);
    assert.equal(b.status, "rejected", mode);
  }
});

Deno.test("review mode needs a passing review", async () => {
  assert.equal((await decideApproval("review", ALL, REQ)).status, "approved");
  const failed = await decideApproval("review", { ...ALL, reviewPassed: false }, REQ);
  assert.equal(failed.status, "rejected");
  const missing = await decideApproval("review", { staticPassed: true, testsPassed: true }, REQ);
  assert.match(missing.reason, /needs a review/);
});

Deno.test("manual mode stays pending without a person and follows the person's answer", async () => {
  assert.equal((await decideApproval("manual", ALL, REQ)).status, "pending");
  let asked: ApprovalRequest | undefined;
  const yes = await decideApproval("manual", ALL, REQ, (r) => {
    asked = r;
    return Promise.resolve(true);
  });
  assert.equal(yes.status, "approved");
  assert.equal(asked?.name, "f");
  const no = await decideApproval("manual", ALL, REQ, () => Promise.resolve(false));
  assert.equal(no.status, "rejected");
});

Deno.test("manual mode leaves the code pending when the person answers later", async () => {
  const later = await decideApproval("manual", ALL, REQ, () => Promise.resolve("pending"));
  assert.equal(later.status, "pending");
  assert.equal(later.approved, false);
  assert.match(later.reason, /skills approve/);
});
