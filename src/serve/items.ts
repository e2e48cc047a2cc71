/**
 * What a request says about one rollout, turned into a `Rollout` for `scoreRollout`. The forms:
 *  - `trajectory`: the parsed JSON of anything rubricate ingests (a trajectory file, a dataset row);
 *  - `messages`: OpenAI chat messages (with `tool_calls`, or actions written as text), optionally
 *    followed by `response`, templated text that continues the conversation;
 *  - `text`: a whole conversation as chat-templated text (`template.ts`);
 *  - `prompt` (text or messages) and `response` (text): a prompt and what the policy generated.
 * Any form may add `patch`, `task`, `instance_id`, `tools`, `exit_status` and `resolved`. Without
 * `patch` the final patch is the diff the transcript ends by showing, if any.
 */
import { z } from "zod";
import { IngestError } from "../io/error.js";
import { ROLLOUT_SCAFFOLDS, type Rollout } from "../score/rollout.js";
import { isTemplated, parseChat, patchFromTranscript, type ChatTurn } from "./template.js";

const Id = z.union([z.string().max(512), z.number()]);

/** One item of `/v1/score`; each is checked on its own, so one bad item never fails the batch. */
export const ItemSchema = z.strictObject({
  id: Id.optional(),
  /** items with one group id are attempts at one task (per-group normalised rewards) */
  group: Id.optional(),
  messages: z.array(z.unknown()).optional(),
  trajectory: z.unknown().optional(),
  text: z.string().optional(),
  prompt: z.union([z.string(), z.array(z.unknown())]).optional(),
  response: z.string().optional(),
  patch: z.string().nullable().optional(),
  task: z.string().nullable().optional(),
  instance_id: z.string().nullable().optional(),
  tools: z.array(z.unknown()).optional(),
  exit_status: z.string().nullable().optional(),
  resolved: z.boolean().nullable().optional(),
  /** whose conventions text actions in `messages` follow (default: the chat datasets') */
  scaffold: z.enum(ROLLOUT_SCAFFOLDS).optional(),
});
export type Item = z.infer<typeof ItemSchema>;

/** An item's problems as one line: the field and what was expected. */
export function describeIssues(e: z.ZodError, name: string): string {
  const i = e.issues[0];
  const field = i.path.length ? i.path.join(".") : "(item)";
  const more = e.issues.length > 1 ? ` (and ${e.issues.length - 1} more)` : "";
  return `${name}: field '${field}': ${i.message}${more}`;
}

/** The rollout an item describes; throws IngestError naming the item and field. */
export function itemRollout(item: Item, name: string): Rollout {
  const forms = [
    item.trajectory !== undefined && "trajectory",
    item.messages !== undefined && "messages",
    item.text !== undefined && "text",
    item.prompt !== undefined && "prompt",
  ].filter(Boolean);
  if (forms.length === 0 && item.response === undefined)
    throw new IngestError(name, "expected one of `messages`, `text`, `prompt` + `response`, or `trajectory`");
  if (forms.length > 1) throw new IngestError(name, `give one form of the rollout, not ${forms.join(" and ")}`);
  const extra = overrides(item);
  if (item.trajectory !== undefined) {
    if (item.response !== undefined) throw new IngestError(name, "`response` does not go with `trajectory`");
    return { trajectory: item.trajectory, ...extra };
  }
  const messages = conversation(item);
  if (!messages.length) throw new IngestError(name, "the rollout has no messages (empty text)");
  if (item.patch === undefined) extra.patch = patchFromTranscript(messages as { role: string; content?: unknown }[]);
  return { messages, ...extra };
}

function overrides(item: Item): Omit<Rollout, "messages" | "trajectory"> {
  const out: Omit<Rollout, "messages" | "trajectory"> = {};
  if (item.patch !== undefined) out.patch = item.patch;
  if (item.task !== undefined) out.task = item.task;
  if (item.instance_id !== undefined) out.instance_id = item.instance_id;
  if (item.tools !== undefined) out.tools = item.tools;
  if (item.exit_status !== undefined) out.exit_status = item.exit_status;
  if (item.resolved !== undefined) out.resolved = item.resolved;
  if (item.scaffold !== undefined) out.scaffold = item.scaffold;
  return out;
}

function conversation(item: Item): unknown[] {
  const response = item.response;
  if (item.text !== undefined) return parseChat(item.text).messages;
  if (typeof item.prompt === "string") {
    // a templated prompt is read with its response as one text: the response continues the prompt's open turn
    if (isTemplated(item.prompt)) return parseChat(item.prompt + (response ?? "")).messages;
    const head: ChatTurn[] = item.prompt.trim() ? [{ role: "user", content: item.prompt }] : [];
    return response === undefined ? head : [...head, ...parseChat(response, { first: "assistant" }).messages];
  }
  const head = item.messages ?? (Array.isArray(item.prompt) ? item.prompt : []);
  return response === undefined ? head : [...head, ...parseChat(response, { first: "assistant" }).messages];
}

/**
 * The rollout of one OpenRLHF sample: `query` is the prompt and response decoded with the chat
 * template's special tokens; `prompt` the templated prompt alone. Text without turn markers is
 * read as the prompt (when `query` starts with it) and the response after it.
 */
export function queryRollout(query: string, prompt: unknown, label: unknown): Rollout {
  let messages: ChatTurn[];
  if (isTemplated(query)) messages = parseChat(query).messages;
  else if (typeof prompt === "string" && prompt && query.startsWith(prompt))
    messages = [
      { role: "user", content: prompt },
      ...parseChat(query.slice(prompt.length), { first: "assistant" }).messages,
    ];
  else messages = parseChat(query, { first: "assistant" }).messages;
  const out: Rollout = { messages, patch: patchFromTranscript(messages) };
  const resolved = resolvedOf(label);
  if (resolved !== undefined) out.resolved = resolved;
  return out;
}

/** A label that says whether the task was resolved (true/false, 1/0, "true"/"false"); anything else says nothing. */
function resolvedOf(label: unknown): boolean | undefined {
  if (typeof label === "boolean") return label;
  if (label === 0 || label === 1) return label === 1;
  if (typeof label === "string" && /^(true|false)$/i.test(label.trim())) return /^true$/i.test(label.trim());
  if (label && typeof label === "object" && !Array.isArray(label))
    return resolvedOf((label as { resolved?: unknown }).resolved);
  return undefined;
}
