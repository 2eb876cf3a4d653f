/** The console's learned-skills view: the approval queue first, then what is approved. */
import { type Html, html } from "./html.ts";
import type { SkillItem } from "./skills_queue.ts";

/** Pending skills with their code, tests, coverage and findings, and Approve / Reject. */
export function skillsView(pending: SkillItem[], learned: SkillItem[], notice?: string): Html {
  return html`${notice ? html`<p role="status" class="notice">${notice}</p>` : ""}
<h2>Waiting for approval</h2>
${
    pending.length
      ? html`<ul class="pending">${pending.map((s) => skill(s, true))}</ul>`
      : html`<p>Nothing is pending.</p>`
  }
<h2>Approved</h2>
${
    learned.length
      ? html`<ul class="learned">${learned.map((s) => skill(s, false))}</ul>`
      : html`<p>No learned skill yet.</p>`
  }`;
}

function skill(s: SkillItem, pending: boolean): Html {
  const rounds = Array.isArray(s.report?.rounds)
    ? s.report.rounds as Record<string, unknown>[]
    : [];
  const last = rounds.at(-1);
  const findings = (last?.findings ?? s.report?.remaining ?? []) as {
    severity?: string;
    message?: string;
  }[];
  const tests = last?.tests as Record<string, unknown> | undefined;
  return html`
    <li class="skill">
      <details${pending
        ? html`
          open
        `
        : ""}>
    <summary>${s.kind.replace(/s$/, "")} <code>${s.name}</code>${tests
      ? html`
        · tests ${tests.passed ? "passed" : "failed"}${typeof tests.lineCoverage === "number"
          ? `, coverage ${Math.round(tests.lineCoverage * 100)}%`
          : ""}
      `
      : ""}${findings.length ? ` · ${findings.length} review findings` : ""}</summary>
    ${findings.length
      ? html`<ul class="findings">${
        findings.map((f) => html`<li>${f.severity ?? ""} ${f.message ?? JSON.stringify(f)}</li>`)
      }</ul>`
      : ""}
    ${s.files.map((f) =>
      html`
        <h4>${f.name}</h4>
        <pre><code>${f.text}</code></pre>
      `
    )}
    ${pending
      ? html`
        <form method="post" action="/console/skills/${s.kind}/${s.name}" class="decide">
          <button type="submit" name="decision" value="approve"
            aria-label="Approve ${s.name}">Approve</button>
          <button type="submit" name="decision" value="reject"
            aria-label="Reject ${s.name}">Reject</button>
        </form>
      `
      : ""}
    </details></li>
  `;
}
