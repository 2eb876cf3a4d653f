"""IPython kernel figures beside bench/kernel_bench.ts, driven by jupyter_client.

Run with Debian's /usr/bin/python3 (python3-ipykernel, python3-jupyter-client). Prints one
JSON object: cold start to first result, trivial cell, 50-line cell, interrupt latency (ms).
"""
import json
import statistics
import sys
import threading
import time

from jupyter_client.manager import KernelManager

N_START = int(sys.argv[1]) if len(sys.argv) > 1 else 5
N_CELL = int(sys.argv[2]) if len(sys.argv) > 2 else 200

CELL50 = "\n".join(
    ["from dataclasses import dataclass", "@dataclass", "class Row:", "    id: int", "    v: float"]
    + [f"def f{i}(x: int) -> int:\n    return x + {i}" for i in range(20)]
    + ["rows = [Row(i, i * 0.5) for i in range(100)]", "total = sum(r.v for r in rows)",
       "acc = 0", "for i in range(100):", "    acc += f3(i)", "total + acc"]
)


def run(client, code, timeout=60):
    reply = client.execute_interactive(code, timeout=timeout, output_hook=lambda msg: None)
    return reply["content"]["status"]


def start():
    km = KernelManager(kernel_name="python3")
    km.start_kernel()
    client = km.client()
    client.start_channels()
    client.wait_for_ready(timeout=60)
    return km, client


def main():
    starts = []
    for _ in range(N_START):
        t0 = time.perf_counter()
        km, client = start()
        run(client, "1+1")
        starts.append((time.perf_counter() - t0) * 1000)
        client.stop_channels()
        km.shutdown_kernel(now=True)
    km, client = start()
    run(client, "x = 1")
    trivial = []
    for _ in range(N_CELL):
        t0 = time.perf_counter()
        run(client, "1+1")
        trivial.append((time.perf_counter() - t0) * 1000)
    cell50 = []
    for _ in range(50):
        t0 = time.perf_counter()
        run(client, CELL50)
        cell50.append((time.perf_counter() - t0) * 1000)
    interrupts = []
    for _ in range(5):
        done = {}

        def spin():
            done["status"] = run(client, "while True:\n    pass", timeout=30)
            done["t"] = time.perf_counter()

        th = threading.Thread(target=spin)
        th.start()
        time.sleep(0.3)
        t0 = time.perf_counter()
        km.interrupt_kernel()
        th.join()
        interrupts.append((done["t"] - t0) * 1000)
    client.stop_channels()
    km.shutdown_kernel(now=True)
    print(json.dumps({
        "coldStartToFirstResultMs": statistics.median(starts),
        "trivialCellMs": statistics.median(trivial),
        "cell50LinesMs": statistics.median(cell50),
        "interruptMs": statistics.median(interrupts),
    }))


main()
