// The console's only script: live updates over server-sent events (/console/events). Pages work
// without it; rows arrive already rendered (and escaped) by the server.
const view = document.body.dataset.view;
if (view === "cycles" || view === "approvals") {
  const events = new EventSource("/console/events");
  const live = document.getElementById("live");
  events.addEventListener("open", () => {
    if (live) live.textContent = "Live: connected; new cycles appear here as they finish.";
    // What changed before the stream was (re)connected.
    if (view === "approvals") void refreshApprovals();
  });
  events.addEventListener("error", () => {
    if (live) live.textContent = "Live: reconnecting…";
  });
  events.addEventListener("cycle", (e) => {
    if (view !== "cycles") return;
    const { id, html } = JSON.parse(e.data);
    const timeline = document.getElementById("timeline");
    if (!timeline || timeline.querySelector(`[data-cycle="${id}"]`)) return;
    timeline.insertAdjacentHTML("afterbegin", html);
    document.getElementById("empty")?.remove();
    if (live) live.textContent = `Live: cycle ${id} finished.`;
  });
  events.addEventListener("approvals", () => {
    if (view === "approvals") void refreshApprovals();
  });
}

async function refreshApprovals() {
  const res = await fetch("/console/approvals", { headers: { accept: "text/html" } });
  const doc = new DOMParser().parseFromString(await res.text(), "text/html");
  const fresh = doc.getElementById("approvals");
  const current = document.getElementById("approvals");
  // Keep the keyboard focus where it was when the list is replaced.
  const focused = document.activeElement?.getAttribute("aria-label");
  if (fresh && current) current.replaceWith(fresh);
  if (focused) document.querySelector(`[aria-label="${CSS.escape(focused)}"]`)?.focus();
}
