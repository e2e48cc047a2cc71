/** Judge test helpers: running the CLI as a child process with its own judge cache, and a small trajectory. */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Trajectory } from "../../src/types/trajectory.js";
import { bash, trajectory } from "../build.js";
import { ROOT } from "../helpers.js";

export const CLI = join(ROOT, "dist", "src", "cli", "main.js");

/** A fresh judge cache directory, so runs do not answer each other from the cache. */
export const freshCache = (): NodeJS.ProcessEnv => ({
  ...process.env,
  XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), "rubricate-cache-")),
});

/** The start-up probe's one-token request, which tests counting judge requests leave out. */
export const isProbe = (b: Record<string, unknown>): boolean =>
  b.max_tokens === 1 && /Is 2 \+ 2 = 4/.test(JSON.stringify(b.messages));

export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv = freshCache(),
): Promise<{ status: number | null; stdout: string; stderr: string; env: NodeJS.ProcessEnv }> {
  return new Promise((ok) => {
    const p = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d) => (stdout += d));
    p.stderr.on("data", (d) => (stderr += d));
    p.on("close", (status) => ok({ status, stdout, stderr, env }));
  });
}

/** A two-step mini-swe-agent trajectory with a patch; `observation` is what the first command printed. */
export function traj(observation: string): Trajectory {
  return trajectory({
    turns: [bash("cat slug.py", observation, "look"), bash("sed -i s/a/b/ slug.py", "", "fix")],
    task: "Fix the slug bug.",
    instance: "x__y-1",
    system: "sys",
    patch: "diff --git a/slug.py b/slug.py\n--- a/slug.py\n+++ b/slug.py\n@@ -1 +1 @@\n-a\n+b\n",
  });
}
