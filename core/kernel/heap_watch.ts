/**
 * Heap-out-of-memory, found early and named. V8 near its heap cap collects garbage again and
 * again before it gives up (seconds; 18 s was measured), and a cell timeout that fires meanwhile
 * looked like a plain timeout. Under netns the inspector answers `Runtime.getHeapUsage` even
 * then (it runs between collections), so while a cell runs the heap is sampled: held at 97% of
 * its cap for a second, the kernel is out of memory and is killed as such. (Under pipe a busy
 * kernel cannot answer: there V8's own verdict, or the timeout, ends the cell.)
 */
import type { CdpClient } from "../cdp.ts";
import type { ExitReason } from "../subprocess_host.ts";

/** The heap is full at this share of its cap... */
const FULL = 0.97;
/** ...for this many consecutive samples, this far apart. */
const SAMPLES = 4;
const EVERY_MS = 250;

/** The used share of the heap cap, or undefined when the kernel does not answer in time. */
export async function heapShare(
  cdp: CdpClient,
  limit: number,
  timeoutMs = 1_000,
): Promise<number | undefined> {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), timeoutMs);
  try {
    const r = await cdp.send("Runtime.getHeapUsage", {}, { signal: ctl.signal });
    return typeof r.usedSize === "number" && limit > 0 ? r.usedSize / limit : undefined;
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/** Samples the heap until `signal` aborts; calls `onFull` once when it stays full. */
export function watchHeap(
  cdp: CdpClient,
  limit: number,
  signal: AbortSignal,
  onFull: (share: number) => void,
): void {
  let full = 0;
  const tick = async () => {
    if (signal.aborted) return;
    const share = await heapShare(cdp, limit, EVERY_MS * 4);
    full = share !== undefined && share >= FULL ? full + 1 : 0;
    if (full >= SAMPLES) return onFull(share!);
    if (!signal.aborted) setTimeout(tick, EVERY_MS);
  };
  setTimeout(tick, EVERY_MS);
}

/** True when `share` means out of memory. */
export function isFull(share: number | undefined): boolean {
  return share !== undefined && share >= FULL;
}

/** The error a cell reports when its kernel died, in words a person can act on. */
export function crashError(
  reason: ExitReason,
  limits: { heapMb: number; rssMb: number },
): { name: string; message: string } {
  const died = `kernel process died (${reason})`;
  switch (reason) {
    case "heap_oom":
      return {
        name: "OutOfMemoryError",
        message: `${died}: the cell filled the JavaScript heap's ${limits.heapMb} MB ` +
          "(kernel.heapMb, KERNEL_HEAP_MB); the kernel was restarted from its checkpoint",
      };
    case "rss_limit":
      return {
        name: "OutOfMemoryError",
        message: `${died}: the kernel's memory passed ${limits.rssMb} MB (kernel.rssMb, ` +
          "KERNEL_RSS_MB; ArrayBuffers count); the kernel was restarted from its checkpoint",
      };
    case "message_limit":
      return {
        name: "KernelCrashed",
        message: `${died}: it sent the supervisor a message or line over 64 MiB`,
      };
    default:
      return { name: "KernelCrashed", message: died };
  }
}
