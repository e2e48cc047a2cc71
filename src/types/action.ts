/**
 * The canonical action of a step: what the agent did, in one vocabulary for every scaffold. The
 * scaffold that produced a trajectory sets it once, at ingest (`src/scaffolds/<agent>/`), from
 * its own tool names, arguments and messages; analysis and checks read only this (plus the
 * shell parse of shell commands), never a scaffold's tool names.
 */
import { z } from "zod";

export const ACTION_KINDS = [
  /** a shell script (the step's `action` text) */
  "shell",
  /** a program in another language run by the scaffold (an IPython cell) */
  "code",
  /** reading a file or listing a folder */
  "view",
  /** searching the code */
  "search",
  "edit",
  "create",
  "delete",
  /** planning a change or naming where the bug is, without changing anything */
  "plan",
  /** thinking aloud (a think tool, or a message without an action) */
  "think",
  /** one agent of a multi-agent scaffold handing work to another */
  "handoff",
  "submit",
  /** the run ends without submitting (a limit, an error, giving up) */
  "exit",
  /** no action: the message holds only text (a thought, a closing answer, a reply the scaffold rejected) */
  "none",
  /** a tool rubricate does not know */
  "other",
] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

/** Why a run ended without submitting (or how it ended, for a trajectory's exit status). */
export const EXIT_REASONS = [
  "step_limit",
  "cost_limit",
  "context_limit",
  "time_limit",
  "format_error",
  "error",
  "gave_up",
] as const;
export type ExitReason = (typeof EXIT_REASONS)[number];

/** How a run ended: it submitted, it stopped for one of the exit reasons, or nothing says. */
export const RUN_ENDINGS = ["submitted", ...EXIT_REASONS, "unknown"] as const;
export type RunEnding = (typeof RUN_ENDINGS)[number];

export const ActionSchema = z.object({
  kind: z.enum(ACTION_KINDS),
  /** the file the action names, as it names it (may be relative to the shell's directory) */
  path: z.string().optional(),
  /** more files the action read or wrote: a search's results, the files of a patch it applied */
  files: z.array(z.string()).optional(),
  /** the action works on the file open in the scaffold's editor (SWE-agent's windowed editor), as it names none */
  onOpen: z.boolean().optional(),
  /** the action makes `path` the file open in the scaffold's editor */
  opens: z.boolean().optional(),
  /** view: a folder listing, not a file */
  dir: z.boolean().optional(),
  /** view: moves a window over the open file (made to be repeated: scrolling) */
  paging: z.boolean().optional(),
  /** edit/create/delete: the scaffold refused it or it did not apply (linter, no match, file exists) */
  refused: z.boolean().optional(),
  /** create: the file's text; edit with `append`: the text added to a file */
  content: z.string().optional(),
  append: z.boolean().optional(),
  /** code: the language, and the program when it is not the step's action text */
  lang: z.string().optional(),
  code: z.string().optional(),
  /** code: the scaffold's own tools the program calls (OpenHands agent skills), in order */
  tools: z.array(z.object({ kind: z.enum(ACTION_KINDS), path: z.string().optional() })).optional(),
  /** code: the program does nothing but call those tools (it runs no code of the project) */
  toolsOnly: z.boolean().optional(),
  /** shell: every action runs in a fresh shell (`cd` does not carry over) */
  fresh: z.boolean().optional(),
  /** shell: the scaffold checks the script's syntax before running any of it */
  checked: z.boolean().optional(),
  /** exit: why */
  reason: z.enum(EXIT_REASONS).optional(),
  /** handoff: the role that takes over */
  to: z.string().optional(),
  /** the acting role, in scaffolds with several agents */
  role: z.string().optional(),
  /** the editor and shell state the scaffold printed after the step (working folder, open file) */
  after: z.object({ cwd: z.string().optional(), open: z.string().nullable().optional() }).optional(),
});
export type Action = z.infer<typeof ActionSchema>;
