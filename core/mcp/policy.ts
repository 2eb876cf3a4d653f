/**
 * Approval from a tool's MCP annotations. The spec's defaults are a tool that may write
 * (`readOnlyHint: false`) and may destroy (`destructiveHint: true`), so: read-only tools run
 * without asking; tools that say they only add (`destructiveHint: false`) run without asking;
 * every other tool, unannotated ones included, asks first. Annotations are hints from the
 * server, not guarantees: tools.yaml overrides them per server (`"github.*"`) or per tool.
 */
import type { ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";

/** Whether a call asks the approver before it runs. */
export function requiresApproval(a: ToolAnnotations | undefined): boolean {
  if (a?.readOnlyHint === true) return false;
  return a?.destructiveHint !== false;
}

/** The line added to the tool's doc, so the model knows a call may wait for a person. */
export function approvalNote(a: ToolAnnotations | undefined): string {
  if (!requiresApproval(a)) return "";
  return a?.destructiveHint === true
    ? "Destructive: each call waits for approval."
    : "May change data: each call waits for approval.";
}
