// The survey core's public API: pure TypeScript, safe in the browser (offline) and on the server.
export * from "./definition";
export { SCALE_PRESET_OPTIONS, PRESET_LANGUAGES, presetOptions } from "./scales";
export { hasAnswer, answerOf, evaluate, visibility, isVisible, visibleQuestions, dropHiddenAnswers, conditionQuestions, meetsConstraint, SELF } from "./logic";
export { sectionOf, pages, pageOf } from "./sections";
export { validateAnswers, MAX_TEXT_ANSWER } from "./validate";
export type { ValidationError, ErrorCode, AnswerErrorCode, DefinitionErrorCode, ErrorParams } from "./errors";
export { answerFault, definitionFault } from "./errors";
export { validateDefinition, definitionErrors, definitionWarnings, onlyTranslationGaps } from "./definition-check";
export { FIXED_COLUMNS, answerColumns, optionColumn, positionColumn, rankingPositions } from "./columns";
export type { DefinitionResult } from "./definition-check";
export { scoreAll, scoreResponse, summarise, mergeSummaries, estimate, statementToItem } from "./indicators";
export type { Score, IndicatorSummary } from "./indicators";
export { comparabilityWarnings } from "./comparability";
export type { ComparabilityWarning, ComparabilityCode } from "./comparability";
