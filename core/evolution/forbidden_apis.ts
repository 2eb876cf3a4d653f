/**
 * A scan of generated code for APIs outside the kernel sandbox's reach or its intent: processes,
 * environment, network, KV, FFI, eval, unlisted imports, writes outside the workspace. Types
 * are stripped with sucrase (lines preserved) and the JS is walked with acorn, so comments and
 * strings never match. Defence in depth: the kernel's permission flags are the real boundary.
 */
import { transform } from "sucrase";
import { parse } from "acorn";
import { simple } from "acorn-walk";
import type { Node } from "acorn";
import type { Finding, Severity } from "./finding.ts";

/** Import specifiers generated code may use (pure libraries and harmless node modules). */
export const ALLOWED_IMPORTS: ReadonlySet<string> = new Set([
  "zod",
  "yaml",
  "papaparse",
  "simple-statistics",
  "gpt-tokenizer",
  "node:assert",
  "node:assert/strict",
  "node:path",
  "node:util",
  "node:buffer",
]);

type Rule = { rule: string; severity: Severity; message: string; fix: string };

const DENO_MEMBERS: Record<string, Rule> = {};
function denoRule(names: string[], rule: string, severity: Severity, what: string, fix: string) {
  for (const n of names) {
    DENO_MEMBERS[n] = { rule, severity, message: `Deno.${n} ${what}`, fix };
  }
}
denoRule(
  ["Command", "run", "kill"],
  "subprocess",
  "high",
  "starts or signals processes",
  "Compute the result in TypeScript; generated code cannot run programs.",
);
denoRule(
  ["env"],
  "env",
  "high",
  "reads the environment",
  "Take the value as a parameter instead of reading the environment.",
);
denoRule(
  [
    "connect",
    "connectTls",
    "listen",
    "listenTls",
    "listenDatagram",
    "startTls",
    "serve",
    "resolveDns",
  ],
  "network",
  "high",
  "opens a network connection",
  "Take the data as a parameter; network access goes through registered tools.",
);
denoRule(
  ["openKv"],
  "kv",
  "high",
  "opens a KV store",
  "Keep state in kernel variables or use the memory tools.",
);
denoRule(["dlopen"], "ffi", "high", "loads native code", "Use TypeScript only.");
denoRule(["exit"], "exit", "high", "ends the kernel process", "Throw an Error instead of exiting.");
denoRule(
  ["permissions"],
  "permissions",
  "medium",
  "queries or requests permissions",
  "Do not depend on permissions; the sandbox decides them.",
);
denoRule(
  [
    "writeFile",
    "writeTextFile",
    "writeFileSync",
    "writeTextFileSync",
    "mkdir",
    "mkdirSync",
    "remove",
    "removeSync",
    "rename",
    "renameSync",
    "create",
    "createSync",
    "truncate",
    "truncateSync",
    "symlink",
    "chmod",
    "chown",
    "copyFile",
    "link",
    "makeTempDir",
    "makeTempFile",
    "open",
    "openSync",
  ],
  "fs-write",
  "medium",
  "writes files",
  "Return data instead of writing files; if a file is needed, write a relative path inside the workspace.",
);

const GLOBAL_CALLS: Record<string, Rule> = {
  fetch: {
    rule: "network",
    severity: "high",
    message: "fetch() reaches the network",
    fix: "Take the data as a parameter; network access goes through registered tools.",
  },
  WebSocket: {
    rule: "network",
    severity: "high",
    message: "WebSocket reaches the network",
    fix: "Take the data as a parameter.",
  },
  EventSource: {
    rule: "network",
    severity: "high",
    message: "EventSource reaches the network",
    fix: "Take the data as a parameter.",
  },
  XMLHttpRequest: {
    rule: "network",
    severity: "high",
    message: "XMLHttpRequest reaches the network",
    fix: "Take the data as a parameter.",
  },
  eval: {
    rule: "eval",
    severity: "high",
    message: "eval() runs code built at run time",
    fix: "Write the logic directly; parse data with JSON.parse.",
  },
  Function: {
    rule: "eval",
    severity: "high",
    message: "Function() builds code at run time",
    fix: "Write the logic directly.",
  },
  require: {
    rule: "import",
    severity: "high",
    message: "require() loads modules outside the import map",
    fix: "Use a static import of an allowed module.",
  },
  Worker: {
    rule: "worker",
    severity: "high",
    message: "Worker starts a thread the kernel cannot supervise",
    fix: "Run the work inline.",
  },
};

