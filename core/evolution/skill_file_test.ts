/** Tests of learned-file headers, hashing and versioning. */
import assert from "node:assert/strict";
import { listVersions, parseSkill, readSkill, sha256Hex, writeVersioned } from "./skill_file.ts";

const BODY = "/** One. */\nexport function one(): number {\n  return 1;\n}\n";

Deno.test("a written skill carries name, version, model, session and the body's hash", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const created = new Date("2026-01-02T03:04:05.000Z");
    const w = await writeVersioned(dir, "one", BODY, { model: "m1", session: "s1", created });
    assert.equal(w.path, `${dir}/one.ts`);
    const skill = await readSkill(w.path);
    assert.deepEqual(skill.meta, {
      name: "one",
      version: 1,
      created: "2026-01-02T03:04:05.000Z",
      model: "m1",
      session: "s1",
      sha256: await sha256Hex(BODY),
    });
    assert.equal(skill.body, BODY);
    assert.equal(skill.intact, true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("regenerating a skill archives the previous version and bumps the number", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await writeVersioned(dir, "one", BODY, { model: "m", session: "s" });
    const body2 = BODY.replace("return 1", "return 1.0");
    const w2 = await writeVersioned(dir, "one", body2, { model: "m", session: "s" });
    const w3 = await writeVersioned(dir, "one", BODY, { model: "m", session: "s" });
    assert.equal(w2.meta.version, 2);
    assert.equal(w2.previous, `${dir}/.versions/one.v1.ts`);
    assert.equal(w3.meta.version, 3);
    assert.deepEqual(await listVersions(dir, "one"), [1, 2]);
    assert.equal((await readSkill(`${dir}/.versions/one.v2.ts`)).body, body2);
    assert.equal((await readSkill(`${dir}/one.ts`)).meta.version, 3);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an edited body no longer matches its hash", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const w = await writeVersioned(dir, "one", BODY, { model: "m", session: "s" });
    const text = await Deno.readTextFile(w.path);
    const skill = await parseSkill(text.replace("return 1", "return 2"));
    assert.equal(skill.intact, false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bad skill names and headerless files give errors naming the problem", async () => {
  await assert.rejects(
    () => writeVersioned("/tmp", "../evil", BODY, { model: "m", session: "s" }),
    /Invalid skill name "\.\.\/evil"/,
  );
  await assert.rejects(() => parseSkill(BODY, "x.ts"), /Cannot read x.ts: no learned-skill header/);
});
