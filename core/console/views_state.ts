/**
 * The console's state views: status at a glance, memory (search with scores, recent facts and
 * goals with origin and trust), tools (signature, source, search as the model sees it, success
 * rate and latency), and the daemon's approval queue.
 */
import type { SearchHit } from "../memory/types.ts";
import type { Memory } from "../memory/types.ts";
import type { ToolHit } from "../tools/tool_search.ts";
import type { ToolInfo } from "../tools/registry.ts";
import type { ToolSpec } from "../tools/tool_spec.ts";
import { renderSignature } from "../tools/signature.ts";
import type { CycleRecord } from "../platform/decision_loop.ts";
import { type Html, html, preview } from "./html.ts";
import type { DecidedApproval, PendingApproval } from "./tool_approvals.ts";

/** Status at a glance: the parts an operator checks first, then everything else /api/status says. */
export function statusView(s: Record<string, unknown>): Html {
  const part = (label: string, value: unknown) => {
    const v = value as Record<string, unknown> | undefined;
    const state = String(
      v?.state ?? (v?.active === true ? "active" : v?.active === false ? "off" : "unknown"),
    );
    const why = v?.reason ?? v?.unavailable ?? v?.name ?? v?.engine ?? "";
    return html`
      <div class="card ${state}">
        <h2>${label}</h2>
        <p><span class="badge">${state}</span> ${String(why)}</p>
      </div>
    `;
  };
  const actors = Array.isArray(s.actors) ? s.actors as Record<string, unknown>[] : [];
  const known = new Set(["model", "memory", "scb", "vtuber", "loop", "actors", "pendingWrites"]);
  const rest = Object.fromEntries(Object.entries(s).filter(([k]) => !known.has(k)));
  return html`
    <div class="cards">
    ${part("Model", s.model)}${part("Memory", s.memory)}${part("SCB", s.scb)}${part(
      "Avatar",
      s.vtuber,
    )}
    ${part("Decision loop", s.loop)}
    <div class="card"><h2>Write queue</h2><p>${String(
      s.pendingWrites ?? 0,
    )} pending${s.deadLetters === undefined
      ? ""
      : html`, ${String(s.deadLetters)} dead letters`}</p></div>
    </div>
    <h2>Actors</h2>
    <table>
      <thead>
        <tr>
          <th scope="col">Actor</th>
          <th scope="col">State</th>
          <th scope="col">Restarts</th>
        </tr>
      </thead>
      <tbody>${actors.map((a) =>
        html`
          <tr>
            <td>${String(a.name ?? a.id ?? "?")}</td>
            <td>${String(a.state ?? a.status ?? "")}</td>
            <td>${String(a.restarts ?? 0)}</td>
          </tr>
        `
      )}</tbody>
    </table>
    <h2>Everything else</h2>
    <pre>${preview(rest, 6_000)}</pre>
  `;
}

/** Memory search with scores, and the latest facts and goals with origin and trust. */
export function memoryView(
  q: string,
  hits: SearchHit[] | undefined,
  facts: Memory[],
  error?: string,
): Html {
  return html`
    <form method="get" action="/console/memory" role="search">
      <label for="q">Search memories</label>
      <input id="q" name="q" type="search" value="${q}" autocomplete="off">
      <button type="submit">Search</button>
    </form>
    ${error ? html`<p class="errors" role="alert">${error}</p>` : ""}
    ${hits
      ? html`<h2>Results for “${q}”</h2>${
        hits.length
          ? html`<ol class="hits">${
            hits.map((h) =>
              html`<li><span class="score">${
                h.score.toFixed(3)
              }</span> <span class="origin">${h.memory.type}${
                h.memory.content.speaker ? `, ${h.memory.content.speaker}` : ""
              }${h.archived ? ", archived" : ""}</span> ${h.memory.content.text}</li>`
            )
          }</ol>`
          : html`<p>No memory matches.</p>`
      }`
      : ""}
    <h2>Recent facts and goals</h2>
    <table>
      <thead>
        <tr>
          <th scope="col">Kind</th>
          <th scope="col">Text</th>
          <th scope="col">Origin</th>
          <th scope="col">Trust</th>
          <th scope="col">Written</th>
        </tr>
      </thead>
      <tbody>${facts.map((m) =>
        html`
          <tr>
            <td>${String(m.content.type ?? m.type)}</td>
            <td>${m.content.text}</td>
            <td>${String(m.metadata.source ?? m.content.speaker ?? "")}</td>
            <td>${String(m.metadata.trust ?? m.metadata.verified ?? "")}</td>
            <td>${m.createdAt.toISOString().slice(0, 19).replace("T", " ")}</td>
          </tr>
        `
      )}</tbody>
    </table>
  `;
}

