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
