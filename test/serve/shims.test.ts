/**
 * The Python shims end to end: a real `rubricate serve` process (CLI, token auth, port 0) and a
 * real python3 loading each shim the way its trainer does, compared with the server's own answer
 * for the same rollout.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { ScoreAnswer } from "../../src/serve/rich.js";
import { ROOT } from "../helpers.js";
import { CLI } from "../judge/cli.js";
import { agentRun, chatml } from "./render.js";

const TOKEN = "shim-test-token-0123";
const HAS_PYTHON = spawnSync("python3", ["--version"]).status === 0;
const SHIMS = join(ROOT, "integrations");

let server: ChildProcess;
let url = "";
let stderr = "";

function python(code: string): unknown {
  const r = spawnSync("python3", ["-c", code], {
    encoding: "utf8",
    env: {
      ...process.env,
      RUBRICATE_URL: url,
      RUBRICATE_TOKEN: TOKEN,
      PYTHONPATH: SHIMS,
      PYTHONDONTWRITEBYTECODE: "1",
    },
    timeout: 60_000,
  });
  assert.equal(r.status, 0, `python3 failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").at(-1)!);
}

/** Load a shim by its path, as verl and OpenRLHF do. */
const load = (file: string, name = "shim") =>
  `import importlib.util, json, asyncio\nspec = importlib.util.spec_from_file_location("${name}", ${JSON.stringify(join(SHIMS, file))})\nm = importlib.util.module_from_spec(spec)\nspec.loader.exec_module(m)\n`;

async function reference(items: unknown[]): Promise<ScoreAnswer["results"]> {
  const r = await fetch(`${url}/v1/score`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ items }),
  });
  assert.equal(r.status, 200);
  return ((await r.json()) as ScoreAnswer).results;
}

const run = agentRun("shim");
const other = agentRun("shim-2");
const promptText = chatml(run.messages.slice(0, 2), true);
const responseText = chatml(run.messages).slice(chatml(run.messages.slice(0, 2), true).length);

/** CI sets RUBRICATE_REQUIRE_PYTHON=1 so that a missing python3 fails the suite instead of skipping the shims. */
const REQUIRED = process.env.RUBRICATE_REQUIRE_PYTHON === "1";

describe("python3 for the shim tests", { skip: REQUIRED ? false : "RUBRICATE_REQUIRE_PYTHON is not set" }, () => {
  it("python3 is on the PATH", () => assert.ok(HAS_PYTHON, "RUBRICATE_REQUIRE_PYTHON=1 but python3 was not found"));
});

