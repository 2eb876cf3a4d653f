/**
 * Charges every model request made while a task runs to that task's token budget: the
 * orchestrator's own turns, and the requests its cells cause through tools (sub-agents, code
 * generation and review). Once the budget is spent, further requests fail before they are sent,
 * so one cell cannot make fifty model calls on a 1,200-token task. Outside a task (cells a person
 * runs directly) nothing is capped.
 */
import type { ModelClient } from "../model/types.ts";

/** A request refused because the running task's budget is spent. */
export class TaskBudgetError extends Error {
  constructor(limit: number, used: number) {
    super(`the task's token budget of ${limit} is spent (${used} used); no more model requests`);
    this.name = "TaskBudgetError";
  }
}

/** See the file doc. One per session; wrap the session's model with {@link TaskMeter.client}. */
export class TaskMeter {
  #task: { limit: number; used: number } | undefined;

  /** Starts charging to a task with `limit` tokens. */
  begin(limit: number): void {
    this.#task = { limit, used: 0 };
  }

  /** Stops charging (the task ended). */
  end(): void {
    this.#task = undefined;
  }

  /** Tokens charged to the running task so far (0 when none runs). */
  used(): number {
    return this.#task?.used ?? 0;
  }

  /** `inner`, with every request checked against and charged to the running task. */
  client(inner: ModelClient): ModelClient {
    return {
      get model() {
        return inner.model;
      },
      supportsTools: () => inner.supportsTools(),
      chat: async (request, options) => {
        const task = this.#task;
        if (task && task.used >= task.limit) throw new TaskBudgetError(task.limit, task.used);
        const response = await inner.chat(request, options);
        if (task) task.used += response.usage.promptTokens + response.usage.completionTokens;
        return response;
      },
    };
  }
}
