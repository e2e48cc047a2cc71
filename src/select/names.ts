/** The filter policies, in a module with no imports so that the command line's help can list them cheaply. */
export const POLICIES = ["terminal", "rubric", "hybrid"] as const;
export type Policy = (typeof POLICIES)[number];
