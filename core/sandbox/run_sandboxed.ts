/**
 * Runs a short sandbox job (probe, check, lint, doc, coverage) through the launcher and collects
 * its output, bounded; a wall-clock timeout kills it (the launcher's own children die with it).
 */
import { dropGrants } from "./grant.ts";
import { launcherError, launchSpec, type SandboxJob } from "./sandbox_job.ts";

/** What a finished job produced. `timedOut` is set when it was killed. */
export interface SandboxRun {
  code: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  ms: number;
}

/** Largest stdout or stderr kept (a doc of a big file; the rest is dropped). */
const MAX_OUTPUT = 16 * 1024 * 1024;

/** Runs `job`; never throws for a non-zero exit. */
export async function runSandboxed(
  job: SandboxJob,
  options: { timeoutMs?: number } = {},
): Promise<SandboxRun> {
  const started = performance.now();
  const spec = await launchSpec(job);
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(spec.command, {
      args: spec.args,
      cwd: "/",
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (e) {
    await dropGrants(spec.grants);
    throw launcherError(e);
  }
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
  }, options.timeoutMs ?? 60_000);
  try {
    const [stdout, stderr, status] = await Promise.all([
      readCapped(child.stdout),
      readCapped(child.stderr),
      child.status,
    ]);
    return { code: status.code, stdout, stderr, timedOut, ms: performance.now() - started };
  } finally {
    clearTimeout(timer);
    await dropGrants(spec.grants);
  }
}

async function readCapped(stream: ReadableStream<Uint8Array>): Promise<string> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream) {
    if (size >= MAX_OUTPUT) continue;
    parts.push(chunk.subarray(0, MAX_OUTPUT - size));
    size += Math.min(chunk.length, MAX_OUTPUT - size);
  }
  const all = new Uint8Array(size);
  let off = 0;
  for (const p of parts) all.set(p, off), off += p.length;
  return new TextDecoder().decode(all);
}
