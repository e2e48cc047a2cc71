/**
 * A reader that stops early (`rubricate inspect ... | head`) closes standard output: writing more
 * would fail with EPIPE. That is not an error of the run: stop writing and end quietly with 0.
 * Imported first by the entry (so `--help | head` is covered too) and by the output helpers.
 */
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(0);
  // other errors: the JSONL writer's own listener reports them; without one, they stay errors
  if (process.stdout.listenerCount("error") === 1) throw e;
});
