// The codebook that travels with an export: every question id, its type, labels in every language,
// option codes and labels, the export columns it became and the versions where it appears.
import type { Layout } from "./layout";

export interface Codebook {
  survey: { id: string; title: string };
  languages: string[];
  fixedColumns: { column: string; meaning: string }[];
  questions: {
    id: string;
    type: string;
    label: Record<string, string>;
    columns: string[];
    versions: number[];
    options: { code: string; label: Record<string, string> }[];
  }[];
}

const FIXED_MEANINGS: Record<string, string> = {
  response_id: "The response's id, made on the device (or derived from the imported row).",
  survey_version: "The published survey version the response answered.",
  collected_at: "When the answers were given (ISO 8601, UTC).",
  submitted_at: "When the server stored the response (ISO 8601, UTC).",
  community: "The community's name.",
  round: "The round's name (baseline, midline, …).",
  session_id: "The focus-group session, when the response was given in one.",
  language: "The language the respondent used.",
  device: "The name of the tablet the session ran on, given when it was armed.",
  facilitator: "The facilitator who ran the session (their name when the session was recorded).",
};

export function buildCodebook(survey: { id: string; title: string }, layout: Layout): Codebook {
  return {
    survey,
    languages: layout.languages,
    fixedColumns: Object.entries(FIXED_MEANINGS).map(([column, meaning]) => ({ column, meaning })),
    questions: layout.questions.map((q) => ({
      id: q.id,
      type: q.type,
      label: q.label,
      columns: q.columns,
      versions: q.versions,
      options: q.options,
    })),
  };
}

/** One row per question, then one row per option under it. */
export function codebookRows(book: Codebook): (string | number)[][] {
  const langs = book.languages;
  const header = ["question_id", "type", "columns", "versions", ...langs.map((l) => `label_${l}`), "option_code", ...langs.map((l) => `option_label_${l}`)];
  const rows: (string | number)[][] = [header];
  for (const q of book.questions) {
    rows.push([q.id, q.type, q.columns.join(" "), q.versions.join(" "), ...langs.map((l) => q.label[l] ?? ""), "", ...langs.map(() => "")]);
    for (const o of q.options) {
      rows.push([q.id, q.type, "", "", ...langs.map(() => ""), o.code, ...langs.map((l) => o.label[l] ?? "")]);
    }
  }
  return rows;
}
