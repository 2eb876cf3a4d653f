/**
 * RSS probe for the subprocess host. Deno requires --allow-all to read `/proc/<pid>/statm` of
 * another process, which the supervisor does not have, so the host runs this one trusted file
 * as a helper (`deno run -A`): it reads pids on stdin ("+pid" watch, "-pid" forget) and prints
 * "pid rssBytes" for every watched pid each 20 ms ("pid gone" once it has exited).
 */
const watched = new Set<number>();
const encoder = new TextEncoder();

function poll(): void {
  const lines: string[] = [];
  for (const pid of watched) {
    try {
      const pages = Number(Deno.readTextFileSync(`/proc/${pid}/statm`).split(" ")[1]);
      lines.push(`${pid} ${pages * 4096}`);
    } catch {
      watched.delete(pid);
      lines.push(`${pid} gone`);
    }
  }
  if (lines.length) Deno.stdout.writeSync(encoder.encode(lines.join("\n") + "\n"));
}

setInterval(poll, 20);
const decoder = new TextDecoder();
let buf = "";
for await (const chunk of Deno.stdin.readable) {
  buf += decoder.decode(chunk, { stream: true });
  const lines = buf.split("\n");
  buf = lines.pop() ?? "";
  for (const line of lines) {
    const pid = Number(line.slice(1));
    if (!Number.isInteger(pid) || pid <= 0) continue;
    if (line[0] === "+") watched.add(pid);
    else if (line[0] === "-") watched.delete(pid);
  }
}
Deno.exit(0); // stdin closed: the supervisor is gone
