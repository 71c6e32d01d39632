// Matches an uploaded file's column headers to a survey: by question id, by label in any of the
// survey's languages, or in other tools' styles (KoboToolbox/ODK `group/question` paths, `_uuid`,
// `_submission_time`, `start`/`end`). What is not matched is left for the person to map or ignore.
import type { Layout, QuestionInfo } from "./layout";

/** Where a column's cells go. */
export type Target =
  | { kind: "meta"; field: MetaField }
  | { kind: "answer"; question: string }
  /** One 0/1 column of a multiple-choice question. */
  | { kind: "option"; question: string; code: string }
  /** One position (1-based) of a ranking. */
  | { kind: "position"; question: string; position: number }
  | { kind: "ignore" };

export type MetaField = "id" | "survey_version" | "collected_at" | "submitted_at" | "community" | "round" | "session_id" | "language";

export interface ColumnMatch {
  index: number;
  header: string;
  target: Target | null;
  how: "id" | "label" | "path" | "tool metadata" | "by hand" | "ignored by hand" | "unmatched";
}

/** Lowercase, no accents' case differences, single spaces, no surrounding punctuation. */
export const normalise = (s: string) =>
  s
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s\u00a0]+/g, " ")
    .replace(/^[\s"'“”.:?*]+|[\s"'“”.:?*]+$/g, "")
    .trim();

// Other tools' metadata: matched to our fields when they carry one, otherwise ignored quietly.
const META_ALIASES: Record<string, MetaField> = {
  response_id: "id",
  _uuid: "id",
  "meta/instanceid": "id",
  instanceid: "id",
  survey_version: "survey_version",
  collected_at: "collected_at",
  end: "collected_at",
  submitted_at: "submitted_at",
  _submission_time: "submitted_at",
  community: "community",
  round: "round",
  session_id: "session_id",
  language: "language",
};
const TOOL_METADATA = new Set([
  "_index", "_id", "_parent_index", "_parent_table_name", "_validation_status", "_status", "_submitted_by", "__version__",
  "_version_", "_xform_id_string", "_attachments", "_notes", "_tags", "_geolocation", "_duration", "deviceid", "start",
  "today", "username", "simserial", "subscriberid", "phonenumber", "audit", "formhub/uuid", "meta/deprecatedid",
  "meta/rootuuid", "_media_all_received", "_total_media", "_media_count",
]);

/** Every way a column may name a question, from the exact id to a label in any language. */
function questionIndex(layout: Layout) {
  const byKey = new Map<string, { q: QuestionInfo; how: ColumnMatch["how"] }>();
  for (const q of layout.questions) byKey.set(q.id, { q, how: "id" });
  for (const q of layout.questions)
    for (const text of Object.values(q.label)) {
      const key = normalise(text);
      if (key && !byKey.has(key)) byKey.set(key, { q, how: "label" });
    }
  return byKey;
}

export function optionByText(q: QuestionInfo, text: string): string | undefined {
  const exact = q.options.find((o) => o.code === text);
  if (exact) return exact.code;
  const key = normalise(text);
  if (!key) return undefined;
  for (const o of q.options) {
    if (o.code.toLowerCase() === key) return o.code;
    if (Object.values(o.label).some((l) => normalise(l) === key)) return o.code;
  }
  return undefined;
}

/** The target one header names, or null. */
export function matchHeader(layout: Layout, rawHeader: string): Pick<ColumnMatch, "target" | "how"> {
  const header = rawHeader.replace(/^\uFEFF/, "").trim();
  const lower = header.toLowerCase();
  if (META_ALIASES[lower]) return { target: { kind: "meta", field: META_ALIASES[lower] }, how: "id" };
  const lastSegment = lower.split("/").pop() ?? lower;
  if (TOOL_METADATA.has(lower) || TOOL_METADATA.has(lastSegment) || lower.startsWith("_")) {
    if (META_ALIASES[lastSegment]) return { target: { kind: "meta", field: META_ALIASES[lastSegment] }, how: "path" };
    return { target: { kind: "ignore" }, how: "tool metadata" };
  }
  const index = questionIndex(layout);
  const byId = new Map(layout.questions.map((q) => [q.id, q]));

  // Our own columns and paths: q, q_code / q/code (multiple), q_3 (ranking), group/q.
  const segments = header.split("/").map((s) => s.trim());
  const tryIds = (parts: string[], how: ColumnMatch["how"]): Pick<ColumnMatch, "target" | "how"> | null => {
    const last = parts[parts.length - 1];
    const q = byId.get(last) ?? byId.get(last.toLowerCase());
    if (q) return { target: { kind: "answer", question: q.id }, how };
    if (parts.length >= 2) {
      const parent = byId.get(parts[parts.length - 2]);
      if (parent?.type === "multiple") {
        const code = optionByText(parent, last);
        if (code !== undefined) return { target: { kind: "option", question: parent.id, code }, how };
      }
    }
    for (const q of layout.questions) {
      if (!last.startsWith(`${q.id}_`)) continue;
      const rest = last.slice(q.id.length + 1);
      if (q.type === "multiple" && q.options.some((o) => o.code === rest)) return { target: { kind: "option", question: q.id, code: rest }, how };
      if (q.type === "ranking" && /^\d+$/.test(rest) && Number(rest) >= 1 && Number(rest) <= Math.max(q.positions, q.options.length))
        return { target: { kind: "position", question: q.id, position: Number(rest) }, how };
    }
    return null;
  };
  const byIdMatch = tryIds(segments, segments.length > 1 ? "path" : "id");
  if (byIdMatch) return byIdMatch;

  // Labels (any language), whole header or its last path segment; "Label/Option label" for 0/1 columns.
  const whole = index.get(normalise(header));
  if (whole) return { target: { kind: "answer", question: whole.q.id }, how: "label" };
  if (segments.length >= 2) {
    const last = index.get(normalise(segments[segments.length - 1]));
    if (last) return { target: { kind: "answer", question: last.q.id }, how: "path" };
    const parent = index.get(normalise(segments[segments.length - 2]));
    if (parent?.q.type === "multiple") {
      const code = optionByText(parent.q, segments[segments.length - 1]);
      if (code !== undefined) return { target: { kind: "option", question: parent.q.id, code }, how: "label" };
    }
  }
  return { target: null, how: "unmatched" };
}

/** Parses a hand-made mapping value: "", "ignore", "meta:community", "q:safe_after_dark", "opt:q:code", "pos:q:2". */
export function parseTarget(value: string): Target | null {
  if (value === "" ) return null;
  if (value === "ignore") return { kind: "ignore" };
  const [kind, a, b] = value.split(":");
  if (kind === "meta") return { kind: "meta", field: a as MetaField };
  if (kind === "q" && a) return { kind: "answer", question: a };
  if (kind === "opt" && a && b !== undefined) return { kind: "option", question: a, code: b };
  if (kind === "pos" && a && b) return { kind: "position", question: a, position: Number(b) };
  return null;
}

export function targetValue(t: Target | null): string {
  if (!t) return "";
  switch (t.kind) {
    case "ignore":
      return "ignore";
    case "meta":
      return `meta:${t.field}`;
    case "answer":
      return `q:${t.question}`;
    case "option":
      return `opt:${t.question}:${t.code}`;
    case "position":
      return `pos:${t.question}:${t.position}`;
  }
}

export function matchColumns(layout: Layout, headers: string[], manual: Record<number, string> = {}): ColumnMatch[] {
  const used = new Set<string>();
  return headers.map((header, index) => {
    if (manual[index] !== undefined && manual[index] !== "") {
      const target = parseTarget(manual[index]);
      return { index, header, target, how: target?.kind === "ignore" ? "ignored by hand" : "by hand" };
    }
    const m = matchHeader(layout, header);
    // The first column wins when two name the same thing (e.g. "end" and "collected_at").
    const key = targetValue(m.target);
    if (m.target && m.target.kind !== "ignore") {
      if (used.has(key)) return { index, header, target: { kind: "ignore" }, how: "tool metadata" };
      used.add(key);
    }
    return { index, header, ...m };
  });
}
