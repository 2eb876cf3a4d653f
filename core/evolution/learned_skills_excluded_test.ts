/**
 * The project's own test run (`deno task test`, with every permission) must never collect a file
 * under learned_skills/: model-written tests run only in the sandbox. A copy of the project's
 * deno.json gets test files planted where generated ones land (tests/, functions/.pending/,
 * .tmp/, agents/) and a control test elsewhere; the test task's own command runs there, and only
 * the control may leave its marker.
 */
import assert from "node:assert/strict";

const ROOT = new URL("../..", import.meta.url).pathname;
const PLANTED = [
  "learned_skills/tests/planted_test.ts",
  "learned_skills/tests/planted.test.ts",
  "learned_skills/functions/.pending/p/p_test.ts",
  "learned_skills/.tmp/stage/tests/s_test.ts",
  "learned_skills/agents/a/test.ts",
  "learned_skills/functions/f_test.js",
];

/** The `deno test ...` command of the `test` task (after its `deno install ... &&`). */
async function testTaskArgs(): Promise<string[]> {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`));
  const command = String(config.tasks.test).split("&&").at(-1)!.trim().split(/\s+/);
  assert.equal(command[0], "deno");
  assert.equal(command[1], "test");
  return command.slice(1);
}

Deno.test("deno task test never collects a file under learned_skills/", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "learned_excluded_" }));
  try {
    await Deno.copyFile(`${ROOT}/deno.json`, `${dir}/deno.json`);
    await Deno.copyFile(`${ROOT}/deno.lock`, `${dir}/deno.lock`);
    const plant = async (path: string) => {
      await Deno.mkdir(`${dir}/${path.split("/").slice(0, -1).join("/")}`, { recursive: true });
      await Deno.writeTextFile(
        `${dir}/${path}`,
        `Deno.test("planted", () => {\n` +
          `  Deno.mkdirSync(${JSON.stringify(`${dir}/ran`)}, { recursive: true });\n` +
          `  Deno.writeTextFileSync(${
            JSON.stringify(`${dir}/ran/${path.replaceAll("/", "_")}`)
          }, "ran");\n});\n`,
      );
    };
    for (const p of PLANTED) await plant(p);
    await plant("core/control_test.ts");
    const out = await new Deno.Command(Deno.execPath(), {
      args: await testTaskArgs(),
      cwd: dir,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, text);
    const ran: string[] = [];
    for await (const e of Deno.readDir(`${dir}/ran`)) ran.push(e.name);
    assert.deepEqual(ran, ["core_control_test.ts"], `collected:\n${text}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
