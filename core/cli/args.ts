/** Flag parsing for subcommands: node:util's strict parseArgs, with errors as UsageError. */
import { parseArgs as nodeParseArgs } from "node:util";
import { UsageError } from "./command.ts";

/** Option spec in node:util's format. */
export type OptionSpec = Record<
  string,
  { type: "string" | "boolean"; short?: string; multiple?: boolean }
>;

/** Parsed flags and positionals. */
export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

/** Parses `args` strictly: an unknown flag or a missing value throws {@link UsageError}. */
export function parseArgs(args: string[], options: OptionSpec): ParsedArgs {
  try {
    const { values, positionals } = nodeParseArgs({
      args,
      options,
      strict: true,
      allowPositionals: true,
    });
    return { values: values as ParsedArgs["values"], positionals };
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/\. To specify.*$/s, ""));
  }
}

/** Reads a string flag as a positive integer, or the default. */
export function intFlag(values: ParsedArgs["values"], name: string, fallback: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    throw new UsageError(`--${name} expects a non-negative integer, got ${JSON.stringify(raw)}`);
  }
  return n;
}