/** Finds forbidden APIs in TypeScript `source`; a syntax error is itself a high finding. */
export function scanForbiddenApis(source: string): Finding[] {
  let js: string;
  let ast: Node;
  try {
    js = transform(source, { transforms: ["typescript"], keepUnusedImports: true }).code;
    ast = parse(js, { ecmaVersion: "latest", sourceType: "module", locations: true });
  } catch (e) {
    const m = /\((\d+):(\d+)\)/.exec((e as Error).message);
    return [{
      severity: "high",
      source: "forbidden",
      rule: "syntax",
      line: m ? Number(m[1]) : 0,
      message: `Cannot parse: ${(e as Error).message}`,
      fix: "Fix the syntax error.",
    }];
  }
  const out: Finding[] = [];
  const add = (node: Node, r: Rule) =>
    out.push({ ...r, source: "forbidden", line: node.loc?.start.line ?? 0 });
  const checkSpecifier = (node: Node, spec: unknown, dynamic: boolean) => {
    if (typeof spec !== "string") {
      add(node, {
        rule: "import",
        severity: "high",
        message: "import() of a computed specifier",
        fix: "Use a static import of an allowed module.",
      });
    } else if (!importAllowed(spec)) {
      add(node, {
        rule: "import",
        severity: "high",
        message: `${dynamic ? "import()" : "import"} of "${spec}" is not allowed`,
        fix: `Use only ${
          [...ALLOWED_IMPORTS].join(", ")
        } or relative files inside learned_skills/.`,
      });
    }
  };
  simple(ast, {
    ImportDeclaration(n) {
      checkSpecifier(n, n.source.value, false);
    },
    ExportAllDeclaration(n) {
      checkSpecifier(n, n.source.value, false);
    },
    ExportNamedDeclaration(n) {
      if (n.source) checkSpecifier(n, n.source.value, false);
    },
    ImportExpression(n) {
      checkSpecifier(n, n.source.type === "Literal" ? n.source.value : undefined, true);
    },
    MemberExpression(n) {
      const obj = n.object;
      const isDeno = obj.type === "Identifier" && obj.name === "Deno" ||
        obj.type === "MemberExpression" && obj.object.type === "Identifier" &&
          obj.object.name === "globalThis" && propName(obj) === "Deno";
      if (isDeno) {
        const name = propName(n);
        if (name === undefined) {
          add(n, {
            rule: "indirect",
            severity: "high",
            message: "Deno[...] hides which API is used",
            fix: "Do not index Deno dynamically.",
          });
        } else if (DENO_MEMBERS[name]) add(n, DENO_MEMBERS[name]);
      }
      if (
        obj.type === "Identifier" && obj.name === "process" &&
        ["env", "exit", "kill"].includes(propName(n) ?? "")
      ) {
        add(n, {
          rule: "process",
          severity: "high",
          message: `process.${propName(n)} reaches the host process`,
          fix: "Take values as parameters; throw instead of exiting.",
        });
      }
    },
    CallExpression(n) {
      if (n.callee.type === "Identifier" && GLOBAL_CALLS[n.callee.name]) {
        add(n, GLOBAL_CALLS[n.callee.name]!);
      }
      const target = writeTarget(n);
      if (
        target !== undefined && (target.startsWith("/") || target.split(/[\\/]/).includes(".."))
      ) {
        add(n, {
          rule: "fs-write-outside",
          severity: "high",
          message: `writes to "${target}", outside the workspace`,
          fix: "Write only relative paths inside the workspace, or return the data instead.",
        });
      }
    },
    NewExpression(n) {
      if (n.callee.type === "Identifier" && GLOBAL_CALLS[n.callee.name]) {
        add(n, GLOBAL_CALLS[n.callee.name]!);
      }
    },
  });
  return out;
}

/** True for specifiers on the allow list and relative paths that stay below the file. */
export function importAllowed(spec: string): boolean {
  if (ALLOWED_IMPORTS.has(spec)) return true;
  if (spec.startsWith("./")) return !spec.split("/").includes("..");
  if (spec.startsWith("../")) {
    // learned_skills/tests/x_test.ts may import ../functions/x.ts, nothing higher.
    return /^\.\.\/(functions|agents)\/[^.][^]*$/.test(spec) && !spec.slice(3).includes("..");
  }
  return false;
}

/** The literal first argument of a `Deno.<write>(...)` call, if any. */
function writeTarget(n: Node & { callee: Node; arguments: Node[] }): string | undefined {
  const c = n.callee as Node & { object?: Node & { name?: string }; property?: Node };
  if (
    c.type !== "MemberExpression" || c.object?.type !== "Identifier" || c.object.name !== "Deno"
  ) {
    return undefined;
  }
  const name = propName(c as Node & { computed: boolean; property: Node });
  if (!name || DENO_MEMBERS[name]?.rule !== "fs-write") return undefined;
  const arg = n.arguments[0] as (Node & { value?: unknown }) | undefined;
  return arg?.type === "Literal" && typeof arg.value === "string" ? arg.value : undefined;
}

function propName(n: Node & { computed: boolean; property: Node }): string | undefined {
  const p = n.property as Node & { name?: string; value?: unknown };
  if (!n.computed && p.type === "Identifier") return p.name;
  if (p.type === "Literal" && typeof p.value === "string") return p.value;
  return undefined;
}
