// The survey core's public API: pure TypeScript, safe in the browser (offline) and on the server.
export * from "./definition";
export { SCALE_PRESET_OPTIONS, PRESET_LANGUAGES, presetOptions } from "./scales";
export { hasAnswer, answerOf, evaluate, visibility, isVisible, visibleQuestions, dropHiddenAnswers, conditionQuestions } from "./logic";
export { validateDefinition, definitionErrors, validateAnswers, MAX_TEXT_ANSWER } from "./validate";
export type { ValidationError, DefinitionResult } from "./validate";
export { scoreResponse, summarise, mergeSummaries, estimate, statementToItem } from "./indicators";
export type { Score, IndicatorSummary } from "./indicators";
export { comparabilityWarnings } from "./comparability";
export type { ComparabilityWarning } from "./comparability";
