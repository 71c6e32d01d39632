// The names a survey's answers take as table columns (exports, imports, other tools): one per
// question, one per option of a multiple choice (`q/code`, as Kobo and ODK name them), one per
// position of a ranking (`q_1`). Kept in the core so the definition check can refuse a question id
// that would take another question's column, and every export header stays unique.
import type { Question } from "./definition";

/** The export's columns before the answers: no question may be called this. */
export const FIXED_COLUMNS = [
  "response_id",
  "survey_version",
  "collected_at",
  "submitted_at",
  "community",
  "round",
  "session_id",
  "language",
  // The session's tablet and facilitator (0019): who collected it, read from the session, never imported.
  "device",
  "facilitator",
] as const;

/** A multiple choice's 0/1 column for one option. `/` never appears in a question id. */
export const optionColumn = (questionId: string, code: string) => `${questionId}/${code}`;
/** A ranking's column for one position (1-based). */
export const positionColumn = (questionId: string, position: number) => `${questionId}_${position}`;

/** The columns one question's answer fills, given how many positions a ranking offers. */
export function answerColumns(q: Pick<Question, "id" | "type"> & { options?: { code: string }[] }, positions = 0): string[] {
  if (q.type === "info") return [];
  if (q.type === "multiple") return (q.options ?? []).map((o) => optionColumn(q.id, o.code));
  if (q.type === "ranking") return Array.from({ length: positions }, (_, i) => positionColumn(q.id, i + 1));
  return [q.id];
}

/** Positions a ranking offers in one version. */
export const rankingPositions = (q: Pick<Question, "maxPicks" | "options">) => q.maxPicks ?? q.options?.length ?? 0;
