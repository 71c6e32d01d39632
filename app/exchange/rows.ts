// One uploaded row → one response as the sync API receives it, plus the row's own problems (bad
// date, unknown community). Answer validity is not judged here: the survey core does that.
import type { AnswerValue, Answers } from "~/survey";
import type { Layout, QuestionInfo } from "./layout";
import { optionByText, questionsByIdOf, type ColumnMatch } from "./match";
import { isCanonicalInstant } from "~db/portable";
import { derivedUuid, idInSurvey } from "~/models/response-checks";

export interface RowProblem {
  row: number;
  column: string;
  reason: string;
  message: string;
}

export interface RowContext {
  layout: Layout;
  columns: ColumnMatch[];
  surveyId: string;
  defaultVersion: number;
  defaultLanguage: string;
  languages: { code: string; name: string }[];
  communities: { id: string; name: string }[];
  rounds: { id: string; name: string }[];
  /** When the file has no date column: the date the person gave for every row. */
  collectedOn: string | null;
  /**
   * Rows of this file without an id, by content: the second identical row (two identical paper
   * forms) is a second response, and the same rows in any file get the same ids.
   */
  contentSeen?: Map<string, number>;
}

export interface ConvertedRow {
  response: {
    id: string;
    surveyVersion: number;
    collectedAt: string;
    language: string;
    sessionId: string | null;
    answers: Answers;
  };
  communityId: string | null;
  roundId: string | null;
  /** Column header for each answered question (or the first of its columns), for error reports. */
  columnOf: Map<string, string>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const TRUE_CELLS = new Set(["1", "true", "yes", "x", "y", "oui", "vrai"]);
/** How tools write "not answered": KoBoCAT `n/a`, R `NA`, Excel `#N/A`, a blank. */
const EMPTY_CELLS = new Set(["", "n/a", "N/A", "NA", "#N/A"]);
export const isEmptyCell = (cell: string) => EMPTY_CELLS.has(cell.trim());
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/**
 * The submission's id as the tools write it: Kobo's `_uuid` (bare) and `meta/instanceID`
 * (`uuid:…`), ODK's `meta-instanceID` and `KEY` name the same submission, so the prefix goes.
 */
export function submissionId(text: string): string {
  return text.trim().replace(/^uuid:/i, "");
}
const FALSE_CELLS = new Set(["0", "false", "no", "n", "non", "faux"]);

/** Dates as people and tools write them: ISO 8601, "2026-11-20 10:15", "20/11/2026", Excel-style. */
export function parseDate(text: string): string | null {
  const t = text.trim();
  if (!t) return null;
  // Our own exports and most tools write this exact form: already what we store when it is a real date.
  if (CANONICAL.test(t)) {
    if (isCanonicalInstant(t)) return t; // a day every month has: no Date needed
    const d = new Date(t);
    if (!Number.isNaN(d.getTime()) && d.toISOString() === t) return t;
  }
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (m) return validIso(`${m[1]}-${m[2]}-${m[3]}T00:00:00.000Z`);
  m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(t);
  if (m) {
    const zone = m[8] ? (m[8] === "Z" ? "Z" : m[8].replace(/^([+-]\d{2})(\d{2})$/, "$1:$2")) : "Z";
    return validIso(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? "00"}${m[7] ?? ""}${zone}`);
  }
  // ODK Briefcase: "Nov 21, 2026 10:00:00 AM".
  m = /^([A-Za-z]{3})[a-z]* (\d{1,2}), (\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))? ?([AaPp][Mm])?)?$/.exec(t);
  if (m && MONTHS.includes(m[1].toLowerCase())) {
    const pad = (s: string | number) => String(s).padStart(2, "0");
    let hour = Number(m[4] ?? 0);
    if (m[7]) hour = (hour % 12) + (m[7].toLowerCase() === "pm" ? 12 : 0);
    return validIso(`${m[3]}-${pad(MONTHS.indexOf(m[1].toLowerCase()) + 1)}-${pad(m[2])}T${pad(hour)}:${m[5] ?? "00"}:${m[6] ?? "00"}.000Z`);
  }
  m = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:[ T](\d{1,2}):(\d{2}))?$/.exec(t);
  if (m) {
    const pad = (s: string) => s.padStart(2, "0");
    return validIso(`${m[3]}-${pad(m[2])}-${pad(m[1])}T${pad(m[4] ?? "0")}:${m[5] ?? "00"}:00.000Z`);
  }
  return null;
}
function validIso(s: string): string | null {
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return null;
  // Reject rollovers such as 31/02 that Date would quietly move to March.
  const day = s.slice(0, 10);
  if (!/[+-]\d{2}:\d{2}$/.test(s) && d.toISOString().slice(0, 10) !== day) return null;
  return d.toISOString();
}

function byName<T extends { id: string; name: string }>(list: T[], text: string): T | undefined {
  const key = text.trim().toLowerCase();
  return list.find((x) => x.id === text.trim() || x.name.trim().toLowerCase() === key);
}

/**
 * A choice cell that may hold a code, a label, or (multiple, ranking) several space-separated codes
 * or labels — Kobo's label exports join labels with spaces, and a label may have spaces of its own
 * ("A community leader"), so the longest run of words that names an option is taken each time.
 */
function codesOf(q: QuestionInfo, cell: string): string[] {
  const whole = optionByText(q, cell);
  if (whole !== undefined) return [whole];
  const words = cell.split(/[\s,;]+/).filter(Boolean);
  // The common case, codes as Kobo and ODK write them: no search.
  if (words.every((w) => q.options.some((o) => o.code === w))) return words;
  const codes: string[] = [];
  for (let i = 0; i < words.length; ) {
    let taken = 0;
    for (let j = words.length; j > i; j--) {
      const code = optionByText(q, words.slice(i, j).join(" "));
      if (code !== undefined) {
        codes.push(code);
        taken = j - i;
        break;
      }
    }
    if (taken === 0) {
      codes.push(words[i]); // not an option: the survey core reports it
      taken = 1;
    }
    i += taken;
  }
  return codes;
}

function numberOf(cell: string): number | string {
  const t = cell.trim().replace(/^(-?\d+),(\d+)$/, "$1.$2");
  const n = Number(t);
  return t !== "" && Number.isFinite(n) ? n : cell;
}


export function convertRow(ctx: RowContext, cells: string[], rowNumber: number): { row?: ConvertedRow; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const problem = (column: string, reason: string, message: string) => problems.push({ row: rowNumber, column, reason, message });
  const answers: Answers = {};
  const columnOf = new Map<string, string>();
  const multi = new Map<string, string[]>();
  const ranks = new Map<string, string[]>();
  const meta: Partial<Record<string, { value: string; header: string }>> = {};
  const byId = questionsByIdOf(ctx.layout);

  for (const col of ctx.columns) {
    const raw = cells[col.index] ?? "";
    const cell = isEmptyCell(raw) ? "" : raw;
    const t = col.target;
    if (!t || t.kind === "ignore") continue;
    if (t.kind === "meta") {
      if (cell) meta[t.field] = { value: cell.trim(), header: col.header };
      continue;
    }
    const q = byId.get(t.question);
    if (!q) continue;
    if (!columnOf.has(q.id)) columnOf.set(q.id, col.header);
    if (t.kind === "option") {
      if (!cell) continue;
      const flag = cell.trim().toLowerCase();
      const list = multi.get(q.id) ?? [];
      multi.set(q.id, list);
      if (TRUE_CELLS.has(flag)) list.push(t.code);
      else if (!FALSE_CELLS.has(flag)) problem(col.header, "wrong type", `Expected 1 or 0 (picked or not), found "${cell.trim()}".`);
      continue;
    }
    if (t.kind === "position") {
      if (!cell) continue;
      const list = ranks.get(q.id) ?? [];
      list[t.position - 1] = optionByText(q, cell.trim()) ?? cell.trim();
      ranks.set(q.id, list);
      continue;
    }
    if (!cell) continue;
    columnOf.set(q.id, col.header);
    answers[q.id] = cellValue(q, cell);
  }
  for (const [id, codes] of multi) if (codes.length || answers[id] === undefined) answers[id] = codes;
  for (const [id, list] of ranks) answers[id] = list.filter((x) => x !== undefined);
  // An all-zero multiple-choice group means "none picked": not an answer.
  for (const [id, value] of Object.entries(answers)) if (Array.isArray(value) && value.length === 0) delete answers[id];

  // The row's own date, as near to the interview as the file has it: its end, its start, its day,
  // and only then when the server received it.
  const dateCell = meta.collected_at ?? meta.started_at ?? meta.collected_on ?? meta.submitted_at;
  let collectedAt: string | null = null;
  if (dateCell) {
    collectedAt = parseDate(dateCell.value);
    if (!collectedAt) problem(dateCell.header, "bad date", `"${dateCell.value}" is not a date; use 2026-11-20 or 2026-11-20T10:15:00Z.`);
  } else if (ctx.collectedOn) collectedAt = parseDate(ctx.collectedOn);
  else problem("collected_at", "bad date", "The row has no date: add a collected_at column or give a collection date for the whole file.");

  let surveyVersion = ctx.defaultVersion;
  if (meta.survey_version) {
    const v = Number(meta.survey_version.value);
    if (Number.isInteger(v) && v > 0) surveyVersion = v;
    else problem(meta.survey_version.header, "wrong type", `"${meta.survey_version.value}" is not a survey version number.`);
  }

  let language = ctx.defaultLanguage;
  if (meta.language) {
    const l = meta.language.value;
    const found = ctx.languages.find((x) => x.code.toLowerCase() === l.toLowerCase() || x.name.toLowerCase() === l.toLowerCase());
    if (found) language = found.code;
    else problem(meta.language.header, "unknown language", `The survey has no language "${l}".`);
  }

  let communityId: string | null = null;
  if (meta.community) {
    const c = byName(ctx.communities, meta.community.value);
    if (c) communityId = c.id;
    else problem(meta.community.header, "unknown community", `The programme has no community "${meta.community.value}".`);
  }
  let roundId: string | null = null;
  if (meta.round) {
    const r = byName(ctx.rounds, meta.round.value);
    if (r) roundId = r.id;
    else problem(meta.round.header, "unknown round", `The programme has no round "${meta.round.value}".`);
  }

  if (problems.length || !collectedAt) return { problems };
  const sessionId = meta.session_id?.value ?? null;
  const given = meta.id ? submissionId(meta.id.value) : "";
  const id = given
    ? UUID.test(given)
      ? given.toLowerCase()
      : idInSurvey(ctx.surveyId, given)
    : contentId(ctx, { surveyVersion, collectedAt, language, sessionId, communityId, roundId, answers });
  return {
    problems,
    row: {
      response: { id, surveyVersion, collectedAt, language, sessionId, answers },
      communityId,
      roundId,
      columnOf,
    },
  };
}

/**
 * The id of a row that carries none: derived from the survey and what the row says (never from
 * the file's name or the row's place), so the same rows under another name, or in another order,
 * are the same responses; the n-th identical row of one file is the n-th identical response.
 */
function contentId(ctx: RowContext, content: { surveyVersion: number; collectedAt: string; language: string; sessionId: string | null; communityId: string | null; roundId: string | null; answers: Answers }): string {
  const answers = Object.keys(content.answers)
    .sort()
    .map((k) => [k, content.answers[k]]);
  // The content's digest, not the content, is what the file's count keeps: 200,000 rows cost ~20 MB.
  const digest = derivedUuid(`import-row\n${JSON.stringify([ctx.surveyId, content.surveyVersion, content.collectedAt, content.language, content.sessionId, content.communityId, content.roundId, answers])}`);
  const seen = ctx.contentSeen;
  const n = (seen?.get(digest) ?? 0) + 1;
  seen?.set(digest, n);
  return n === 1 ? digest : derivedUuid(`${digest}\n${n}`);
}

function cellValue(q: QuestionInfo, cell: string): AnswerValue {
  switch (q.type) {
    case "single":
    case "scale":
      return optionByText(q, cell.trim()) ?? cell.trim();
    case "multiple":
    case "ranking":
      return codesOf(q, cell.trim());
    case "number":
      return numberOf(cell);
    default:
      return cell;
  }
}
