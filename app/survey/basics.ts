// The zod-free basics of a survey definition: answer types, question kinds and constants that the
// respondent bundle needs without pulling in zod (definition.ts re-exports all of them).

/** Text in every declared language, keyed by language code ("en", "ar", …). */
export type LocalizedText = Record<string, string>;

/**
 * An answer: option codes are always strings ("1", "99", "police") so that a code keeps its
 * meaning whatever the question type; numbers only come from `number` questions; `multiple` and
 * `ranking` answers are arrays of codes (ranking in order of importance).
 */
export type AnswerValue = string | number | string[];
export type Answers = Record<string, AnswerValue>;

export const QUESTION_TYPES = ["single", "multiple", "scale", "number", "text", "ranking", "info"] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];
/** Types whose answers are option codes, and which therefore need options. */
export const CHOICE_TYPES: readonly QuestionType[] = ["single", "multiple", "scale", "ranking"];

export const SCALE_PRESETS = ["sdg16_safety", "agreement5", "trust4", "frequency5", "yes_no"] as const;
export type ScalePreset = (typeof SCALE_PRESETS)[number];

/** Shown to authors beside every free-text question: respondents must stay anonymous. */
export const TEXT_QUESTION_WARNING =
  "Never ask for names, phone numbers, addresses or exact locations in a free-text question. " +
  "Respondents must stay anonymous, and a named place or person can put a whole community at risk.";

/** Whether a question's answers are option codes. */
export function isChoice(q: { type: QuestionType }): boolean {
  return CHOICE_TYPES.includes(q.type);
}
