/**
 * The jobs the sandbox launcher runs (core/sandbox/launcher.pl owns their flags; this side only
 * names the job, its paths and numbers) and the command line that asks for one, with the grants
 * that prove the caller may write the directories involved.
 */
import { dropGrants, type Grant, writeGrant } from "./grant.ts";
import { SANDBOX_LAUNCHER } from "./launcher_path.ts";

/** One job. Directories are absolute real paths the caller may write. */
export type SandboxJob =
  | { kind: "probe" }
  | { kind: "rss-probe" }
  | {
    kind: "kernel";
    workspace: string;
    learned?: string;
    heapMb: number;
    outputLimit: number;
    transport: "netns" | "pipe";
  }
  | { kind: "test"; scratch: string; read: string; file: string; heapMb: number }
  | { kind: "coverage"; scratch: string; read: string }
  | { kind: "check" | "lint" | "doc"; dir: string; files: string[] };

/** The launcher's command line for a job, and the grants it carries. */
export interface LaunchSpec {
  command: string;
  args: string[];
  grants: Grant[];
}

/** Builds the launcher's arguments for `job`, writing its grants. */
export async function launchSpec(job: SandboxJob): Promise<LaunchSpec> {
  const opts: [string, string | number | undefined][] = [];
  const dirs: string[] = [];
  switch (job.kind) {
    case "probe":
    case "rss-probe":
      break;
    case "kernel":
      dirs.push(job.workspace, ...(job.learned ? [job.learned] : []));
      opts.push(["workspace", job.workspace], ["learned", job.learned], ["heap-mb", job.heapMb]);
      opts.push(["output-limit", job.outputLimit], ["transport", job.transport]);
      break;
    case "test":
      dirs.push(job.scratch, job.read);
      opts.push(["scratch", job.scratch], ["read", job.read], ["file", job.file]);
      opts.push(["heap-mb", job.heapMb]);
      break;
    case "coverage":
      dirs.push(job.scratch, job.read);
      opts.push(["scratch", job.scratch], ["read", job.read]);
      break;
    default:
      dirs.push(job.dir);
      opts.push(["dir", job.dir], ...job.files.map((f): [string, string] => ["file", f]));
  }
  const grants: Grant[] = [];
  try {
    for (const dir of new Set(dirs)) grants.push(await writeGrant(dir));
  } catch (e) {
    await dropGrants(grants);
    throw new Error(`Cannot prepare the sandbox for ${job.kind}: ${(e as Error).message}`);
  }
  const args = [job.kind, ...grants.map((g) => g.arg)];
  for (const [k, v] of opts) if (v !== undefined) args.push(`--${k}=${v}`);
  return { command: SANDBOX_LAUNCHER, args, grants };
}

/** A clear error when the launcher cannot be started (permission, exec bit). */
export function launcherError(e: unknown): Error {
  const msg = (e as Error).message;
  if (e instanceof Deno.errors.NotCapable) {
    return new Error(
      `the supervisor may not run the sandbox launcher: grant --allow-run=${SANDBOX_LAUNCHER}`,
    );
  }
  if (e instanceof Deno.errors.PermissionDenied) {
    return new Error(
      `the sandbox launcher is not executable: chmod +x ${SANDBOX_LAUNCHER} (${msg})`,
    );
  }
  return new Error(`cannot start the sandbox launcher ${SANDBOX_LAUNCHER}: ${msg}`);
}
