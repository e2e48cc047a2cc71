/** rubricate's library API: everything the CLI does is callable from here. */
export * from "./types/trajectory.js";
export { ingest, ingestCandidate, type IngestOptions, type IngestEvent } from "./ingest/pipeline.js";
export { IngestError } from "./io/error.js";
export type { JsonAdapter, RecordAdapter, DirAdapter } from "./scaffolds/types.js";
export { discover, type Candidate } from "./ingest/discover.js";
export { JSON_ADAPTERS, RECORD_ADAPTERS, DIR_ADAPTERS } from "./scaffolds/registry.js";
export { readTrajectories, type ReadOptions } from "./labels/stream.js";
export { LabelIndex, LabelFinder, attachLabel } from "./labels/join.js";
export { parseLabelFile, type LabelEntry } from "./labels/parse.js";
export { patchStats, isTestPath, type PatchStats, type PatchFile } from "./analyze/patch.js";
export { parseShell, type ShellCommand } from "./analyze/shell.js";
export { classifySteps, type StepFacts, type StepKind } from "./analyze/classify.js";
export { analyze, type Facts, type ExitFamily } from "./analyze/facts.js";
export { actionsOf, canonicalize, endingOf, canRunOf } from "./scaffolds/actions.js";
export { SCAFFOLDS, FORMATS, scaffoldOf, VOCABULARY } from "./scaffolds/registry.js";
export type { Scaffold, ToolMapper, Markers } from "./scaffolds/types.js";
export * from "./types/action.js";
export { observe, testSummary, type Observed, type TestSummary } from "./analyze/observe.js";
export { CHECKS, type CheckDef, type CheckResult, type RunContext } from "./checks/index.js";
export { loadRubric, parseRubric, builtinRubricIds, rubricHash, RubricError } from "./rubric/load.js";
export type { Rubric, Criterion, Aggregation } from "./rubric/schema.js";
export { scoreTrajectory, errorRecord, type ScoreOptions } from "./score/score.js";
export * from "./types/decider.js";
export { scoreStream, type ScoreEvent, type ScoreStreamOptions } from "./score/stream.js";
export { DEFAULTS, defaultOutcome, defaultOutcomeModel } from "./score/defaults.js";
export { needsRunContext, withRunContext, finishRunContext, applyRunContext, RunSteps } from "./score/context.js";
export { aggregate } from "./score/aggregate.js";
export { ScoreSummary } from "./score/summary.js";
export * from "./types/score.js";
export { FEATURE_NAMES, features } from "./outcome/features.js";
export { fitLogistic, predict, loadModel, type ModelFile } from "./outcome/model.js";
export { train, collectExamples, validate, type TrainResult, type Example } from "./outcome/train.js";
export { outcomeProvider, DEFAULT_MODEL } from "./outcome/provider.js";
export { decide as filterDecide, filterReport, POLICIES, type Policy } from "./select/filter.js";
export { predictionPatch, parseIds } from "./select/patch.js";
export { selectBest, type Choice } from "./select/select.js";
export { reward, pResolved, groupNormalize, REWARD_MODES, type RewardMode } from "./score/reward.js";
export { evaluate, renderReport, type EvalReport } from "./eval/report.js";
export * from "./eval/metrics.js";
export { fit as fitCalibrator, crossValidate, loadCalibrator, fitPlatt, fitIsotonic } from "./eval/calibrate.js";
export {
  renderMessages,
  renderTurns,
  inlineCalls,
  TOOL_STYLES,
  type ToolStyle,
  type OutMessage,
} from "./export/render.js";
export { conversation, withoutActions, RenderError, type Turn, type Call } from "./export/conversation.js";
export { openaiRecord, trlRecord, toolsOf, EXPORT_FORMATS, type ExportFormat, type Meta } from "./export/formats.js";
export { sharegptRecord, sharegptTurns, datasetInfoEntry, CALL_TEXT, type CallText } from "./export/sharegpt.js";
export { exportSft, checkSft, SFT_PARQUET, type SftOptions, type SftReport } from "./export/sft.js";
export { ParquetRows, parquetSchema, type ColumnType, type ParquetSchema } from "./export/parquet.js";
export {
  checkTargets,
  checkInputs,
  checkTrajectoryInputs,
  checkDatasetInfo,
  mergeDatasetInfo,
  UsageError,
} from "./export/targets.js";
export { readScoreMap } from "./export/scores.js";
export { behaviour, resolvedOf } from "./select/signals.js";
export {
  choosePairs,
  standings,
  pairReport,
  spread,
  PAIR_KINDS,
  type Attempt,
  type Pair,
  type PairReport,
} from "./select/pairs.js";
export { planRm, patchKey, type Sample, type RmOptions, type RmPlan } from "./select/rmdata.js";
export { exportPairs, PAIR_LAYOUTS, type PairsOptions, type PairsReport } from "./export/pairs.js";
export { exportRmData, parseMixture, MIX_BY, type RmDataOptions, type RmDataReport } from "./export/rmdata.js";
export { transcript, type Transcript } from "./export/transcript.js";
export {
  hindsight,
  stepSpan,
  exportFeedback,
  type Feedback,
  type Failure,
  type FeedbackOptions,
  type FeedbackReport,
} from "./export/feedback.js";
export {
  OpenAICompatible,
  JudgeHttpError,
  DIALECTS,
  type Dialect,
  type JudgeBackend,
  type ChatRequest,
  type ChatResponse,
  type Capabilities,
} from "./judge/backend.js";
export {
  judgeDecider,
  JUDGE_MODES,
  type JudgeMode,
  type JudgeOptions,
  type JudgeDecider,
  type ProtocolCounts,
} from "./judge/judge.js";
export { yesProbability, yesNoMass, askYesNo } from "./judge/protocols/yesno.js";
export {
  askRubric,
  answerSchema,
  parseAnswer,
  rubricVotes,
  VERDICTS,
  type Answer,
  type RubricAnswers,
} from "./judge/protocols/rubric.js";
export { askCritic, withCritic, isCritic, CRITIC_CRITERION, CRITIC_ID } from "./judge/protocols/critic.js";
export {
  askPair,
  pairwiseJudge,
  pairwiseSystem,
  firstProbability,
  letterMass,
  type PairwiseJudge,
} from "./judge/protocols/pairwise.js";
export {
  planInduction,
  induce as induceRubric,
  criterionOf,
  type Sample as InduceSample,
  type InducePlan,
  type InduceOptions,
  type InduceResult,
} from "./judge/induce/index.js";
export { merge as mergeProposals, type Candidate as InducedCandidate } from "./judge/induce/merge.js";
export { candidateStats, type CandidateStats } from "./judge/induce/validate.js";
export { rubricYaml } from "./judge/induce/write.js";
export {
  rankTask,
  comparisonBudget,
  combined as combinePairwise,
  flipRate,
  strengths as pairwiseStrengths,
  ComparisonSchema,
  type Comparison,
  type TaskRanking,
} from "./select/pairwise.js";
export { fitBradleyTerry, winProbability } from "./select/bradley-terry.js";
export { evaluatePairwise, renderPairwise, readComparisons, type PairwiseReport } from "./eval/pairwise.js";
export { combine as combineVotes, settle, AGGREGATES, type Aggregate, type Vote } from "./judge/panel.js";
export { meteredBackend, newStats, type JudgeStats } from "./judge/usage.js";
export { buildJudge, buildBackends, type BuiltJudge } from "./judge/build.js";
export { renderTranscript, fence, type Rendered } from "./judge/render.js";
export { loadCounter, tiktokenCounter, hfCounter, defaultCounter, type TokenCounter } from "./judge/tokens.js";
export { JudgeCache, cachedBackend, cacheKey } from "./judge/cache.js";
export { limitedBackend, TokenWindow, type Limits } from "./judge/limit.js";
export { loadPrices, priceOf, costOf, DEFAULT_PRICES, type Price } from "./judge/prices.js";
export { readJudgeConfig, resolveJudge, type JudgeConfig } from "./judge/config.js";
export { criterionValue } from "./score/reward.js";
export { buildReport, DEFAULT_MAX_MB, type ReportOptions, type ReportResult } from "./report/build.js";
export { analyse, rocCurve, type Analysis, type Series, type RocPoint } from "./report/analysis.js";
export { charts, toSvg, type Chart } from "./report/charts.js";
export {
  collectScores,
  readFilterReport,
  MixedRubricsError,
  type Collected,
  type RubricCount,
} from "./report/collect.js";
export { renderVerdictsOnSteps, type TerminalOptions } from "./report/terminal.js";
export {
  scoreRollout,
  rolloutTrajectory,
  rolloutHash,
  ROLLOUT_SCAFFOLDS,
  type Rollout,
  type RolloutOptions,
} from "./score/rollout.js";
export { serve, createRewardServer, type ServeOptions, type RunningServer } from "./serve/start.js";
export { RewardService, SERVE_REWARDS, type ServeReward, type ItemResult } from "./serve/service.js";
export { parseChat, patchFromTranscript, type ChatTurn, type ParsedChat } from "./serve/template.js";
