// The import report's reason for each fault, from its code (survey core and response checks):
// never from the wording of its message.
import type { ErrorCode } from "~/survey";
import type { IngestErrorCode } from "~/models/response-checks";

const REASONS: Partial<Record<ErrorCode | IngestErrorCode, string>> = {
  required: "missing required answer",
  hidden_by_logic: "hidden by skip logic",
  unknown_option: "unknown option",
  unknown_question: "unknown question",
  info_takes_no_answer: "unknown question",
  expected_option: "wrong type",
  expected_options: "wrong type",
  expected_number: "wrong type",
  expected_integer: "wrong type",
  expected_text: "wrong type",
  answers_not_object: "wrong type",
  below_min: "out of range",
  above_max: "out of range",
  text_too_long: "out of range",
  too_many_picks: "out of range",
  repeated_option: "out of range",
  future_date: "bad date",
  too_early: "bad date",
  unknown_version: "unknown version",
  unknown_language: "unknown language",
  conflict: "conflict",
};

/** Where a fault without a code of its own (a malformed field) is reported by its path. */
const BY_PATH: Record<string, string> = { collectedAt: "bad date", surveyVersion: "unknown version", language: "unknown language" };

export function reasonFor(error: { code?: string; path: string }): string {
  return (error.code && REASONS[error.code as ErrorCode | IngestErrorCode]) || BY_PATH[error.path] || "refused";
}
