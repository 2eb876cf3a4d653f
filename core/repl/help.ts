/** The REPL's `:help` text and command names (core/repl/repl.ts prints and completes them). */

/** The `:help` text. */
export const HELP = `Type a task and press Enter; !code runs code in the kernel directly (no model).
A line ending in \\ continues; """ opens a block. Tab completes names; Up/Down recall inputs.
  :code              every input runs in the kernel as code (the default without a model)
  :ask               inputs are tasks for the model again
  :vars              variables in the kernel
  :inspect <name>    a summary of one variable
  :tools <query>     search the tools (learned functions too)
  :suggest           repeated patterns in this session worth a function (nothing is generated)
  :history           the inputs of this session
  :cost              tokens and cost per request and for the session
  :save <name>       save the conversation and the kernel's data to sessions/<name>/
  :load <name>       restore a saved session (data, learned functions) into a fresh kernel
  :reset             fresh kernel and conversation
  :help              this text
  :quit              leave (also Ctrl-D); Ctrl-C stops the running task or cell
Generated code is loaded only as config.evolution.approval allows; in manual mode the REPL shows
it and asks y/n (anything but y leaves it pending: \`deno task cli skills approve <name>\`).`;

/** Every `:command`, for Tab completion. */
export const COMMAND_NAMES = [
  ":code",
  ":ask",
  ":vars",
  ":inspect",
  ":tools",
  ":suggest",
  ":history",
  ":cost",
  ":save",
  ":load",
  ":reset",
  ":help",
  ":quit",
] as const;
