/**
 * The operator console in a real browser (issue 20.3): Debian's chromium driven by
 * npm:playwright-core. The page loads with no console errors, a cycle triggered through the API
 * appears live, a tool call waiting for approval is approved by a click and its cycle goes on, a
 * memory search shows results, the controls are labelled and reachable from the keyboard, and the
 * sign-in takes the API token. A screenshot of each view goes to CONSOLE_SCREENSHOTS (default
 * /tmp/autoliza-console-screenshots).
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import type { Browser, Page } from "playwright-core";
import { loadConfig } from "../config.ts";
import { startDaemon } from "../daemon.ts";
import { memoryLogger } from "../log.ts";
import { startScriptedModelServer } from "../testing/scripted_model_server.ts";

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = (() => {
  try {
    return Deno.statSync(CHROMIUM).isFile;
  } catch {
    return false;
  }
})();
// In CI the browser must be there (.ci/run installs it); elsewhere the test is skipped without it.
const ignore = !hasChromium && Deno.env.get("CI") !== "true";
// playwright-core probes /proc/sys/fs/binfmt_misc/WSLInterop to detect WSL; Deno asks for
// --allow-all to read under /proc/sys, which `deno task test` does not grant. Not WSL here.
const existsSync = fs.existsSync;
fs.existsSync = (p: fs.PathLike) =>
  String(p).startsWith("/proc/sys/fs/binfmt_misc/") ? false : existsSync(p);

const SHOTS = Deno.env.get("CONSOLE_SCREENSHOTS") ?? "/tmp/autoliza-console-screenshots";

async function launch(): Promise<Browser> {
  // Imported after the existsSync patch above: the probe runs while the module loads.
  const { chromium } = await import("playwright-core");
  return await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}

/** Collects console errors and uncaught page errors. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  return errors;
}

async function daemonWith(env: Record<string, string>, script: () => "plain" | "tool") {
  const model = startScriptedModelServer({
    script: (req) => {
      const last = (req.body?.messages as { role: string }[]).at(-1)!;
      if (last.role === "tool" || script() === "plain") {
        return {
          content: "Nothing more to do.",
          usage: { promptTokens: 900, completionTokens: 20 },
        };
      }
      return {
        toolCalls: [{ name: "update_context", arguments: { text: "The chat loves <b>cats</b>" } }],
        usage: { promptTokens: 1200, completionTokens: 40 },
      };
    },
  });
  const dataDir = await Deno.makeTempDir({ prefix: "console_browser_" });
  const toolsFile = `${dataDir}/tools.yaml`;
  await Deno.writeTextFile(toolsFile, "tools:\n  update_context:\n    requiresApproval: true\n");
  const config = loadConfig({
    env: {
      PORT: "0",
      DATA_DIR: dataDir,
      OPENAI_BASE_URL: model.url,
      OPENAI_API_KEY: "k",
      STANDALONE_MODE: "true",
      AUTONOMOUS_LOOP_INTERVAL: "3600000",
      ...env,
    },
    file: "/dev/null",
  });
  config.paths.toolsConfig = toolsFile;
  config.paths.sessions = `${dataDir}/sessions`;
  config.model.inputPricePerM = 0.15;
  config.model.outputPricePerM = 0.6;
  const daemon = startDaemon(config, memoryLogger().logger);
  await daemon.ready;
  return {
    daemon,
    base: `http://127.0.0.1:${daemon.port}`,
    async close() {
      await daemon.shutdown("test");
      await model.close();
      await Deno.remove(dataDir, { recursive: true });
    },
  };
}

Deno.test({
  name: "the console shows live cycles, approves a waiting tool call, searches memory",
  ignore,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    let mode: "plain" | "tool" = "plain";
    const d = await daemonWith({}, () => mode);
    const browser = await launch();
    try {
      await Deno.mkdir(SHOTS, { recursive: true });
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors = watchErrors(page);

      // Keyboard: the first Tab reaches the skip link, the next the first view in the navigation.
      await page.goto(`${d.base}/console/cycles`);
      await page.keyboard.press("Tab");
      assert.equal(
        await page.evaluate("document.activeElement?.textContent"),
        "Skip to content",
      );
      await page.keyboard.press("Tab");
      assert.equal(await page.evaluate("document.activeElement?.textContent"), "Status");
      await page.getByText("Live: connected").waitFor();

      // A cycle run through the API appears on the open page without a reload.
      const before = await page.locator("[data-cycle]").count();
      const ranRes = await fetch(`${d.base}/api/cycle`, { method: "POST" });
      const ran = await ranRes.json();
      assert.ok(ran.cycle, `${ranRes.status} ${JSON.stringify(ran)}`);
      await page.locator(`[data-cycle="${ran.cycle.id}"]`).waitFor();
      assert.equal(await page.locator("[data-cycle]").count(), before + 1);
      await page.locator(`[data-cycle="${ran.cycle.id}"] summary`).click();
      await page.getByRole("heading", { name: "What the model saw" }).first().waitFor();
      await page.screenshot({ path: `${SHOTS}/cycles.png`, fullPage: true });

      // A tool that requires approval waits; a click on Approve lets the cycle go on.
      mode = "tool";
      const waiting = fetch(`${d.base}/api/cycle`, { method: "POST" }).then((r) => r.json());
      await page.goto(`${d.base}/console/approvals`);
      const approve = page.getByRole("button", { name: "Approve update_context" });
      await approve.waitFor();
      await page.screenshot({ path: `${SHOTS}/approvals.png`, fullPage: true });
      await approve.focus();
      await page.keyboard.press("Enter");
      const done = await waiting;
      mode = "plain";
      assert.equal(done.cycle.status, "ok", JSON.stringify(done.cycle.errors));
      assert.equal(done.cycle.toolCalls[0].tool, "update_context");
      assert.equal(done.cycle.toolCalls[0].ok, true, JSON.stringify(done.cycle.toolCalls[0]));
      const listed = await (await fetch(`${d.base}/api/cycles?limit=1`)).json();
      assert.equal(listed.cycles[0].approvals[0].outcome, "approved");
      await page.getByRole("cell", { name: "approved" }).waitFor();

      // The cycle row shows the call's arguments, escaped.
      await page.goto(`${d.base}/console/cycles`);
      await page.locator(`[data-cycle="${done.cycle.id}"] summary`).click();
      const row = await page.locator(`[data-cycle="${done.cycle.id}"]`).innerHTML();
      assert.match(row, /&lt;b&gt;cats&lt;\/b&gt;/);
      assert.equal(await page.locator(`[data-cycle="${done.cycle.id}"] b`).count(), 0);

      // The next cycle shows the stored fact among what the model saw, with its origin.
      const next = await (await fetch(`${d.base}/api/cycle`, { method: "POST" })).json();
      const facts = next.cycle.context.find((s: { title: string }) =>
        s.title === "Goals and facts"
      );
      assert.ok(facts, JSON.stringify(next.cycle.context));
      await page.locator(`[data-cycle="${next.cycle.id}"] summary`).click();
      await page.locator(`[data-cycle="${next.cycle.id}"] .context`, { hasText: "The chat loves" })
        .first().waitFor();

      // Memory search from the keyboard: the approved call's fact is found, with a score.
      await page.goto(`${d.base}/console/memory`);
      await page.getByLabel("Search memories").fill("cats");
      await page.keyboard.press("Enter");
      await page.locator("ol.hits li", { hasText: "The chat loves" }).first().waitFor();
      assert.match(await page.locator("ol.hits .score").first().innerText(), /^\d\.\d{3}$/);
      await page.screenshot({ path: `${SHOTS}/memory.png`, fullPage: true });

      for (const view of ["status", "tools", "skills", "cost"]) {
        await page.goto(`${d.base}/console/${view}${view === "tools" ? "?q=remember+a+fact" : ""}`);
        await page.getByRole("heading", { level: 1 }).waitFor();
        await page.screenshot({ path: `${SHOTS}/${view}.png`, fullPage: true });
      }
      assert.match(await page.locator("main").innerText(), /\$0\.\d{4}/);
      await page.goto(`${d.base}/console/tools?q=remember+a+fact`);
      await page.locator("ol.hits li", { hasText: "update_context" }).first().waitFor();
      // Every form control has a label.
      for (const view of ["memory", "tools", "approvals", "cycles"]) {
        await page.goto(`${d.base}/console/${view}`);
        // Evaluated in the page (a string: this file is not type-checked against the DOM).
        const unlabelled = await page.evaluate(`[...document.querySelectorAll("input, button")]
          .filter((e) => !(e.labels?.length || e.getAttribute("aria-label") || e.textContent.trim()))
          .length`);
        assert.equal(unlabelled, 0, view);
      }
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await d.close();
    }
  },
});

Deno.test({
  name: "with a token the console asks for it once and keeps it in an HttpOnly cookie",
  ignore,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const token = "console-token-0123456789";
    const d = await daemonWith({ API_TOKEN: token }, () => "plain");
    const browser = await launch();
    try {
      const page = await browser.newPage();
      const errors = watchErrors(page);
      await page.goto(`${d.base}/console/status`);
      assert.match(page.url(), /\/console\/login$/);
      await page.getByLabel("API token").fill("wrong-token-000000000");
      await page.keyboard.press("Enter");
      await page.getByRole("alert").waitFor();
      await page.getByLabel("API token").fill(token);
      await page.getByRole("button", { name: "Open the console" }).click();
      await page.waitForURL(/\/console\/status$/);
      await page.getByRole("heading", { name: "Status", level: 1 }).waitFor();
      const cookies = await page.context().cookies();
      const session = cookies.find((c) => c.name === "autoliza_token")!;
      assert.equal(session.httpOnly, true);
      assert.equal(session.sameSite, "Strict");
      assert.equal(await page.evaluate("document.cookie"), "", "scripts cannot read it");
      await page.screenshot({ path: `${SHOTS}/login-status.png` });
      // Without the cookie or the header, the API still refuses.
      assert.equal((await fetch(`${d.base}/api/status`)).status, 401);
      assert.deepEqual(errors.filter((e) => !/401/.test(e)), [], errors.join("\n"));
    } finally {
      await browser.close();
      await d.close();
    }
  },
});
