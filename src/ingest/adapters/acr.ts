// PLACEHOLDER: being written (AutoCodeRover adapter)
import type { DirAdapter } from "../types.js";
export const acrAdapter: DirAdapter = { format: "autocoderover", detect: () => false, read: () => { throw new Error("not yet"); } };
