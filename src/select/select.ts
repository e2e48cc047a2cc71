/** Best-of-N: per task, the trajectory with the highest reward (ties broken by trajectory id). */
import { reward, type RewardOptions } from "../score/reward.js";
import type { ScoreRecord } from "../types/score.js";

export interface Choice {
  instance_id: string;
  trajectory_id: string;
  reward: number;
  /** attempts at the task that had a reward */
  candidates: number;
  /** the chosen record's outcome label, when known */
  resolved: boolean | null;
}

export function selectBest(records: ScoreRecord[], o: RewardOptions): Choice[] {
  const best = new Map<string, Choice>();
  const counts = new Map<string, number>();
  for (const r of records) {
    if (!r.instance_id || r.error) continue;
    const v = reward(r, o);
    if (v === null) continue;
    counts.set(r.instance_id, (counts.get(r.instance_id) ?? 0) + 1);
    const cur = best.get(r.instance_id);
    if (!cur || v > cur.reward || (v === cur.reward && r.trajectory_id < cur.trajectory_id)) {
      best.set(r.instance_id, {
        instance_id: r.instance_id,
        trajectory_id: r.trajectory_id,
        reward: v,
        candidates: 0,
        resolved: r.label ? r.label.resolved : null,
      });
    }
  }
  return [...best.values()]
    .map((c) => ({ ...c, candidates: counts.get(c.instance_id)! }))
    .sort((a, b) => (a.instance_id < b.instance_id ? -1 : 1));
}
