#!/usr/bin/env node
/** The `rubricate` command line: parses flags and calls the library (commands in ./commands/). */
import "./epipe.js";
import { CommanderError } from "commander";
import { buildProgram } from "./program.js";

buildProgram()
  .parseAsync(process.argv)
  .catch((e: unknown) => {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode === 0 ? 0 : 2; // --help and --version end with 0
      return;
    }
    process.stderr.write(`rubricate: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  });
