/**
 * Rows of the public datasets made from agent runs (JSONL or Parquet): nebius
 * SWE-agent-trajectories and OpenAI-style messages (SWE-rebench-openhands, SWE-Gym, SWE-smith,
 * SWE-Zero). Their tools are those of the scaffolds that made them, so a row's tools are looked
 * up in every scaffold's vocabulary; this folder adds the generic names some datasets use.
 */
import { editor, shell } from "../common/tools.js";
import type { Scaffold } from "../types.js";
import { chatRecordAdapter } from "./adapter.js";
import { SCAFFOLD_FORMATS } from "../formats.js";

export const datasets: Scaffold = {
  name: "datasets",
  formats: SCAFFOLD_FORMATS.datasets,
  records: [chatRecordAdapter],
  tools: {
    cmd: shell,
    shell,
    terminal: shell,
    execute_command: shell,
    file_editor: editor,
    str_replace_based_edit_tool: editor,
  },
};
