/**
 * HTML for the operator console, server-rendered with a tagged template that escapes every
 * interpolated value unless it is already {@link Html} (no template engine, no dependency, and no
 * way for a tool argument or a viewer's chat line to become markup). `page` is the shared layout:
 * skip link, labelled navigation with `aria-current`, one `<main>`.
 */

/** Markup that is already safe (built by {@link html}). */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Builds markup; values are escaped, arrays joined, `null`/`undefined`/`false` left out. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!;
  });
  return new Html(out);
}

function render(v: unknown): string {
  if (v === null || v === undefined || v === false) return "";
  if (v instanceof Html) return v.text;
  if (Array.isArray(v)) return v.map(render).join("");
  return escapeHtml(String(v));
}

/** The console's views, in navigation order: path segment and label. */
export const VIEWS = [
  ["status", "Status"],
  ["cycles", "Cycles"],
  ["memory", "Memory"],
  ["tools", "Tools"],
  ["skills", "Learned skills"],
  ["approvals", "Approvals"],
  ["cost", "Cost"],
] as const;

/** A view's name. */
export type ViewName = (typeof VIEWS)[number][0];

/** The whole page around one view's `body`. */
export function page(active: ViewName | "login", title: string, body: Html): Html {
  const nav = VIEWS.map(([name, label]) =>
    html`<li><a href="/console/${name}"${
      name === active ? new Html(' aria-current="page"') : ""
    }>${label}</a></li>`
  );
  return html`
    <!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>${title} · Autoliza console</title>
        <link rel="icon" href="data:,">
        <link rel="stylesheet" href="/console/app.css">
        <script type="module" src="/console/app.js"></script>
      </head>
      <body data-view="${active}">
        <a class="skip" href="#main">Skip to content</a>
        <header><strong>Autoliza</strong>
        ${active === "login" ? "" : html`
          <nav aria-label="Console views">
            <ul>${nav}</ul>
          </nav>
        `}
            </header>
        <main id="main" tabindex="-1">
        <h1>${title}</h1>
        ${body}
            </main>
      </body>
    </html>
  `;
}

/** Security headers for every console answer: no framing, no inline script, no sniffing. */
export const CONSOLE_HEADERS: Record<string, string> = {
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
    "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  // Not no-referrer: with it Chrome sends `Origin: null` on form posts, which the API refuses.
  "referrer-policy": "same-origin",
  "cache-control": "no-store",
};

/** An HTML answer with the console's headers. */
export function htmlResponse(body: Html, status = 200, headers: Record<string, string> = {}) {
  return new Response(body.text, {
    status,
    headers: { "content-type": "text/html; charset=utf-8", ...CONSOLE_HEADERS, ...headers },
  });
}

/** A compact rendering of a JSON-like value for `<pre>` blocks (bounded). */
export function preview(value: unknown, max = 2_000): string {
  const text = typeof value === "string" ? value : JSON.stringify(value, null, 2) ?? "";
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}
