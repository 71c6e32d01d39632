// Matches an uploaded file's column headers to a survey: by question id, by label in any of the
// survey's languages, or in other tools' styles — KoboToolbox and KoBoCAT (`group/q`, `group.q`,
// `_uuid`, `_submission_time`…), ODK Central and Briefcase (`g1-q`, `g1-q/option`, `SubmissionDate`,
// `meta-instanceID`, `KEY`…), R or pandas (`X_uuid`, `group.q`). What is not matched is left for the
// person to map or ignore.
import { FIXED_COLUMNS, type Layout, type QuestionInfo } from "./layout";

/** Where a column's cells go. */
export type Target =
  | { kind: "meta"; field: MetaField }
  | { kind: "answer"; question: string }
  /** One 0/1 column of a multiple-choice question. */
  | { kind: "option"; question: string; code: string }
  /** One position (1-based) of a ranking. */
  | { kind: "position"; question: string; position: number }
  | { kind: "ignore" };

export type MetaField =
  | "id"
  | "survey_version"
  | "collected_at"
  /** When the interview began (Kobo/ODK `start`): the row's date when it has no end. */
  | "started_at"
  /** The day only (Kobo/ODK `today`). */
  | "collected_on"
  | "submitted_at"
  | "community"
  | "round"
  | "session_id"
  | "language";

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

// Other tools' columns, by their canonical name (see `canonical`): those that carry one of our
// fields, and those that are the tool's own bookkeeping (listed in the report as metadata).
const META_ALIASES: Record<string, MetaField> = {
  response_id: "id",
  // KoboToolbox, KoBoCAT, ODK Central and Briefcase name the submission's one id in these ways.
  _uuid: "id",
  "meta/instanceid": "id",
  instanceid: "id",
  key: "id",
  survey_version: "survey_version",
  collected_at: "collected_at",
  end: "collected_at",
  start: "started_at",
  today: "collected_on",
  submitted_at: "submitted_at",
  _submission_time: "submitted_at",
  submissiondate: "submitted_at",
  community: "community",
  round: "round",
  session_id: "session_id",
  language: "language",
};
const TOOL_METADATA = new Set([
  // Our own exports' session facts (device, facilitator): they come from the session, not the row.
  "device", "facilitator",
  // KoboToolbox / KoBoCAT
  "_index", "_id", "_parent_index", "_parent_table_name", "_validation_status", "_status", "_submitted_by", "__version__",
  "_version_", "_xform_id_string", "_attachments", "_notes", "_tags", "_geolocation", "_duration", "deviceid",
  "username", "simserial", "subscriberid", "phonenumber", "audit", "formhub/uuid", "meta/deprecatedid",
  "meta/rootuuid", "meta/instancename", "instancename", "_media_all_received", "_total_media", "_media_count",
  // ODK Central submissions.csv and ODK Briefcase
  "submitterid", "submittername", "attachmentspresent", "attachmentsexpected", "status", "reviewstate", "edits",
  "formversion", "parent_key", "meta/audit", "meta/entity",
]);

/**
 * A header as other tools' metadata is looked up: lowercase, `/` for every group separator (ODK
 * Central's `-`, R's `.`), and R's `X_` prefix (R turns `_uuid` into `X_uuid`) taken off.
 */
function canonical(header: string): string {
  let h = header.toLowerCase().replace(/[.\-:]/g, "/");
  if (/^x_/.test(h)) h = h.slice(1);
  return h;
}

/** What a header says about our fields or the tool's bookkeeping, or null when it is not metadata. */
function metadataOf(header: string): Pick<ColumnMatch, "target" | "how"> | null {
  const key = canonical(header);
  if (META_ALIASES[key]) return { target: { kind: "meta", field: META_ALIASES[key] }, how: "tool metadata" };
  if (TOOL_METADATA.has(key) || key.startsWith("_") || key.startsWith("meta/")) return { target: { kind: "ignore" }, how: "tool metadata" };
  return null;
}

