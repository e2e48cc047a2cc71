/**
 * The scaffolds rubricate reads, in detection order (most specific adapters first), and what is
 * derived from them: the adapters by kind, one vocabulary of tool names, the markers of every
 * scaffold, their prompt footers. Adding a scaffold: a folder with its `Scaffold`, and one line here.
 */
import type { FormatName } from "../types/trajectory.js";
import { autocoderover } from "./autocoderover/index.js";
import { claudeCode } from "./claude-code/index.js";
import { datasets } from "./datasets/index.js";
import { miniSweAgent } from "./mini-swe-agent/index.js";
import { moatless } from "./moatless/index.js";
import { openhands } from "./openhands/index.js";
import { rubricate } from "./rubricate/index.js";
import { sweagent } from "./sweagent/index.js";
import type {
  DirAdapter,
  JsonAdapter,
  Marker,
  Markers,
  RecordAdapter,
  Scaffold,
  SessionAdapter,
  ShellState,
  ToolMapper,
} from "./types.js";

export const SCAFFOLDS: readonly Scaffold[] = [
  rubricate,
  miniSweAgent,
  sweagent,
  openhands,
  moatless,
  autocoderover,
  claudeCode,
  datasets,
];

export const JSON_ADAPTERS: JsonAdapter[] = SCAFFOLDS.flatMap((s) => s.json ?? []);
export const RECORD_ADAPTERS: RecordAdapter[] = SCAFFOLDS.flatMap((s) => s.records ?? []);
export const DIR_ADAPTERS: DirAdapter[] = SCAFFOLDS.flatMap((s) => s.dirs ?? []);
/** JSONL formats whose whole file is one trajectory; tried on a `.jsonl` file before its lines are read as records. */
export const SESSION_ADAPTERS: SessionAdapter[] = SCAFFOLDS.flatMap((s) => s.sessions ?? []);

export function formatsTried(): string {
  const names = [...JSON_ADAPTERS, ...RECORD_ADAPTERS, ...SESSION_ADAPTERS, ...DIR_ADAPTERS].map((a) => a.format);
  return [...new Set(names)].join(", ");
}

/** Every format the adapters write, in detection order. */
export const FORMATS: readonly FormatName[] = SCAFFOLDS.flatMap((s) => s.formats);

const BY_FORMAT = new Map<string, Scaffold>(SCAFFOLDS.flatMap((s) => s.formats.map((f) => [f, s] as const)));

/** The scaffold whose adapter writes `format`. */
export function scaffoldOf(format: FormatName): Scaffold | undefined {
  return BY_FORMAT.get(format);
}

/**
 * Every scaffold's tool names in one map (a name ending in `*` stands for every name it starts).
 * Two scaffolds may declare one name only with the same mapper (a shared tool such as the file
 * editor): a name that means different things in two scaffolds could not be read in a dataset
 * that does not say which scaffold made it, so it is refused here.
 */
export function vocabulary(scaffolds: readonly Scaffold[]): Map<string, ToolMapper> {
  const out = new Map<string, ToolMapper>();
  const owner = new Map<string, string>();
  for (const s of scaffolds) {
    for (const [name, mapper] of Object.entries(s.tools ?? {})) {
      const had = out.get(name);
      if (had && had !== mapper)
        throw new Error(
          `scaffolds ${owner.get(name)} and ${s.name} both declare the tool '${name}', with different meanings`,
        );
      out.set(name, mapper);
      if (!owner.has(name)) owner.set(name, s.name);
    }
  }
  return out;
}

export const VOCABULARY = vocabulary(SCAFFOLDS);

/** Each scaffold's own tools, as a map. */
export const OWN_TOOLS = new Map<Scaffold, Map<string, ToolMapper>>(
  SCAFFOLDS.map((s) => [s, new Map(Object.entries(s.tools ?? {}))]),
);

/** The mapper of a tool name: the name itself, else the longest `prefix*` the name starts with. */
export function lookup(tools: ReadonlyMap<string, ToolMapper>, name: string): ToolMapper | undefined {
  const exact = tools.get(name);
  if (exact) return exact;
  for (let i = name.length - 1; i > 0; i--) {
    const m = tools.get(name.slice(0, i) + "*");
    if (m) return m;
  }
  return undefined;
}

/** Every scaffold's markers, by what they mean (a step's observation is read for all of them: datasets do not say whose they are). */
export const MARKERS: Required<Markers> = {
  format_error: unique(SCAFFOLDS.flatMap((s) => s.markers?.format_error ?? [])),
  edit_rejected: unique(SCAFFOLDS.flatMap((s) => s.markers?.edit_rejected ?? [])),
  timeout: unique(SCAFFOLDS.flatMap((s) => s.markers?.timeout ?? [])),
  missing_path: SCAFFOLDS.flatMap((s) => s.markers?.missing_path ?? []),
  exit_code: SCAFFOLDS.flatMap((s) => s.markers?.exit_code ?? []),
};

function unique(ms: Marker[]): Marker[] {
  const seen = new Set<string>();
  return ms.filter(([lit, re]) => {
    const key = `${lit}\u0000${re?.source ?? ""}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Every scaffold's prompt-footer reader, for trajectories whose scaffold has none of its own (datasets). */
export const FOOTERS: readonly ((message: string) => ShellState | null)[] = SCAFFOLDS.flatMap((s) =>
  s.footer ? [s.footer] : [],
);
