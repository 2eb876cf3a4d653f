/**
 * What the speech tools return to the model for a {@link SpeakOutcome}: spoken or not and why.
 * A closed job window is a normal state (not spoken, no error); a 400, 500 or timeout throws,
 * so the call counts as failed in `tool_usage` and the model sees the reason.
 */
import type { SpeakOutcome } from "./vtuber_client.ts";

/** The tool-facing result of one speech request. */
export interface SpeechResult {
  spoken: boolean;
  status: string;
  detail: string;
}

/** Maps an outcome to a result, throwing for failures. */
export function speechResult(out: SpeakOutcome): SpeechResult {
  switch (out.status) {
    case "accepted":
      return { spoken: true, status: "accepted", detail: `avatar accepted in ${out.ms} ms` };
    case "window_closed":
      return {
        spoken: false,
        status: "window_closed",
        detail: `no active job window (${out.message}); retry in ${
          Math.ceil(out.retryInMs / 1000)
        } s or do something else`,
      };
    case "rejected":
      throw new Error(`The avatar rejected the request (${out.httpStatus}): ${out.message}`);
    case "failed":
      throw new Error(
        `Speech failed${out.httpStatus ? ` (${out.httpStatus})` : ""}: ${out.message}`,
      );
  }
}
