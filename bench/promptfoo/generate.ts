/**
 * Writes a promptfoo config that sends exactly the requests rubricate's judge sends for the same
 * trajectories: the judge is run with a backend that records each request instead of sending it
 * through `scoreTrajectory` (same rubric, conditions, mode, renderer and token budget as `rubricate score`), and each recorded request
 * becomes one promptfoo test (its system and user messages as variables, the same max_tokens,
 * temperature and top_logprobs). The config holds trajectory text: it is written outside the
 * repository (default: a new temporary folder), never committed.
 *
 * Usage: node dist/bench/promptfoo/generate.js --url URL --out DIR [--concurrency 16] [--mode criterion] INPUT...
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { ChatRequest, ChatResponse, JudgeBackend } from "../../src/judge/backend.js";
import { judgeDecider, type JudgeMode } from "../../src/judge/judge.js";
import { renderTranscript } from "../../src/judge/render.js";
import { defaultCounter } from "../../src/judge/tokens.js";
import { readTrajectories } from "../../src/labels/stream.js";
import { loadRubric } from "../../src/rubric/load.js";
import { scoreTrajectory } from "../../src/score/score.js";

/** Records every request and answers it at once with a YES (the answer is not what is measured). */
class Recorder implements JudgeBackend {
  readonly model = "bench";
  readonly requests: ChatRequest[] = [];
  async chat(req: ChatRequest): Promise<ChatResponse> {
    this.requests.push(req);
    const choice = {
      text: "YES",
      firstTokenLogprobs: [{ token: "YES", logprob: 0 }],
      finishReason: "stop",
      refusal: null,
    };
    return { ...choice, choices: [choice], usage: { prompt: 0, completion: 0, cached: 0 } };
  }
}

export async function generate(o: {
  inputs: string[];
  url: string;
  out: string;
  concurrency: number;
  mode: JudgeMode;
}): Promise<{ requests: number; trajectories: number; config: string }> {
  const rubric = loadRubric("swe-default");
  const recorder = new Recorder();
  const counter = defaultCounter();
  const judge = judgeDecider(recorder, {
    mode: o.mode,
    rubric: rubric.criteria,
    render: (t, max) => renderTranscript(t, max, counter),
  });
  let trajectories = 0;
  for await (const ev of readTrajectories(o.inputs, { autoLabels: false })) {
    if (ev.type !== "trajectory") continue;
    trajectories++;
    // as `score` asks: only the criteria whose conditions hold
    await scoreTrajectory(ev.trajectory, rubric, { judge });
  }
  mkdirSync(o.out, { recursive: true });
  // one test per request; the chat prompt takes both messages from the test's variables
  const tests = recorder.requests.map((r) => ({ vars: { system: r.system, user: r.user } }));
  writeFileSync(join(o.out, "tests.json"), JSON.stringify(tests));
  writeFileSync(
    join(o.out, "prompt.json"),
    // valid JSON: promptfoo then fills each string from the variables without rendering their
    // values as templates (trajectories contain "{{" and "{%")
    '[{"role": "system", "content": "{{ system }}"}, {"role": "user", "content": "{{ user }}"}]\n',
  );
  const first = recorder.requests[0];
  const config = {
    description: "rubricate bench: the judge's requests, sent by promptfoo",
    prompts: ["file://prompt.json"],
    providers: [
      {
        id: "openai:chat:bench",
        config: {
          apiBaseUrl: o.url,
          apiKey: "not-needed",
          temperature: first?.temperature ?? 0,
          max_tokens: first?.maxTokens ?? 1,
          ...(first?.topLogprobs ? { logprobs: true, top_logprobs: first.topLogprobs } : {}),
        },
      },
    ],
    tests: "file://tests.json",
    evaluateOptions: { maxConcurrency: o.concurrency, cache: false },
  };
  const path = join(o.out, "promptfooconfig.json");
  writeFileSync(path, JSON.stringify(config, null, 2));
  return { requests: recorder.requests.length, trajectories, config: path };
}

if (process.argv[1]?.endsWith("generate.js")) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: "string" },
      out: { type: "string" },
      concurrency: { type: "string", default: "16" },
      mode: { type: "string", default: "criterion" },
    },
  });
  if (!values.url || !values.out || !positionals.length) {
    console.error("usage: generate.js --url URL --out DIR [--concurrency 16] [--mode criterion] INPUT...");
    process.exit(2);
  }
  const r = await generate({
    inputs: positionals,
    url: values.url,
    out: values.out,
    concurrency: Number(values.concurrency),
    mode: values.mode as JudgeMode,
  });
  console.log(`${r.config}: ${r.requests} requests for ${r.trajectories} trajectories`);
}
