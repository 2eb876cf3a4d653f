/**
 * Where a child's V8 inspector listens, so that nothing but the supervisor can drive it.
 *
 * - `netns`: the child runs in a network namespace of its own (`unshare --user --net`, with
 *   only its loopback up), so its inspector port exists nowhere else on the host; the
 *   supervisor reaches it through the child's relay (core/inspector_relay.ts) over a one-shot
 *   Unix socket. Needs `unshare` (util-linux), `ip` (iproute2) and unprivileged user
 *   namespaces, which stock Debian/Ubuntu kernels allow; not inside a default Docker container,
 *   whose seccomp profile refuses new namespaces (there the container's own network namespace
 *   holds only this program's processes).
 * - `loopback`: the inspector listens on 127.0.0.1 of the host. The supervisor still talks only
 *   through the relay and kills the child if any other session attaches, but a local process
 *   could attach first for a moment.
 *
 * `auto` (the default) picks `netns` when a probe succeeds, else `loopback` with a warning.
 */

/** The configured choice. */
export type InspectorIsolation = "auto" | "netns" | "loopback";

/**
 * What a child is started with: with `netns`, `prefix` is the command and arguments to put in
 * front of `deno run ...`.
 */
export type IsolationPlan =
  | { mode: "netns"; prefix: string[] }
  | { mode: "loopback"; reason: string };

const IP_PATHS = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"];
/** The inspector port inside a private namespace (nothing else is there to clash with). */
export const NETNS_INSPECTOR_PORT = 9229;

let probed: Promise<IsolationPlan> | undefined;

/** The plan for `choice`; the probe runs once per process. `netns` without support throws. */
export async function isolationPlan(choice: InspectorIsolation = "auto"): Promise<IsolationPlan> {
  if (choice === "loopback") return { mode: "loopback", reason: "configured" };
  const plan = await (probed ??= probe());
  if (choice === "netns" && plan.mode !== "netns") {
    throw new Error(
      `kernel.isolation is "netns" but a private network namespace is not available here ` +
        `(${plan.reason}); use "auto" or "loopback", or allow unprivileged user namespaces`,
    );
  }
  return plan;
}

async function probe(): Promise<IsolationPlan> {
  if (Deno.build.os !== "linux") {
    return { mode: "loopback", reason: `not Linux (${Deno.build.os})` };
  }
  if (Deno.permissions.querySync({ name: "run", command: "unshare" }).state !== "granted") {
    return { mode: "loopback", reason: "no permission to run unshare (--allow-run=deno,unshare)" };
  }
  let last = "";
  for (const ip of IP_PATHS) {
    try {
      const out = await new Deno.Command("unshare", {
        args: ["--user", "--map-root-user", "--net", ip, "link", "set", "lo", "up"],
        stdin: "null",
        stdout: "null",
        stderr: "piped",
        clearEnv: true,
      }).output();
      if (out.success) {
        return {
          mode: "netns",
          // sh brings the namespace's loopback up, then becomes deno (same pid: kill, RSS).
          prefix: [
            "unshare",
            "--user",
            "--map-root-user",
            "--net",
            "/bin/sh",
            "-c",
            `${ip} link set lo up && exec "$@"`,
            "sh",
          ],
        };
      }
      last = new TextDecoder().decode(out.stderr).trim().split("\n")[0] ?? `exit ${out.code}`;
    } catch (e) {
      last = (e as Error).message;
      if (e instanceof Deno.errors.NotFound && /unshare/.test(last)) break;
    }
  }
  return { mode: "loopback", reason: `unshare --user --net failed: ${last || "no ip command"}` };
}