/** Metadata under a group path (KoBoCAT nests `meta/instanceID`; some exports prefix the form's name). */
function nestedMetadataOf(header: string): Pick<ColumnMatch, "target" | "how"> | null {
  const parts = canonical(header).split("/");
  if (parts.length < 2) return null;
  const last = parts[parts.length - 1];
  const lastTwo = parts.slice(-2).join("/");
  if (META_ALIASES[lastTwo] === "id" || last === "instanceid") return { target: { kind: "meta", field: "id" }, how: "tool metadata" };
  if (TOOL_METADATA.has(lastTwo) || parts.includes("meta")) return { target: { kind: "ignore" }, how: "tool metadata" };
  return null;
}

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

/** Group separators of the tools: `/` (Kobo, XML), `-` (ODK Central), `.` (Kobo on request, R). */
const SEPARATOR = /[/.\-:]/;

/** The target one header names, or null. */
export function matchHeader(layout: Layout, rawHeader: string): Pick<ColumnMatch, "target" | "how"> {
  const header = rawHeader.replace(/^\uFEFF/, "").trim();
  // R's write.csv and pandas' to_csv put the row names under an empty header.
  if (header === "") return { target: { kind: "ignore" }, how: "tool metadata" };
  const byId = questionsByIdOf(layout);
  // Our own fixed columns and an exact question id come first: a question may be called "status".
  const own = META_ALIASES[header];
  if (own && (FIXED_COLUMNS as readonly string[]).includes(header)) return { target: { kind: "meta", field: own }, how: "id" };
  const exact = byId.get(header);
  if (exact) return { target: { kind: "answer", question: exact.id }, how: "id" };
  const meta = metadataOf(header);
  if (meta) return meta;

  const byIds = byIdPath(layout, byId, header);
  if (byIds) return byIds;
  const nested = nestedMetadataOf(header);
  if (nested) return nested;

  // Labels (any language), whole header or its last path segment; "Label/Option label" for 0/1 columns.
  const index = questionIndex(layout);
  const segments = header.split("/").map((s) => s.trim());
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

/**
 * A header made of ids: `q`, `group/q`, `g1-q`, `g1.q` (an answer), `q/code`, `g1-q/code`,
 * `g1.q.code` (a 0/1 option column), `q_code` (our exports before option columns took `/`),
 * `q_3` (a ranking position). Option codes may hold `-`, so every split point is tried.
 */
function byIdPath(layout: Layout, byId: Map<string, QuestionInfo>, header: string): Pick<ColumnMatch, "target" | "how"> | null {
  const how: ColumnMatch["how"] = SEPARATOR.test(header) ? "path" : "id";
  // The question a path ends in. Ids may hold "." and "-" themselves (`group/hh.sex`, R's
  // `group.hh.sex`), so every tail after a separator is tried, the longest first.
  const lastId = (path: string) => {
    for (let i = -1; i < path.length; i++) {
      if (i >= 0 && !SEPARATOR.test(path[i])) continue;
      const id = path.slice(i + 1);
      const q = byId.get(id) ?? byId.get(id.toLowerCase());
      if (q) return q;
    }
    return undefined;
  };
  const q = lastId(header);
  if (q) return { target: { kind: "answer", question: q.id }, how };
  for (let i = header.length - 1; i > 0; i--) {
    if (!SEPARATOR.test(header[i])) continue;
    const parent = lastId(header.slice(0, i));
    if (parent?.type !== "multiple") continue;
    const code = optionByText(parent, header.slice(i + 1));
    if (code !== undefined) return { target: { kind: "option", question: parent.id, code }, how };
  }
  const parts = header.split(SEPARATOR);
  const last = parts[parts.length - 1];
  for (const q of layout.questions) {
    if (!last.startsWith(`${q.id}_`)) continue;
    const rest = last.slice(q.id.length + 1);
    if (q.type === "multiple" && q.options.some((o) => o.code === rest)) return { target: { kind: "option", question: q.id, code: rest }, how };
    if (q.type === "ranking" && /^\d+$/.test(rest) && Number(rest) >= 1 && Number(rest) <= Math.max(q.positions, q.options.length))
      return { target: { kind: "position", question: q.id, position: Number(rest) }, how };
  }
  return null;
}

const questionMaps = new WeakMap<Layout, Map<string, QuestionInfo>>();
/** The layout's questions by id, made once per layout. */
export function questionsByIdOf(layout: Layout): Map<string, QuestionInfo> {
  let map = questionMaps.get(layout);
  if (!map) questionMaps.set(layout, (map = new Map(layout.questions.map((q) => [q.id, q]))));
  return map;
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
