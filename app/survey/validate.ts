// Checks submitted answers against a survey definition, with a path and plain message per fault.
// Zod-free on purpose: the respondent bundle imports it, and zod alone would weigh ~50 KB gzipped.
import type { Answers, Question, SurveyDefinition } from "./definition";
import { hasAnswer, answerOf, visibility, meetsConstraint } from "./logic";
import { answerFault, type AnswerErrorCode, type ErrorParams, type ValidationError } from "./errors";

export type { ValidationError };

/** Longest free-text answer kept: enough for a comment, not for an essay that could identify someone. */
export const MAX_TEXT_ANSWER = 2000;

/**
 * The one check of a submission, used by the tablet before submitting and by the server before
 * storing. `answers` is unknown because it arrives as JSON from a device the server does not trust.
 */
export function validateAnswers(def: SurveyDefinition, answers: unknown): { ok: boolean; errors: ValidationError[] } {
  const errors: ValidationError[] = [];
  if (typeof answers !== "object" || answers === null || Array.isArray(answers)) {
    return { ok: false, errors: [answerFault("answers_not_object", "answers")] };
  }
  const given = answers as Answers;
  const seen = visibility(def, given);
  const add = (id: string, code: AnswerErrorCode, params: ErrorParams = {}) => errors.push(answerFault(code, `answers.${id}`, params));

  for (const [id, value] of Object.entries(given)) {
    const q = def.questions.find((x) => x.id === id);
    if (!q) {
      add(id, "unknown_question", { question: id });
      continue;
    }
    if (q.type === "info") {
      add(id, "info_takes_no_answer");
      continue;
    }
    const fault = valueError(q, value);
    if (fault) {
      add(id, fault.code, fault.params);
      continue;
    }
    if (!seen.get(id) && hasAnswer(value)) add(id, "hidden_by_logic");
  }

  const visible: Answers = {};
  for (const q of def.questions) if (seen.get(q.id) && answerOf(given, q.id) !== undefined) visible[q.id] = given[q.id];
  const faulty = new Set(errors.map((e) => e.path));
  for (const q of def.questions) {
    if (q.required && q.type !== "info" && seen.get(q.id) && !hasAnswer(answerOf(given, q.id))) add(q.id, "required");
    // Only a well-formed, visible answer is held to its constraint.
    if (q.constraint && seen.get(q.id) && !faulty.has(`answers.${q.id}`) && !meetsConstraint(q, visible)) {
      add(q.id, "constraint_failed", { message: q.constraint.message?.[def.defaultLanguage] ?? "" });
    }
  }
  return { ok: errors.length === 0, errors };
}

/** A scan of a few options: cheaper than building a set for every answer checked. */
function hasCode(options: { code: string }[], code: unknown): boolean {
  for (const o of options) if (o.code === code) return true;
  return false;
}

type Fault = { code: AnswerErrorCode; params?: ErrorParams } | null;

/** What is wrong with one answer's type or content, or null. Empty values mean "not answered". */
function valueError(q: Question, value: unknown): Fault {
  const options = q.options ?? [];
  switch (q.type) {
    case "single":
    case "scale":
      if (typeof value !== "string") return { code: "expected_option" };
      if (value !== "" && !hasCode(options, value)) return { code: "unknown_option", params: { value, count: 1 } };
      return null;
    case "multiple":
    case "ranking": {
      if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) return { code: "expected_options" };
      const bad = value.filter((v) => !hasCode(options, v));
      if (bad.length) return { code: "unknown_option", params: { value: bad.join("\u001f"), count: bad.length } };
      if (new Set(value).size !== value.length) return { code: "repeated_option" };
      const limit = q.maxPicks ?? new Set(options.map((o) => o.code)).size;
      if (q.type === "ranking" && value.length > limit) return { code: "too_many_picks", params: { limit, given: value.length } };
      return null;
    }
    case "number":
      if (typeof value !== "number" || !Number.isFinite(value)) return { code: "expected_number" };
      if (q.integer && !Number.isInteger(value)) return { code: "expected_integer" };
      if (q.min !== undefined && value < q.min) return { code: "below_min", params: { min: q.min } };
      if (q.max !== undefined && value > q.max) return { code: "above_max", params: { max: q.max } };
      return null;
    case "text":
      if (typeof value !== "string") return { code: "expected_text" };
      if (value.length > MAX_TEXT_ANSWER) return { code: "text_too_long", params: { max: MAX_TEXT_ANSWER } };
      return null;
    case "info":
      return { code: "info_takes_no_answer" };
  }
}