describe("Python shims against a running rubricate serve", { skip: HAS_PYTHON ? false : "python3 not found" }, () => {
  before(async () => {
    server = spawn(process.execPath, [CLI, "serve", "--port", "0", "--log-level", "warn"], {
      cwd: ROOT,
      env: { ...process.env, RUBRICATE_TOKEN: TOKEN },
    });
    url = await new Promise<string>((ok, fail) => {
      server.stderr!.on("data", (d: Buffer) => {
        stderr += d;
        const m = /listening on (http:\/\/\S+)/.exec(stderr);
        if (m) ok(m[1]);
      });
      server.once("exit", (code) => fail(new Error(`rubricate serve exited (${code}): ${stderr}`)));
    });
  });
  after(async () => {
    const exited = new Promise<number | null>((ok) => server.once("exit", (code) => ok(code)));
    server.kill("SIGTERM");
    assert.equal(await exited, 0, stderr);
    assert.match(stderr, /SIGTERM: finishing the requests in flight/);
  });

  it("the server refuses the shims' calls without the token", async () => {
    const r = await fetch(`${url}/v1/score`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    assert.equal(r.status, 401);
  });

  it("verl: compute_score (sync), compute_score_async and compute_score_batch", async () => {
    const [ref, ref2] = await reference([{ text: promptText + responseText }, { text: chatml(other.messages) }]);
    const out = python(
      `${load("verl_reward.py")}` +
        `extra = {"prompt": ${JSON.stringify(promptText)}, "instance_id": "a__b-1"}\n` +
        `s = m.compute_score("swe", ${JSON.stringify(responseText)}, "", extra)\n` +
        `a = asyncio.run(m.compute_score_async("swe", ${JSON.stringify(responseText)}, "", extra))\n` +
        `b = m.compute_score_batch(["swe", "swe"], [${JSON.stringify(responseText)}, ${JSON.stringify(chatml(other.messages))}], ["", ""], [extra, None])\n` +
        "print(json.dumps([s, a, b]))",
    ) as [Record<string, number>, Record<string, number>, Record<string, number>[]];
    const [sync, async_, batch] = out;
    assert.equal(sync.score, ref.reward);
    assert.equal(sync.p_resolved, ref.p_resolved);
    assert.equal(sync.behaviour_score, ref.behaviour_score);
    assert.equal(sync.failed, 0);
    assert.deepEqual(async_, sync);
    assert.equal(batch.length, 2);
    assert.deepEqual(batch[0], sync);
    assert.equal(batch[1].score, ref2.reward);
  });

  it("TRL: an async GRPO reward function over conversational samples, None for one it cannot score", async () => {
    const [ref] = await reference([{ messages: run.messages, instance_id: "a__b-1" }]);
    const prompt = run.messages.slice(0, 2);
    const completion = run.messages.slice(2);
    const out = python(
      "import json, asyncio\nfrom trl_reward import rubricate_reward\n" +
        `prompts = [${JSON.stringify(prompt)}, ${JSON.stringify(prompt)}]\n` +
        `completions = [${JSON.stringify(completion)}, [{"role": "wizard", "content": "?"}]]\n` +
        'r = asyncio.run(rubricate_reward(prompts=prompts, completions=completions, completion_ids=[[1], [2]], instance_id=["a__b-1", "a__b-1"], trainer_state=None))\n' +
        "print(json.dumps(r))",
    ) as (number | null)[];
    assert.deepEqual(out, [ref.reward, null]);
  });

  it("OpenRLHF: reward_func(queries, prompts, labels) through POST /get_reward", async () => {
    const [ref] = await reference([{ text: chatml(run.messages) }]);
    const out = python(
      `${load("openrlhf_reward_func.py", "reward_func")}` +
        `r = m.reward_func([${JSON.stringify(chatml(run.messages))}, 7], [${JSON.stringify(promptText)}, ""], [None, None])\n` +
        'print(json.dumps({"rewards": list(r["rewards"]), "scores": list(r["scores"]), "logs": {k: list(v) for k, v in r["extra_logs"].items()}}))',
    ) as { rewards: number[]; scores: number[]; logs: Record<string, number[]> };
    assert.deepEqual(out.rewards, [ref.reward, 0]);
    assert.deepEqual(out.scores, [ref.reward, 0]);
    assert.deepEqual(out.logs.rubricate_failed, [0, 1]);
    assert.deepEqual(out.logs.rubricate_p_resolved, [ref.p_resolved, 0]);
  });

  it("slime: reward_func(args, sample) and batched_reward_func(args, samples) for --group-rm", async () => {
    const [ref, ref2] = await reference([{ text: chatml(run.messages) }, { messages: other.messages }]);
    const out = python(
      "import json, asyncio\nimport slime_reward\n" +
        "class Sample:\n    def __init__(self, prompt, response, group_index=None, metadata=None):\n" +
        "        self.prompt, self.response, self.label = prompt, response, None\n" +
        "        self.group_index, self.metadata = group_index, metadata or {}\n" +
        `one = Sample(${JSON.stringify(promptText)}, ${JSON.stringify(responseText)}, 0, {"instance_id": "a__b-1"})\n` +
        `two = Sample(${JSON.stringify(other.messages.slice(0, 2))}, ${JSON.stringify(chatml(other.messages.slice(2)).replace(/^<\|im_start\|>assistant\n/, ""))}, 0)\n` +
        "a = asyncio.run(slime_reward.reward_func(None, one))\n" +
        "b = asyncio.run(slime_reward.batched_reward_func(None, [one, two]))\n" +
        "print(json.dumps([a, b]))",
    ) as [number, number[]];
    assert.equal(out[0], ref.reward);
    assert.deepEqual(out[1], [ref.reward, ref2.reward]);
  });
});
