/** A Sender for protocols used outside the judge decider: requests go straight to the backend; failures become typed verdicts. */
import { unscored, type Verdict } from "../../types/decider.js";
import { JudgeHttpError } from "../backend.js";
import type { Sender } from "./yesno.js";

export function plainSender(name: string): Sender {
  return {
    name,
    send: (b, req) => b.chat(req),
    failure(e: unknown): Verdict {
      const msg = (e as Error).message.slice(0, 200);
      if (e instanceof JudgeHttpError && /context|too long|maximum.*tokens/i.test(e.message))
        return unscored(name, "context_too_long", `the judge server refused the prompt as too long: ${msg}`);
      return unscored(name, "judge_error", `judge request failed: ${msg}`);
    },
  };
}