/** Per-tool success rate and latency over the kept cycles. */
export function toolStats(
  cycles: CycleRecord[],
): Map<string, { calls: number; ok: number; ms: number[] }> {
  const stats = new Map<string, { calls: number; ok: number; ms: number[] }>();
  for (const c of cycles) {
    for (const t of c.toolCalls) {
      const s = stats.get(t.tool) ?? { calls: 0, ok: 0, ms: [] };
      s.calls++;
      if (t.ok) s.ok++;
      s.ms.push(t.ms);
      stats.set(t.tool, s);
    }
  }
  return stats;
}

/** Every tool with its signature, source and numbers; a search box ranks them as the model would. */
export function toolsView(
  tools: { info: ToolInfo; spec?: ToolSpec | undefined }[],
  stats: ReturnType<typeof toolStats>,
  q: string,
  hits: ToolHit[] | undefined,
): Html {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? 0;
  return html`
    <form method="get" action="/console/tools" role="search">
      <label for="tq">Search tools as the model does (search_tools)</label>
      <input id="tq" name="q" type="search" value="${q}" autocomplete="off">
      <button type="submit">Search</button>
    </form>
    ${hits
      ? html`
        <h2>search_tools("${q}")</h2>
        <ol class="hits">${hits.map((h) =>
          html`<li><span class="score">${
            h.score.toFixed(3)
          }</span> <code>${h.name}</code> ${h.spec.description}</li>`
        )}</ol>
      `
      : ""}
    <h2>All tools</h2>
    <table>
      <thead>
        <tr>
          <th scope="col">Tool</th>
          <th scope="col">Signature</th>
          <th scope="col">Source</th>
          <th scope="col">Success</th>
          <th scope="col">Median latency</th>
        </tr>
      </thead>
      <tbody>${tools.map(({ info, spec }) => {
        const s = stats.get(info.name);
        return html`
          <tr>
            <td><code>${info.name}</code>${info.enabled ? "" : " (disabled)"}${info.requiresApproval
              ? " (needs approval)"
              : ""}</td>
            <td>
              <pre>${spec ? renderSignature(spec) : info.description}</pre>
            </td>
            <td>${sourceLabel(info.source)}</td>
            <td>${s ? `${Math.round((100 * s.ok) / s.calls)}% of ${s.calls}` : "no calls"}</td>
            <td>${s ? `${Math.round(median(s.ms))} ms` : ""}</td>
          </tr>
        `;
      })}</tbody>
    </table>
  `;
}

function sourceLabel(source: string): string {
  if (source.startsWith("catalog:")) return `catalogue ${source.slice(8)}`;
  if (source.startsWith("mcp:")) return `MCP server ${source.slice(4)}`;
  if (source.includes("learned_skills")) return `learned (${source.split("/").pop()})`;
  return `file ${source.split("/").slice(-2).join("/")}`;
}

/** The daemon's approval queue: waiting calls with Approve and Reject, then recent decisions. */
export function approvalsView(pending: PendingApproval[], decided: DecidedApproval[]): Html {
  return html`<div id="approvals">
<h2>Waiting</h2>
${
    pending.length
      ? html`<ul class="pending">${
        pending.map((p) =>
          html`
            <li class="approval" data-approval="${p.id}">
              <p><code>${p.tool}</code>${p.sessionId ? ` in ${p.sessionId}` : ""}, waiting since ${p
                .since.slice(11, 19)}, denied at ${p.deadline.slice(11, 19)} unless decided</p>
              <pre>${preview(p.args)}</pre>
              <form method="post" action="/console/approvals/${p.id}" class="decide">
                <button type="submit" name="decision" value="approve"
                  aria-label="Approve ${p.tool}">Approve</button>
                <button type="submit" name="decision" value="reject"
                  aria-label="Reject ${p.tool}">Reject</button>
              </form>
            </li>
          `
        )
      }</ul>`
      : html`<p>No tool call is waiting for approval.</p>`
  }
<h2>Decided</h2>
<table><thead><tr><th scope="col">Tool</th><th scope="col">Session</th><th scope="col">Outcome</th>
<th scope="col">At</th></tr></thead><tbody>${
    decided.map((d) =>
      html`
        <tr>
          <td><code>${d.tool}</code></td>
          <td>${d.sessionId ?? ""}</td>
          <td>${d.outcome}</td>
          <td>${d.decidedAt.slice(11, 19)}</td>
        </tr>
      `
    )
  }</tbody></table></div>`;
}
