/**
 * Tool calls of a model without tool calling (plain mode, e.g. the platform's Livepeer Llama):
 * the reply's fenced ```ts code is parsed (never run) and each `tool_name({...})` or
 * `tools.tool_name({...})` call with a literal object argument becomes a tool call. Arguments may
 * be JSON or a JavaScript object literal (`{text: 'hi'}`), as small models write them; anything
 * that is not a literal (a variable, a function call) is refused, never evaluated.
 */
import { parse } from "acorn";
import { simple } from "acorn-walk";
import type { Node } from "acorn";
import { actionToToolCall, extractAction } from "../model/extract_action.ts";
import type { ToolCall } from "../model/types.ts";

/** The key under which an argument that was not a literal is reported. */
export const INVALID = "__not_a_literal";

/** The calls a plain reply asks for, and its text outside the code. */
export function plainReplyCalls(
  content: string,
  id: string,
): { calls: ToolCall[]; thought: string } {
  const action = extractAction(content);
  if (action.type !== "execute_code") return { calls: [], thought: action.text };
  return { calls: plainCalls([actionToToolCall(action, id)]), thought: action.thought };
}

/** Calls written as `tool_name({...})` in `execute_code` code; other calls pass unchanged. */
export function plainCalls(calls: readonly ToolCall[]): ToolCall[] {
  const out: ToolCall[] = [];
  for (const c of calls) {
    if (c.name !== "execute_code") {
      out.push(c);
      continue;
    }
    let code = "";
    try {
      code = String((JSON.parse(c.arguments) as { code?: unknown }).code ?? "");
    } catch {
      continue;
    }
    for (const [name, args] of callsIn(code)) {
      out.push({ id: `${c.id}_${out.length}`, name, arguments: args });
    }
  }
  return out;
}

/** `[name, JSON arguments]` of each top-level tool call in `code`, in order. */
function callsIn(code: string): Array<[string, string]> {
  let program: Node;
  try {
    program = parse(code, {
      ecmaVersion: "latest",
      sourceType: "module",
      allowAwaitOutsideFunction: true,
    }) as Node;
  } catch {
    return [];
  }
  const found: Array<[number, number, string, string]> = [];
  simple(program, {
    CallExpression(node) {
      const callee = node.callee as unknown as Record<string, unknown>;
      const name = callee.type === "Identifier"
        ? String(callee.name)
        : callee.type === "MemberExpression" &&
            (callee.object as { name?: string }).name === "tools" && !callee.computed
        ? String((callee.property as { name?: string }).name)
        : undefined;
      if (!name || !/^[a-z_][a-z0-9_]*$/i.test(name)) return;
      const [arg] = node.arguments;
      let value: unknown = {};
      try {
        if (arg) value = literal(arg as unknown as Record<string, unknown>);
      } catch (e) {
        // Not a literal: the tool call fails on its arguments, the code is never run.
        value = { [INVALID]: (e as Error).message };
      }
      found.push([node.start, node.end, name, JSON.stringify(value)]);
    },
  });
  // A call inside another's arguments is part of that call, not a call of its own.
  const outer = found.filter(([s, e]) =>
    !found.some(([s2, e2]) => s2 <= s && e <= e2 && (s2 < s || e < e2))
  );
  return outer.sort((a, b) => a[0] - b[0]).map(([, , n, a]) => [n, a]);
}

/** The value of a literal expression (objects, arrays, strings, numbers, booleans, null). */
function literal(n: Record<string, unknown>): unknown {
  switch (n.type) {
    case "Literal":
      return n.value;
    case "TemplateLiteral": {
      const quasis = n.quasis as Array<{ value: { cooked: string } }>;
      if ((n.expressions as unknown[]).length) throw new Error("template with expressions");
      return quasis.map((q) => q.value.cooked).join("");
    }
    case "UnaryExpression":
      if (n.operator === "-") return -(literal(n.argument as Record<string, unknown>) as number);
      throw new Error(`operator ${n.operator}`);
    case "ArrayExpression":
      return (n.elements as Array<Record<string, unknown>>).map(literal);
    case "ObjectExpression": {
      const out: Record<string, unknown> = {};
      for (const p of n.properties as Array<Record<string, unknown>>) {
        if (p.type !== "Property" || p.computed) throw new Error("computed or spread property");
        const key = p.key as Record<string, unknown>;
        out[String(key.type === "Identifier" ? key.name : key.value)] = literal(
          p.value as Record<string, unknown>,
        );
      }
      return out;
    }
  }
  throw new Error(`${n.type} is not a literal`);
}
