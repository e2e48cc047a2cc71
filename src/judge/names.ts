/**
 * The judge's named choices (server dialects, judge modes, vote aggregates), in a module with no
 * imports so that the CLI can list them in its help without loading the judge.
 */
export const DIALECTS = ["openai", "vllm", "sglang", "ollama", "llamacpp"] as const;
export const JUDGE_MODES = ["rubric", "criterion", "outcome"] as const;
export const AGGREGATES = ["mean", "majority"] as const;
