// Checks submitted answers against a survey definition, with a path and plain message per fault.
// Zod-free on purpose: the respondent bundle imports it, and zod alone would weigh ~50 KB gzipped.
import type { Answers, Question, SurveyDefinition } from "./definition";
import { hasAnswer, answerOf, visibility } from "./logic";

export interface ValidationError {
  path: string;
  message: string;
}

/** Longest free-text answer kept: enough for a comment, not for an essay that could identify someone. */
export const MAX_TEXT_ANSWER = 2000;

/**
 * The one check of a submission, used by the tablet before submitting and by the server before
 * storing. `answers` is unknown because it arrives as JSON from a device the server does not trust.
 */
export function validateAnswers(def: SurveyDefinition, answers: unknown): { ok: boolean; errors: ValidationError[] } {
  const errors: ValidationError[] = [];
  if (typeof answers !== "object" || answers === null || Array.isArray(answers)) {
    return { ok: false, errors: [{ path: "answers", message: "Answers must be an object keyed by question id." }] };
  }
  const given = answers as Answers;
  const seen = visibility(def, given);
  const add = (id: string, message: string) => errors.push({ path: `answers.${id}`, message });

  for (const [id, value] of Object.entries(given)) {
    const q = def.questions.find((x) => x.id === id);
    if (!q) {
      add(id, `There is no question "${id}" in this survey.`);
      continue;
    }
    if (q.type === "info") {
      add(id, "This is an information screen; it takes no answer.");
      continue;
    }
    const message = valueError(q, value);
    if (message) {
      add(id, message);
      continue;
    }
    if (!seen.get(id) && hasAnswer(value)) add(id, "The skip logic hides this question for these answers, so it cannot have an answer.");
  }

  for (const q of def.questions) {
    if (q.required && q.type !== "info" && seen.get(q.id) && !hasAnswer(answerOf(given, q.id))) add(q.id, "This question needs an answer.");
  }
  return { ok: errors.length === 0, errors };
}

/** A scan of a few options: cheaper than building a set for every answer checked. */
function hasCode(options: { code: string }[], code: unknown): boolean {
  for (const o of options) if (o.code === code) return true;
  return false;
}

/** What is wrong with one answer's type or content, or null. Empty values mean "not answered". */
function valueError(q: Question, value: unknown): string | null {
  const options = q.options ?? [];
  switch (q.type) {
    case "single":
    case "scale":
      if (typeof value !== "string") return 'Expected one option code as text, such as "1".';
      if (value !== "" && !hasCode(options, value)) return `"${value}" is not one of this question's options.`;
      return null;
    case "multiple":
    case "ranking": {
      if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) return "Expected a list of option codes.";
      const bad = value.filter((v) => !hasCode(options, v));
      if (bad.length) return `${bad.map((b) => `"${b}"`).join(", ")} ${bad.length > 1 ? "are" : "is"} not among this question's options.`;
      if (new Set(value).size !== value.length) return "The same option is picked more than once.";
      const limit = q.maxPicks ?? new Set(options.map((o) => o.code)).size;
      if (q.type === "ranking" && value.length > limit) return `Pick at most ${limit} options; ${value.length} were given.`;
      return null;
    }
    case "number":
      if (typeof value !== "number" || !Number.isFinite(value)) return "Expected a number.";
      if (q.integer && !Number.isInteger(value)) return "Expected a whole number.";
      if (q.min !== undefined && value < q.min) return `The answer must be at least ${q.min}.`;
      if (q.max !== undefined && value > q.max) return `The answer must be at most ${q.max}.`;
      return null;
    case "text":
      if (typeof value !== "string") return "Expected text.";
      if (value.length > MAX_TEXT_ANSWER) return `The answer is longer than ${MAX_TEXT_ANSWER} characters.`;
      return null;
    case "info":
      return "This is an information screen; it takes no answer.";
  }
}

