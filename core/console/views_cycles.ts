/**
 * The console's cycle views: one cycle as a `<details>` row (status, timings, tokens, then the
 * context sections with each text's origin, the model's decisions, tool calls with arguments,
 * results and approvals, errors), the live timeline, and cost per cycle and per day.
 */
import type { CycleRecord } from "../platform/decision_loop.ts";
import { type Html, html, preview } from "./html.ts";
import type { DecidedApproval } from "./tool_approvals.ts";

/** A cycle record as the console shows it (with the approvals its tool calls waited for). */
export type ShownCycle = CycleRecord & { approvals?: DecidedApproval[] };

/** One cycle, collapsed to its summary line. */
export function cycleRow(c: ShownCycle): Html {
  const calls = c.toolCalls.map((t) => t.tool).join(", ") || "no tool calls";
  const timing = html`<dl class="timings"><dt>Model</dt><dd>${Math.round(c.modelMs)} ms</dd>
<dt>Context</dt><dd>${Math.round(c.contextMs)} ms</dd>
<dt>Other</dt><dd>${Math.round(c.overheadMs)} ms</dd>
<dt>Tokens</dt><dd>${c.tokens.prompt} in, ${c.tokens.completion} out</dd>
${
    c.stopReason
      ? html`
        <dt>Stopped</dt>
        <dd>${c.stopReason}</dd>
      `
      : ""
  }
${
    c.traceId
      ? html`
        <dt>Trace</dt>
        <dd><code>${c.traceId}</code></dd>
      `
      : ""
  }</dl>`;
  const decisions = c.decisions.map((d) =>
    html`<li>Step ${d.step}: ${d.thought || "(no words)"}${
      d.calls.length
        ? html`
          → ${d.calls.map((x) =>
            html`
              <code>${x.tool}</code>
            `
          )}
        `
        : ""
    }</li>`
  );
  const errors = c.errors.map((e) => html`<li>${e}</li>`);
  return html`
    <li class="cycle ${c.status}" data-cycle="${c.id}">
      <details>
    <summary><span class="badge">${c.status}</span> Cycle ${c.id} · ${time(c.startedAt)} ·
    ${Math.round(c.durationMs)} ms · ${c.tokens.prompt +
      c.tokens.completion} tokens · ${calls}</summary>
    ${timing}
    ${contextView(c)}
    ${decisions.length
      ? html`
        <h3>Decisions</h3>
        <ol>${decisions}</ol>
      `
      : ""}
    ${c.toolCalls.length ? toolCallsView(c) : ""}
    ${errors.length
      ? html`
        <h3>Errors</h3>
        <ul class="errors">${errors}</ul>
      `
      : ""}
      </details>
    </li>
  `;
}

function contextView(c: ShownCycle): Html {
  if (!c.context) return html``;
  if (!c.context.length) {
    return html`
      <h3>What the model saw</h3>
      <p>Nothing: no SCB, chat, facts or memories yet.</p>
    `;
  }
  const sections = c.context.map((s) => {
    const items = s.items.map((i) =>
      html`<li><span class="origin">${i.origin}</span>${
        i.note
          ? html`
            <span class="note">(${i.note})</span>
          `
          : ""
      }: ${i.text}</li>`
    );
    return html`
      <section class="context">
        <h4>${s.title}</h4>
        <ul>${items}</ul>
      </section>
    `;
  });
  return html`<h3>What the model saw</h3>${sections}`;
}

function toolCallsView(c: ShownCycle): Html {
  const rows = c.toolCalls.map((t) => {
    const approval = c.approvals?.find((a) => a.tool === t.tool);
    return html`
      <tr>
        <td><code>${t.tool}</code></td>
        <td>${t.ok ? "ok" : "failed"}${approval
          ? html`
            (${approval.outcome})
          `
          : ""}</td>
        <td>${Math.round(t.ms)} ms</td>
        <td>
          <pre>${preview(t.args ?? {})}</pre>
        </td>
        <td>
          <pre>${t.ok ? preview(t.result ?? null) : t.error ?? ""}</pre>
        </td>
      </tr>
    `;
  });
  return html`
    <h3>Tool calls</h3>
    <table>
      <caption class="sr-only">Tool calls of cycle ${c.id}</caption>
      <thead>
        <tr>
          <th scope="col">Tool</th>
          <th scope="col">Outcome</th>
          <th scope="col">Time</th>
          <th scope="col">Arguments</th>
          <th scope="col">Result</th>
        </tr>
      </thead>
      <tbody>${rows}</tbody>
    </table>
  `;
}

/** The live timeline (newest first); app.js prepends cycles as they finish. */
export function cyclesView(cycles: ShownCycle[]): Html {
  return html`<p id="live" role="status" aria-live="polite">Live: new cycles appear here as they finish.</p>
<form method="post" action="/console/cycle"><button type="submit">Run one cycle now</button></form>
<ol id="timeline" class="timeline" aria-label="Cycles, newest first">${cycles.map(cycleRow)}</ol>
${cycles.length ? "" : html`<p id="empty">No cycle has run yet.</p>`}`;
}

/** Token use and cost per cycle and per day, from the kept cycle records. */
export function costView(
  cycles: CycleRecord[],
  prices: { inputPerM: number; outputPerM: number },
): Html {
  const cost = (c: CycleRecord) =>
    (c.tokens.prompt * prices.inputPerM + c.tokens.completion * prices.outputPerM) / 1e6;
  const days = new Map<
    string,
    { cycles: number; prompt: number; completion: number; cost: number }
  >();
  for (const c of cycles) {
    const day = c.startedAt.slice(0, 10);
    const d = days.get(day) ?? { cycles: 0, prompt: 0, completion: 0, cost: 0 };
    d.cycles++;
    d.prompt += c.tokens.prompt;
    d.completion += c.tokens.completion;
    d.cost += cost(c);
    days.set(day, d);
  }
  const money = (n: number) => `$${n.toFixed(4)}`;
  const priced = prices.inputPerM > 0 || prices.outputPerM > 0;
  return html`
    ${priced ? "" : html`
      <p
        class="note">No prices configured (model.inputPricePerM, model.outputPricePerM): costs show as $0.</p>
    `}
    <h2>Per day</h2>
    <table>
      <thead>
        <tr>
          <th scope="col">Day</th>
          <th scope="col">Cycles</th>
          <th scope="col">Input tokens</th>
          <th scope="col">Output tokens</th>
          <th scope="col">Cost</th>
        </tr>
      </thead>
      <tbody>${[...days].map(([day, d]) =>
        html`
          <tr>
            <td>${day}</td>
            <td>${d.cycles}</td>
            <td>${d.prompt}</td>
            <td>${d.completion}</td>
            <td>${money(d.cost)}</td>
          </tr>
        `
      )}</tbody>
    </table>
    <h2>Per cycle</h2>
    <table>
      <thead>
        <tr>
          <th scope="col">Cycle</th>
          <th scope="col">Started</th>
          <th scope="col">Input tokens</th>
          <th scope="col">Output tokens</th>
          <th scope="col">Cost</th>
        </tr>
      </thead>
      <tbody>${cycles.map((c) =>
        html`
          <tr>
            <td>${c.id}</td>
            <td>${time(c.startedAt)}</td>
            <td>${c.tokens.prompt}</td>
            <td>${c.tokens.completion}</td>
            <td>${money(cost(c))}</td>
          </tr>
        `
      )}</tbody>
    </table>
    <p class="note">From the newest ${cycles.length} cycles the daemon keeps in memory.</p>
  `;
}

function time(iso: string): string {
  return iso.replace("T", " ").slice(0, 19);
}
