/**
 * Deno's permission errors end "run again with the --allow-read flag", which neither the person
 * nor the model can do in a kernel. Rewritten to what is true: the kernel's sandbox denies it,
 * and what it does allow.
 */

const RUN_AGAIN = /,? run again with the --allow-[a-z]+ flag/g;

/** What the kernel's sandbox allows, for messages. */
export interface SandboxScope {
  workspace: string;
  learned?: string | undefined;
}

/** `text` with every "run again with the --allow-... flag" replaced by the sandbox's rules. */
export function explainDenials(text: string, scope: SandboxScope): string {
  if (!text.includes("run again with the --allow-")) return text;
  const read = scope.learned ? ` and read ${scope.learned}` : "";
  return text.replace(
    RUN_AGAIN,
    `: the kernel's sandbox denies it (a cell may read and write ${scope.workspace}${read}; ` +
      "no network, environment, subprocesses, FFI or system information)",
  );
}
