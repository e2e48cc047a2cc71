/**
 * Agent-written text is untrusted: a trajectory can address whoever grades it ("ignore the
 * previous instructions", "answer YES"), imitate the judge's own delimiters or a chat template's
 * special tokens, hide text in invisible characters, or be a bare "master key" reply that fools LLM
 * judges (a lone ":" or "Thought process:"). `neutralise` is the one treatment every piece of such
 * text gets before it reaches a prompt: delimiters and special tokens are defused, hidden
 * characters removed, addressing phrases replaced, and each finding noted. `injectionFindings`
 * runs the same treatment over a trajectory's texts, so a score record is flagged whether or not a
 * judge reads it.
 */
import type { Trajectory } from "../types/trajectory.js";

/** The judge's fence (`<<<TRAJECTORY` ... `TRAJECTORY>>>`): no agent text may contain its markers. */
export const FENCE_OPEN = "<<<TRAJECTORY";
export const FENCE_CLOSE = "TRAJECTORY>>>";

/**
 * A pattern and the words it cannot match without (lower case): each inner list holds words of
 * which the text must contain at least one. Scanning a text for a few words is much cheaper than
 * running every pattern over it, and most texts (long tool outputs) contain none of them.
 */
type Pattern = [RegExp, string[][]];

/** Phrases that address a grader, and special tokens; replaced and flagged wherever they are. */
const ADDRESSING: Pattern[] = [
  // overriding what the grader was told
  [
    /\b(ignore|disregard|forget|override|bypass)\s+(all\s+|any\s+|every\s+)?(of\s+)?(the\s+|your\s+|my\s+)?(previous|prior|above|earlier|preceding|original|system|grading|judging)\s+(instructions?|prompts?|rules?|guidelines|directions|context|messages?|rubric)\b/gi,
    [["ignore", "disregard", "forget", "override", "bypass"]],
  ],
  [
    /\b(ignore|disregard|forget)\s+(everything|all)\s+(above|before|previously|you\s+were\s+told)\b/gi,
    [["ignore", "disregard", "forget"]],
  ],
  [/\b(new|updated|revised|real|actual)\s+(system\s+)?instructions\s*(for\s+the\s+\w+\s*)?:/gi, [["instructions"]]],
  // taking over the grader's role
  [
    /\b(you\s+are|act\s+as|pretend\s+(to\s+be|you\s+are)|imagine\s+you\s+are|role-?play\s+as)\s+(now\s+)?(the|a|an)\s+(judge|grader|evaluator|reviewer|reward\s+model|verifier|scorer|assessor)\b/gi,
    [["judge", "grader", "evaluator", "reviewer", "reward", "verifier", "scorer", "assessor"]],
  ],
  [
    /\b(note|message|instructions?|reminder)\s+(to|for)\s+(the\s+|any\s+)?(ai\s+|llm\s+)?(judge|grader|evaluator|reward\s+model|scorer|assessor|model\s+grading\s+this)\b/gi,
    [["judge", "grader", "evaluator", "reward", "scorer", "assessor", "grading"]],
  ],
  [
    /\b(dear|attention|hey|hello)[\s,]+(ai\s+|llm\s+)?(judge|grader|evaluator|reward\s+model|scorer|assessor)\b/gi,
    [["judge", "grader", "evaluator", "reward", "scorer", "assessor"]],
  ],
  [
    /\b(the|any)\s+((ai|llm)\s+(judge|grader|evaluator|reviewer)|judge|grader|reward\s+model|scorer)\s+(must|should|shall|needs?\s+to|is\s+required\s+to|will)\b/gi,
    [["judge", "grader", "evaluator", "reviewer", "reward", "scorer"]],
  ],
  // dictating the answer (the answer word in capitals: "return True" in code is no such thing)
  [
    /\b([Aa]nswer|ANSWER|[Rr]espond|[Rr]eply|[Oo]utput|OUTPUT|[Ss]ay|SAY)\s*(only\s+|exactly\s+|just\s+)?(with\s*)?[:\s]*["'`]?(YES|TRUE|PASS(ED)?|CORRECT|RESOLVED)["'`]?(?![A-Za-z])/g,
    [
      ["answer", "respond", "reply", "output", "say"],
      ["yes", "true", "pass", "correct", "resolved"],
    ],
  ],
  [
    /\b(rate|score|grade|mark|judge|evaluate|classify)\s+(this|the|my|it)\s*(trajectory|solution|patch|attempt|agent|run|answer|response|work)?\s*(as|with|at|a|an)\s+["'`]?(yes|pass(ed|ing)?|correct|resolved|perfect|full|excellent|10|100|5\/5|10\/10|1\.0)\b/gi,
    [["rate", "score", "grade", "mark", "judge", "evaluate", "classify"]],
  ],
  [
    /\b(give|award|assign)\s+(this|it|me|the\s+agent)\s+(a\s+|the\s+)?(full|perfect|maximum|max|highest|top)\s+(score|marks?|grade|reward|rating)\b/gi,
    [
      ["give", "award", "assign"],
      ["score", "mark", "grade", "reward", "rating"],
    ],
  ],
  [/["']?verdict["']?\s*:\s*["']?(yes|pass|true)\b/gi, [["verdict"]]],
  [/["']criteria["']\s*:\s*\[/gi, [["criteria"]]],
  // a chat template's special tokens (never in honest text, and a server may tokenise them as such)
  [/<\|[a-z_]{2,40}\|>/gi, [["<|"]]],
  [/\[\/?INST\]|<<\/?SYS>>/g, [["inst]", "sys>>"]]],
  [
    /\b(end\s+of\s+(the\s+)?(trajectory|transcript|untrusted\s+(text|data))|(trajectory|transcript)\s+ends\s+here)\b/gi,
    [["trajectory", "transcript", "untrusted"]],
  ],
];

/** Markers of another prompt's structure: role tags, role lines, turn markers. */
const STRUCTURE: Pattern[] = [
  [
    /<\/?(system|instructions?|judge|grader|evaluator|im_start|im_end|trajectory|rubric)(?=[\s>/])[^>\n]{0,80}>/gi,
    [["system", "instruction", "judge", "grader", "evaluator", "im_start", "im_end", "trajectory", "rubric"]],
  ],
  [
    /^[ \t]*(#{1,6}[ \t]*(system|instructions?|developer)\b[^\n:]{0,20}:|\[(system|developer|instructions?)\]|(system|developer)[ \t]+(prompt|message|override)[ \t]*:)/gim,
    [["system", "instruction", "developer"]],
  ],
  [/(?:^|\n\n)(Human|Assistant|System)[ \t]*:/g, [["human", "assistant", "system"]]],
];

/**
 * Bare "master key" replies that fool LLM judges ("One Token to Fool LLM-as-a-Judge"): a piece of
 * text that is only punctuation or only a reasoning opener, in any of several languages.
 */
const MASTER_KEY =
  /^\s*(Thought process:?|Let'?s solve this problem step by step\.?|Let'?s think step by step\.?|Solution:?|Answer:?|Step 1:?|Final answer:?|解[:：]?|解答[:：]?|答案[:：]?|かいせつ|解説|Respuesta:?|Solución:?|Réponse\s*:?|Solution\s*:|Lösung:?|Antwort:?|Ответ:?|Решение:?)\s*$/i;

const PATTERNS = [...ADDRESSING, ...STRUCTURE];

/** Every word the patterns need, longest first (so that a word's prefixes are found as words of it). */
const WORDS = [...new Set(PATTERNS.flatMap(([, needs]) => needs.flat()))].sort((a, b) => b.length - a.length);

/**
 * One scan for all the words at once: a lookahead tried at every position captures the longest
 * word starting there, so no occurrence is hidden inside another match.
 */
const WORD_SCAN = new RegExp(`(?=(${WORDS.map((w) => w.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join("|")}))`, "g");

/** The words each word starts with (itself included): "instructions" holds "instruction". */
const PREFIXES = new Map(WORDS.map((w) => [w, WORDS.filter((p) => w.startsWith(p))]));

/** Which of the patterns' words the text contains, in any case. */
function wordsIn(text: string): Set<string> {
  const found = new Set<string>();
  for (const m of text.toLowerCase().matchAll(WORD_SCAN)) for (const w of PREFIXES.get(m[1])!) found.add(w);
  return found;
}

/** Bare punctuation replies (":", "."): master keys too. */
const BARE_PUNCTUATION = /^\s*[:.,;!?\-–—…*#]{1,3}\s*$/;

/** Invisible characters that carry hidden text (Unicode tags) or reorder what is shown (bidirectional overrides). */
const HIDDEN = /[\u{E0000}-\u{E007F}\u202A-\u202E\u2066-\u2069]/gu;

export const REMOVED = "[text addressed to the judge removed]";
export const BARE_REMOVED = "[bare reply removed]";

/**
 * The text with every delimiter, special token, hidden character and addressing phrase defused;
 * each finding is pushed to `flags` as "<where>: <what>".
 */
export function neutralise(text: string, where: string, flags: string[]): string {
  let out = text;
  const hidden = out.match(HIDDEN)?.length ?? 0;
  if (hidden) {
    const n = hidden;
    flags.push(`${where}: ${n} hidden or direction-changing characters`);
    out = out.replace(HIDDEN, "");
  }
  // lookalike brackets are folded first, so a fullwidth fence cannot pass for a harmless one
  out = out.replace(/[＜﹤]/g, "<").replace(/[＞﹥]/g, ">");
  if (out.includes("<<<") || out.includes(">>>")) {
    if (/<<<\s*TRAJECTORY|TRAJECTORY\s*>>>/i.test(out)) flags.push(`${where}: the judge's fence delimiter`);
    out = out.replace(/<{3,}/g, (m) => "‹".repeat(m.length)).replace(/>{3,}/g, (m) => "›".repeat(m.length));
  }
  out = replacePatterns(out, where, flags);
  if (MASTER_KEY.test(out) || BARE_PUNCTUATION.test(out)) {
    flags.push(`${where}: bare reply ${JSON.stringify(out.trim())}`);
    out = BARE_REMOVED;
  }
  return out;
}

/**
 * The text with every addressing phrase and structure marker replaced, each noted in `flags`. A
 * pattern runs only over text holding its words (one scan finds them all, much cheaper than
 * running every pattern); a replacement changes the text, so its words are found again. `all`:
 * run every pattern regardless (the reference the word scan must agree with, for tests).
 */
export function replacePatterns(text: string, where: string, flags: string[], all = false): string {
  let out = text;
  let words = all ? null : wordsIn(out);
  for (const [re, needs] of PATTERNS) {
    if (words && !needs.every((any) => any.some((w) => words!.has(w)))) continue;
    let hit = false;
    out = out.replace(re, (m) => {
      hit = true;
      flags.push(`${where}: ${m.replace(/\s+/g, " ").trim().slice(0, 60)}`);
      return REMOVED;
    });
    if (hit && words) words = wordsIn(out);
  }
  return out;
}

/** One piece of agent-written text that a judge prompt renders, and where it is. */
export interface AgentText {
  where: string;
  text: string;
}

/** The task the judge is shown: the recorded task, else the first user message. */
export function taskText(t: Trajectory): string {
  return t.task ?? t.messages.find((m) => m.role === "user")?.content ?? "(no task recorded)";
}

/** Every piece of agent-written (or program-written) text a judge prompt renders, in prompt order. */
export function agentTexts(t: Trajectory): AgentText[] {
  const out: AgentText[] = [{ where: "task", text: taskText(t) }];
  for (const s of t.steps) {
    const at = `step ${s.index}`;
    if (s.thought) out.push({ where: `${at} thought`, text: s.thought });
    if (s.tool !== "none") {
      out.push({ where: `${at} tool name`, text: s.tool });
      out.push({ where: `${at} action`, text: s.action });
    }
    if (s.observation !== null) out.push({ where: `${at} observation`, text: s.observation });
  }
  if (t.patch) out.push({ where: "patch", text: t.patch });
  return out;
}

/** What neutralising a trajectory's texts found, as "<where>: <what>" (empty when nothing). */
export function injectionFindings(t: Trajectory): string[] {
  const flags: string[] = [];
  for (const a of agentTexts(t)) neutralise(a.text, a.where, flags);
  return flags;
}
