/**
 * TypeScript `namespace` blocks, rewritten before sucrase (which silently drops them). The
 * rewrite is the one tsc emits (`var N; (function (N) { ... })(N || (N = {}))`), kept on the
 * same lines so error lines still point at the user's code. Nested namespaces are handled.
 */

const OPEN = /(^|[;\n}])([ \t]*)(?:export\s+)?(?:namespace|module)\s+([A-Za-z_$][\w$]*)\s*\{/g;
const EXPORTED =
  /(^|[;\n{}])([ \t]*)export\s+(?:declare\s+)?(const|let|var|function\*?|class|enum|namespace|module)\s+([A-Za-z_$][\w$]*)/g;

/** Rewrites every `namespace X { ... }`; returns the code unchanged when there is none. */
export function rewriteNamespaces(code: string): string {
  for (let guard = 0; guard < 100; guard++) {
    OPEN.lastIndex = 0;
    const m = OPEN.exec(code);
    if (!m) return code;
    const name = m[3]!;
    const bodyStart = m.index + m[0].length;
    const close = matchingBrace(code, bodyStart);
    if (close < 0) return code; // unbalanced: let the parser report the syntax error
    const body = code.slice(bodyStart, close);
    const names: string[] = [];
    const inner = rewriteNamespaces(body).replace(
      EXPORTED,
      (_all, pre: string, ws: string, kind: string, id: string) => {
        names.push(id);
        return `${pre}${ws}${kind} ${id}`;
      },
    );
    const head = `${m[1]}${m[2]}var ${name}; (function (${name}) {`;
    const tail = ";" + names.map((n) => ` ${name}.${n} = ${n};`).join("") +
      ` })(${name} || (${name} = {}));`;
    code = code.slice(0, m.index) + head + inner + tail + code.slice(close + 1);
  }
  return code;
}

/** Index of the `}` closing the block whose body starts at `from`, skipping strings/comments. */
function matchingBrace(code: string, from: number): number {
  let depth = 1;
  for (let i = from; i < code.length; i++) {
    const c = code[i];
    if (c === "/" && code[i + 1] === "/") i = skipTo(code, i, "\n") - 1;
    else if (c === "/" && code[i + 1] === "*") i = skipTo(code, i + 2, "*/") + 1;
    else if (c === '"' || c === "'" || c === "`") i = skipString(code, i);
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i;
  }
  return -1;
}

function skipTo(code: string, from: number, end: string): number {
  const i = code.indexOf(end, from);
  return i < 0 ? code.length : i;
}

function skipString(code: string, start: number): number {
  const q = code[start];
  for (let i = start + 1; i < code.length; i++) {
    if (code[i] === "\\") i++;
    else if (code[i] === q) return i;
  }
  return code.length;
}
