/**
 * The two steps every model-written test file takes before and while it runs, whichever
 * pipeline wrote it (generate_function, generate_tests, `skills approve`): the static checks
 * (forbidden-API scan, type check, lint; no doc rules), then a sandboxed run that may read only
 * the staging folder and keeps its scratch in the evolution state folder.
 */
import type { Logger } from "../log.ts";
import type { EvolutionPaths } from "./evolution_paths.ts";
import type { Finding } from "./finding.ts";
import { staticReview } from "./static_review.ts";
import type { TestRunOptions } from "./test_runner.ts";

/** The kernel's memory limits (config.kernel), applied to sandboxed test runs. */
export interface SandboxLimits {
  heapMb?: number;
  rssMb?: number;
}

/** The static checks of a model-written test file, its findings marked as the test's. */
export async function reviewTest(file: string): Promise<{ passed: boolean; findings: Finding[] }> {
  const r = await staticReview(file, { docs: false });
  return {
    passed: r.passed,
    findings: r.findings.map((f) => ({ ...f, message: `in the test: ${f.message}` })),
  };
}

/** Run options for a test staged in `stage`: reads only the stage, scratch in the state folder. */
export function sandboxOptions(
  stage: string,
  o: { paths: EvolutionPaths; sandbox?: SandboxLimits; log?: Logger },
): TestRunOptions {
  return {
    learnedSkillsDir: stage,
    scratchRoot: `${o.paths.stateDir}/tmp`,
    ...(o.sandbox?.heapMb ? { heapMb: o.sandbox.heapMb } : {}),
    ...(o.sandbox?.rssMb ? { rssMb: o.sandbox.rssMb } : {}),
    ...(o.log ? { log: o.log } : {}),
  };
}
