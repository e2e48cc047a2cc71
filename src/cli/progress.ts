/** A progress bar on stderr when it is a terminal; silent otherwise. */
import cliProgress from "cli-progress";

export interface Progress {
  total(n: number): void;
  tick(payload?: Record<string, string | number>): void;
  /** new payload values without moving the bar */
  update(payload: Record<string, string | number>): void;
  stop(): void;
}

/** `extra`: more cli-progress format fields after the standard ones, e.g. "{tokens} tokens". */
export function progress(label: string, enabled = process.stderr.isTTY === true, extra?: string): Progress {
  if (!enabled) return { total() {}, tick() {}, update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} {bar} {value}/{total} files | {trajectories} trajectories | {errors} errors | ${extra ? `${extra} | ` : ""}{eta_formatted} left`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(0, 0, { trajectories: 0, errors: 0, rate: 0, tokens: 0, cost: "$0", hits: 0 });
  return {
    total: (n) => bar.setTotal(n),
    tick: (payload) => bar.increment(1, payload),
    update: (payload) => bar.update(payload),
    stop: () => bar.stop(),
  };
}

export interface Steps {
  /** for `readTrajectories`/`scoreStream`: once with the total, then after each input */
  onProgress(done: number, total: number): void;
  stop(): void;
}

/**
 * A bar over a known number of steps (inputs read, intervals computed) on stderr when it is a
 * terminal and the run is not quiet; silent otherwise. Synchronous work updates it too.
 */
export function steps(label: string, unit: string, enabled: boolean): Steps {
  if (!enabled || process.stderr.isTTY !== true) return { onProgress() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} {bar} {value}/{total} ${unit} | {eta_formatted} left`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    onProgress(done, total) {
      if (!started) {
        bar.start(total, done);
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(done);
      }
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
