// PLACEHOLDER: being written (SWE-agent .traj adapter)
import type { JsonAdapter } from "../types.js";
export const sweAgentAdapter: JsonAdapter = { format: "sweagent-traj", detect: () => false, read: () => { throw new Error("not yet"); } };
