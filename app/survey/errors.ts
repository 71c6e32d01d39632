// The survey core's faults as data: a code, where (path), what (params), and an English message
// made from them. Import reasons, API bodies and the respondent's words are made from the code;
// nothing downstream reads the message to find out what went wrong.

export type AnswerErrorCode =
  | "answers_not_object"
  | "unknown_question"
  | "info_takes_no_answer"
  | "expected_option"
  | "unknown_option"
  | "expected_options"
  | "repeated_option"
  | "too_many_picks"
  | "expected_number"
  | "expected_integer"
  | "below_min"
  | "above_max"
  | "expected_text"
  | "text_too_long"
  | "hidden_by_logic"
  | "constraint_failed"
  | "required";

export type DefinitionErrorCode =
  | "invalid"
  | "missing"
  | "duplicate_language"
  | "unknown_default_language"
  | "missing_translation"
  | "duplicate_question_id"
  | "reserved_id"
  | "column_taken"
  | "bad_disaggregation"
  | "duplicate_disaggregation"
  | "too_few_options"
  | "options_not_allowed"
  | "duplicate_option"
  | "scale_not_allowed"
  | "number_setting_not_allowed"
  | "max_below_min"
  | "bad_max_picks"
  | "info_required"
  | "unknown_condition_question"
  | "condition_looks_ahead"
  | "condition_on_info"
  | "unknown_code"
  | "bad_condition"
  | "code_has_space"
  | "duplicate_section_id"
  | "section_id_taken"
  | "unknown_section"
  | "duplicate_indicator_id"
  | "bad_indicator_question"
  | "code_counted_and_excluded"
  | "bad_share_target"
  | "mean_needs_single_answer"
  | "mean_code_not_number"
  | "no_draft";

export type ErrorCode = AnswerErrorCode | DefinitionErrorCode;
export type ErrorParams = Record<string, string | number>;

export interface ValidationError {
  code: ErrorCode;
  path: string;
  params: ErrorParams;
  message: string;
}

const quoted = (list: string | number) =>
  String(list)
    .split("\u001f")
    .map((v) => `"${v}"`)
    .join(", ");

/** English messages for the answer checks, made from the code and its params. */
const ANSWER_MESSAGES: Record<AnswerErrorCode, (p: ErrorParams) => string> = {
  answers_not_object: () => "Answers must be an object keyed by question id.",
  unknown_question: (p) => `There is no question "${p.question}" in this survey.`,
  info_takes_no_answer: () => "This is an information screen; it takes no answer.",
  expected_option: () => 'Expected one option code as text, such as "1".',
  unknown_option: (p) => (Number(p.count ?? 1) > 1 ? `${quoted(p.value)} are not among this question's options.` : `${quoted(p.value)} is not one of this question's options.`),
  expected_options: () => "Expected a list of option codes.",
  repeated_option: () => "The same option is picked more than once.",
  too_many_picks: (p) => `Pick at most ${p.limit} options; ${p.given} were given.`,
  expected_number: () => "Expected a number.",
  expected_integer: () => "Expected a whole number.",
  below_min: (p) => `The answer must be at least ${p.min}.`,
  above_max: (p) => `The answer must be at most ${p.max}.`,
  expected_text: () => "Expected text.",
  text_too_long: (p) => `The answer is longer than ${p.max} characters.`,
  hidden_by_logic: () => "The skip logic hides this question for these answers, so it cannot have an answer.",
  required: () => "This question needs an answer.",
  constraint_failed: (p) => (p.message ? String(p.message) : "The answer does not meet this question's rule."),
};

/** An answer fault, its message made from the code. */
export function answerFault(code: AnswerErrorCode, path: string, params: ErrorParams = {}): ValidationError {
  return { code, path, params, message: ANSWER_MESSAGES[code](params) };
}

/** A definition fault: the author's editor shows the message beside the field at `path`. */
export function definitionFault(code: DefinitionErrorCode, path: string, message: string, params: ErrorParams = {}): ValidationError {
  return { code, path, params, message };
}
