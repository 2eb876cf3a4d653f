/** The speech client against the emulator: payload shape, one request at a time, 403 backoff. */
import assert from "node:assert/strict";
import { startNeuroSyncEmulator } from "./neurosync_emulator.ts";
import { speechUrl, VtuberClient } from "./vtuber_client.ts";

Deno.test("speech url keeps a full url and completes a base url without doubling the path", () => {
  assert.equal(
    speechUrl("http://neurosync:5001/process_text"),
    "http://neurosync:5001/process_text",
  );
  assert.equal(speechUrl("http://neurosync:5001"), "http://neurosync:5001/process_text");
  assert.equal(speechUrl("http://neurosync:5001/"), "http://neurosync:5001/process_text");
});

Deno.test("a suggestion is sent with autonomous_context as an object and is spoken", async () => {
  await using emu = startNeuroSyncEmulator();
  const client = new VtuberClient({ url: emu.speechUrl, loopIntervalMs: 15_000 });
  const out = await client.speak("Hello chat");
  assert.equal(out.status, "accepted");
  const sent = emu.spoken[0]!;
  assert.equal(sent.text, "Hello chat");
  assert.equal(sent.autonomous_context?.is_directive, false);
  assert.equal(sent.autonomous_context?.authority_level, "assistant");
  assert.equal(sent.autonomous_context?.next_cycle_seconds, 15);
  // The Player logs the suggestion as viewer chat, then the avatar's reply (in its own store).
  const log = await emu.playerLog();
  assert.deepEqual(log.map((e) => [e.type, e.actor]), [["speech", "vtuber"], ["event", "user"]]);
  assert.equal(log[1]!.text, "Hello chat");
  assert.equal(log[1]!.salience, 0.3);
});

Deno.test("a directive carries is_directive and manager authority and is not logged as chat", async () => {
  await using emu = startNeuroSyncEmulator();
  const client = new VtuberClient({ url: emu.playerUrl });
  const out = await client.speak("Talk about the game", { directive: true });
  assert.equal(out.status, "accepted");
  assert.equal(emu.spoken[0]!.autonomous_context?.is_directive, true);
  assert.equal(emu.spoken[0]!.autonomous_context?.authority_level, "manager");
  const log = await emu.playerLog();
  assert.deepEqual(log.map((e) => e.actor), ["vtuber_autonomous"]);
});

Deno.test("concurrent speak calls are sent one at a time", async () => {
  await using emu = startNeuroSyncEmulator({ speechDelayMs: 30 });
  const client = new VtuberClient({ url: emu.speechUrl });
  const outs = await Promise.all(["a", "b", "c"].map((t) => client.speak(t)));
  assert.deepEqual(outs.map((o) => o.status), ["accepted", "accepted", "accepted"]);
  assert.deepEqual(emu.spoken.map((s) => s.text), ["a", "b", "c"]);
  assert.equal(emu.maxConcurrentSpeech, 1);
});

Deno.test("403 outside a job window backs off without sending until the backoff ends", async () => {
  await using emu = startNeuroSyncEmulator({ windowOpen: false });
  let now = 1_000_000;
  const client = new VtuberClient({ url: emu.speechUrl, backoffMs: 5_000, now: () => now });
  const first = await client.speak("hi");
  assert.equal(first.status, "window_closed");
  assert.equal(first.sent, true);
  const second = await client.speak("hi again");
  assert.equal(second.status, "window_closed");
  assert.equal(second.sent, false);
  assert.equal(emu.requests.filter((r) => r.path === "/process_text").length, 1);
  emu.setWindowOpen(true);
  now += 5_001;
  assert.equal((await client.speak("now")).status, "accepted");
});

Deno.test("500 and timeouts are reported once and never retried", async () => {
  await using emu = startNeuroSyncEmulator();
  const client = new VtuberClient({ url: emu.speechUrl, timeoutMs: 100 });
  emu.fault("/process_text", { status: 500, count: 1 });
  const failed = await client.speak("x");
  assert.equal(failed.status, "failed");
  assert.equal(failed.status === "failed" && failed.httpStatus, 500);
  emu.fault("/process_text", { delayMs: 400, count: 1 });
  const slow = await client.speak("y");
  assert.equal(slow.status, "failed");
  assert.match(slow.status === "failed" ? slow.message : "", /may have been spoken; not retried/);
  assert.equal(emu.requests.filter((r) => r.path === "/process_text").length, 2);
});

Deno.test("the emulator answers bad payloads as the real Player does", async () => {
  await using emu = startNeuroSyncEmulator();
  const post = async (body: string, type = "application/json") => {
    const res = await fetch(emu.speechUrl, {
      method: "POST",
      headers: { "content-type": type },
      body,
    });
    const text = await res.text();
    return { status: res.status, html: text.startsWith("<!doctype html>"), text };
  };
  const json = (v: unknown) => post(JSON.stringify(v));
  assert.deepEqual(await json({}), {
    status: 400,
    html: false,
    text: '{"error":"Missing \'text\' in JSON payload"}',
  });
  assert.match((await json({ text: "" })).text, /Input text cannot be empty/);
  assert.equal((await json({ text: "   " })).status, 200, "only a falsy text is refused");
  assert.equal((await json({ text: "hi", autonomous_context: [] })).status, 200, "falsy = absent");
  for (
    const bad of [{ text: "hi", autonomous_context: "ctx" }, {
      text: "hi",
      autonomous_context: true,
    }, { text: 5 }]
  ) {
    assert.deepEqual([(await json(bad)).status, (await json(bad)).html], [500, true]);
  }
  assert.deepEqual([(await post('{"text":"x"}', "text/plain")).status, (await post("{x")).html], [
    400,
    true,
  ]);
  emu.setWindowOpen(false);
  assert.equal(
    (await post("not even json", "text/plain")).status,
    403,
    "the window is checked first",
  );
  const elsewhere = await fetch(`${emu.url}/process_text`, { method: "POST" });
  assert.deepEqual([elsewhere.status, (await elsewhere.text()).includes("404 Not Found")], [
    404,
    true,
  ]);
  await assert.rejects(new VtuberClient({ url: emu.speechUrl }).speak(""), /non-empty/);
});
