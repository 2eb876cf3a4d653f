/**
 * A Jupyter kernel beside ours in the kernel bench: Deno's own (`deno jupyter --kernel`) or
 * IPython, started and driven by bench/jupyter_driver.py through Debian's python3-jupyter-client
 * (`apt-get install python3-jupyter-client python3-ipykernel`). Times are taken in the driver,
 * around each request, so the pipe between here and Python is not counted.
 */
const DRIVER = new URL("./jupyter_driver.py", import.meta.url).pathname;
const PYTHON = "/usr/bin/python3";

/** One running peer kernel. */
export interface JupyterPeer {
  /** Start to the first result of `1+1`, ms. */
  readyMs: number;
  /** Runs one cell; `ms` is request to idle. */
  run(code: string, timeoutS?: number): Promise<{ ms: number; status: string }>;
  /** Runs `code`, interrupts it after `afterS`; `ms` is interrupt to reply. */
  interrupt(code: string, afterS: number): Promise<{ ms: number; status: string; alive: boolean }>;
  close(): Promise<void>;
}

/** Why a peer cannot run here, or undefined when it can. */
export async function peerMissing(kernel: "deno" | "python3"): Promise<string | undefined> {
  const mod = kernel === "deno" ? "jupyter_client" : "ipykernel";
  const r = await new Deno.Command(PYTHON, { args: ["-c", `import ${mod}`], stderr: "null" })
    .output().catch(() => undefined);
  return r?.success
    ? undefined
    : `${PYTHON} cannot import ${mod} (apt-get install python3-jupyter-client python3-ipykernel)`;
}

/** Starts `kernel` ("deno": Deno's Jupyter kernel, this Deno binary; "python3": IPython). */
export async function startJupyterPeer(kernel: "deno" | "python3"): Promise<JupyterPeer> {
  const dir = await Deno.makeTempDir({ prefix: "jupyter-peer-" });
  const env: Record<string, string> = { PYDEVD_DISABLE_FILE_VALIDATION: "1", NO_COLOR: "1" };
  if (kernel === "deno") {
    await Deno.mkdir(`${dir}/kernels/deno`, { recursive: true });
    const argv = [Deno.execPath(), "jupyter", "--kernel", "--conn", "{connection_file}"];
    await Deno.writeTextFile(
      `${dir}/kernels/deno/kernel.json`,
      JSON.stringify({ argv, display_name: "Deno", language: "typescript" }),
    );
    env.JUPYTER_PATH = dir;
  }
  const child = new Deno.Command(PYTHON, {
    args: [DRIVER, kernel, dir],
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
    env,
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const writer = child.stdin.getWriter();
  let buffer = "";
  const readLine = async (): Promise<Record<string, unknown>> => {
    while (!buffer.includes("\n")) {
      const { value, done } = await lines.read();
      if (done) throw new Error(`jupyter driver (${kernel}) exited`);
      buffer += value;
    }
    const at = buffer.indexOf("\n");
    const line = buffer.slice(0, at);
    buffer = buffer.slice(at + 1);
    return JSON.parse(line);
  };
  const ask = async (req: unknown) => {
    await writer.write(new TextEncoder().encode(JSON.stringify(req) + "\n"));
    return await readLine();
  };
  const first = await readLine();
  if (first.status !== "ok") throw new Error(`${kernel} kernel did not start: ${first.status}`);
  return {
    readyMs: first.ready as number,
    run: (code, timeoutS = 120) =>
      ask({ code, timeout: timeoutS }) as Promise<{ ms: number; status: string }>,
    interrupt: (code, afterS) =>
      ask({ code, interrupt_after: afterS }) as Promise<
        { ms: number; status: string; alive: boolean }
      >,
    async close() {
      await writer.close().catch(() => {});
      await child.status;
      await lines.cancel().catch(() => {});
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}
