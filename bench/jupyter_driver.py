"""Drives one Jupyter kernel for the benchmarks, one cell at a time, over jupyter_client.

Run with Debian's /usr/bin/python3 (python3-jupyter-client):
    python3 jupyter_driver.py <kernel_name> <cwd>
It starts the kernel (found through JUPYTER_PATH), prints {"ready": ms} (start to first
result of `1+1`), then reads one JSON object a line from stdin and answers one line each:
    {"code": "...", "timeout": 60}  ->  {"ms": 2.1, "status": "ok"}
    {"interrupt_after": 0.3, "code": "..."}  ->  {"ms": <interrupt to reply>, "status": ...}
    {"sleep": 0.5}  ->  {"ok": true}
The time is taken here, around execute_interactive (request to idle), so the pipe to the
TypeScript bench is not in it. EOF shuts the kernel down.
"""
import json
import sys
import threading
import time

from jupyter_client.manager import KernelManager


def run(client, code, timeout):
    # The reply and the outputs (iopub until idle), as a notebook front end waits for them.
    reply = client.execute_interactive(code, timeout=timeout, output_hook=lambda msg: None)
    return reply["content"]["status"]


def main():
    name, cwd = sys.argv[1], sys.argv[2]
    t0 = time.perf_counter()
    km = KernelManager(kernel_name=name)
    km.start_kernel(cwd=cwd)
    client = km.client()
    client.start_channels()
    client.wait_for_ready(timeout=120)
    status = run(client, "1+1", 120)
    print(json.dumps({"ready": (time.perf_counter() - t0) * 1000, "status": status}), flush=True)
    for line in sys.stdin:
        req = json.loads(line)
        if "sleep" in req:
            time.sleep(req["sleep"])
            print(json.dumps({"ok": True}), flush=True)
            continue
        timeout = req.get("timeout", 120)
        if "interrupt_after" in req:
            done = {}

            def spin():
                done["status"] = run(client, req["code"], timeout)
                done["t"] = time.perf_counter()

            th = threading.Thread(target=spin)
            th.start()
            time.sleep(req["interrupt_after"])
            t1 = time.perf_counter()
            km.interrupt_kernel()
            th.join()
            alive = km.is_alive()
            print(json.dumps({"ms": (done["t"] - t1) * 1000, "status": done["status"],
                              "alive": alive}), flush=True)
            continue
        t1 = time.perf_counter()
        try:
            status = run(client, req["code"], timeout)
        except Exception as e:  # a timeout or a dead kernel: reported, not fatal to the bench
            status = f"error: {e}"
        print(json.dumps({"ms": (time.perf_counter() - t1) * 1000, "status": status}), flush=True)
    client.stop_channels()
    km.shutdown_kernel(now=True)


main()
