/**
 * The named choices of the dataset writers (formats, tool-call styles, pair layouts, mixtures), in
 * a module with no imports so that the CLI can list them in its help without loading the writers.
 */
export const EXPORT_FORMATS = ["openai", "trl", "sharegpt", "parquet"] as const;
export const TOOL_STYLES = ["native", "xml", "fenced"] as const;
export const CALL_TEXT = ["inline", "think"] as const;
export const PAIR_LAYOUTS = ["dpo", "kto"] as const;
export const MIX_BY = ["scaffold", "model", "run", "format"] as const;
