/** Test helpers: where the project and the shared real data live, and collecting ingest events. */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, it as nodeIt } from "node:test";
import { fileURLToPath } from "node:url";
import { ingest } from "../src/ingest/pipeline.js";
import type { IngestError } from "../src/io/error.js";
import type { Trajectory } from "../src/types/trajectory.js";

/** Project root (tests run compiled from dist/test). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The shared real trajectories, beside the project checkout. */
export const SHARED = process.env.RUBRICATE_SHARED_DATA ?? resolve(ROOT, "..", "shared", "data", "trajectories");
export const HAS_SHARED = existsSync(join(SHARED, "index.jsonl"));
export const FIXTURES = join(ROOT, "test", "fixtures");

export function shared(rel: string): string {
  return join(SHARED, rel);
}

/** The training trajectories: the checkout's `.data/train`, else the main checkout's beside it. */
const OWN_TRAIN = resolve(ROOT, ".data", "train");
export const TRAIN =
  process.env.RUBRICATE_TRAIN_DATA ??
  (existsSync(OWN_TRAIN) ? OWN_TRAIN : resolve(ROOT, "..", "main", ".data", "train"));
export const HAS_TRAIN = existsSync(join(TRAIN, "index.jsonl"));

export function train(rel: string): string {
  return join(TRAIN, rel);
}

export async function collect(
  inputs: string[],
): Promise<{ trajectories: Trajectory[]; errors: IngestError[]; skipped: string[] }> {
  const trajectories: Trajectory[] = [];
  const errors: IngestError[] = [];
  const skipped: string[] = [];
  for await (const ev of ingest(inputs)) {
    if (ev.type === "trajectory") trajectories.push(ev.trajectory);
    else if (ev.type === "error") errors.push(ev.error);
    else skipped.push(ev.file);
  }
  return { trajectories, errors, skipped };
}

/** Read exactly one trajectory from one file; fails the test on any error. */
export async function one(file: string): Promise<Trajectory> {
  const { trajectories, errors } = await collect([file]);
  if (errors.length) throw new Error(errors.map((e) => e.describe()).join("\n"));
  if (trajectories.length !== 1) throw new Error(`expected 1 trajectory from ${file}, got ${trajectories.length}`);
  return trajectories[0];
}

type It = typeof nodeIt;

/**
 * A suite of tests that read the shared real data. Without the data its tests are still listed,
 * each reported as skipped (so a run says how many it could not run), and none of its hooks runs.
 * The suite's function gets the `it` to use: the real one, or one that registers skipped tests.
 * `present` says whether the data is there (the shared trajectories unless told otherwise).
 */
export function sharedSuite(name: string, fn: (it: It) => void, present = HAS_SHARED): void {
  dataSuite(name, present ? nodeIt : skippedIt, fn);
}

/** A suite of tests that read named files of the training data; like sharedSuite without that data. */
export function trainSuite(name: string, fn: (it: It) => void): void {
  dataSuite(name, HAS_TRAIN ? nodeIt : skippedTrainIt, fn);
}

function dataSuite(name: string, use: It, fn: (it: It) => void): void {
  describe(name, () => {
    const outer = current;
    current = use;
    try {
      fn(use);
    } finally {
      current = outer;
    }
  });
}

const skippedIt = ((title: string) => nodeIt(title, { skip: "shared data not present" }, () => {})) as unknown as It;
const skippedTrainIt = ((title: string) =>
  nodeIt(title, { skip: "train data not present" }, () => {})) as unknown as It;
let current: It = nodeIt;

/** The `it` of the shared-data suite being set up (for helpers that register tests from a suite's body). */
export function suiteIt(): It {
  return current;
}
