/**
 * The outcome model's `claims_success` feature: whether the closing text claims success, read as
 * the shipped model was trained to read it. The `unverified_success_claim` check reads claims more
 * strictly (`successClaim` in checks/testing.ts); this one stays as it was until the model is
 * retrained, so that changing the check does not change the model's inputs.
 */
const CLAIM =
  /\b(fixed|resolved|solved|implemented|successfully|works (now|correctly|as expected)|now works|all (the )?tests pass(ed)?|tests (now )?pass(ed)?)\b/gi;
const CLAIM_ANYWHERE = new RegExp(CLAIM.source, "i");
/** Words in the twelve before a claim word (same sentence) that make it no claim: negated, conditional, advice. */
const NOT_A_CLAIM_BEFORE =
  /\b(not|never|unable|cannot|failed to|if|whether|ensure|ensuring|confirm|verify|verifying|to check|would|could|might|requires?|needs?|how|assum\w*)\b|n't\b/i;
/** Success at something else than the fix: "successfully reproduced the bug". */
const NOT_A_CLAIM_AFTER = /^\s*(reproduced|recreated|replicated|ran|run|created|opened|located|found|identified)\b/i;

export function claimsSuccess(text: string): boolean {
  if (!CLAIM_ANYWHERE.test(text)) return false;
  for (const sentence of text.split(/(?<=[.!?])\s+|\n+/)) {
    for (const m of sentence.matchAll(CLAIM)) {
      const before = sentence.slice(0, m.index).split(/\s+/).slice(-12).join(" ");
      if (NOT_A_CLAIM_BEFORE.test(before)) continue;
      if (NOT_A_CLAIM_AFTER.test(sentence.slice(m.index + m[0].length))) continue;
      return true;
    }
  }
  return false;
}
