/**
 * Secrets (the judge servers' API keys) are registered once, when configured, and redacted from
 * every line rubricate writes: records, logs, messages, cached answers. A server that echoes the
 * key back in an error message or an answer cannot get it into an output.
 */

/** Keys shorter than this are not redacted: they are placeholders ("EMPTY", "none"), and common words would be cut out of every text. */
export const MIN_SECRET_LENGTH = 8;

const PLACEHOLDERS = new Set(["not-needed", "no-key-needed", "sk-no-key-required"]);

/** Every registered secret, with the forms it takes inside JSON text. */
const secrets = new Set<string>();

export const REDACTED = "[redacted]";

/** Registers a key to redact (ignored when empty, a placeholder or shorter than MIN_SECRET_LENGTH). */
export function addSecret(key: string | null | undefined): void {
  if (!key || key.length < MIN_SECRET_LENGTH || PLACEHOLDERS.has(key)) return;
  secrets.add(key);
  const escaped = JSON.stringify(key).slice(1, -1);
  if (escaped !== key) secrets.add(escaped);
}

/** The text with every registered secret replaced by "[redacted]". */
export function redact(text: string): string {
  if (secrets.size === 0) return text;
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(REDACTED);
  return out;
}

/** Forgets every registered secret (for tests). */
export function clearSecrets(): void {
  secrets.clear();
}
