/** The registry of programmatic checks, by name. */
import { budgetExhausted, excessiveSteps, failedEditStreak, hallucinatedPaths, repeatsActions } from "./process.js";
import { debugArtifacts, emptyPatch, patchUnviewedFiles } from "./patch.js";
import { destructiveCommands, envTampering } from "./safety.js";
import { editsTests, reproducesFirst, unverifiedSuccessClaim, verifiesAfterLastEdit, weakensTests } from "./testing.js";
import type { CheckDef } from "./types.js";

export const CHECKS: ReadonlyMap<string, CheckDef> = new Map(
  (
    [
      editsTests,
      weakensTests,
      reproducesFirst,
      verifiesAfterLastEdit,
      unverifiedSuccessClaim,
      repeatsActions,
      failedEditStreak,
      excessiveSteps,
      budgetExhausted,
      hallucinatedPaths,
      emptyPatch,
      debugArtifacts,
      patchUnviewedFiles,
      destructiveCommands,
      envTampering,
    ] as CheckDef[]
  ).map((c) => [c.name, c]),
);

export type { CheckDef, CheckResult, RunContext } from "./types.js";
