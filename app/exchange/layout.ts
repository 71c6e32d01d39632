// The export's column layout over every published version of a survey: fixed columns first, then
// one column per question id (multiple choice: one 0/1 column `q/code` per option; ranking: one
// `q_1` per position). The names come from the survey core (survey/columns.ts), whose definition
// check keeps them unique.
import { FIXED_COLUMNS, answerColumns, rankingPositions, type AnswerValue, type LocalizedText, type QuestionType, type SurveyDefinition } from "~/survey";

export { FIXED_COLUMNS };

export interface QuestionInfo {
  id: string;
  type: QuestionType;
  /** Label per language, taken from the newest version that has the question. */
  label: LocalizedText;
  options: { code: string; label: LocalizedText }[];
  versions: number[];
  /** Ranking: positions offered (the most any version allows). */
  positions: number;
  columns: string[];
}

export interface Layout {
  languages: string[];
  questions: QuestionInfo[];
  columns: string[];
}

/** Builds the layout from versions given oldest to newest. Info screens take no answer: no column. */
export function buildLayout(versions: { version: number; definition: SurveyDefinition }[]): Layout {
  const byId = new Map<string, QuestionInfo>();
  const order: string[] = [];
  const languages: string[] = [];
  const newestFirst = [...versions].sort((a, b) => b.version - a.version);
  for (const { version, definition } of newestFirst) {
    for (const l of definition.languages) if (!languages.includes(l.code)) languages.push(l.code);
    for (const q of definition.questions) {
      if (q.type === "info") continue;
      let info = byId.get(q.id);
      if (!info) {
        info = { id: q.id, type: q.type, label: { ...q.label }, options: [], versions: [], positions: 0, columns: [] };
        byId.set(q.id, info);
        order.push(q.id);
      }
      info.versions.push(version);
      for (const [lang, text] of Object.entries(q.label)) if (!info.label[lang]) info.label[lang] = text;
      for (const o of q.options ?? []) {
        const known = info.options.find((x) => x.code === o.code);
        if (!known) info.options.push({ code: o.code, label: { ...o.label } });
        else for (const [lang, text] of Object.entries(o.label)) if (!known.label[lang]) known.label[lang] = text;
      }
      if (q.type === "ranking") info.positions = Math.max(info.positions, rankingPositions(q));
    }
  }
  // Newest version's question order, older-only questions after it in the order they were met.
  const questions = order.map((id) => byId.get(id)!);
  // Each version's check keeps its names unique (survey/columns.ts); across versions a question id of
  // one may equal a ranking position column of another: the later one gets a marked name, so the
  // export never has two columns of one name (the import refuses such a file).
  const taken = new Set<string>(FIXED_COLUMNS);
  for (const q of questions) {
    q.versions.sort((a, b) => a - b);
    q.columns = columnsOf(q).map((c) => {
      let name = c;
      for (let k = 2; taken.has(name); k++) name = `${c}~${k}`;
      taken.add(name);
      return name;
    });
  }
  return { languages, questions, columns: [...FIXED_COLUMNS, ...questions.flatMap((q) => q.columns)] };
}

const columnsOf = (q: QuestionInfo): string[] => answerColumns(q, q.positions);

/** Option code → label in one language, per question, computed once per export. */
export function labelMaps(layout: Layout, language: string): Map<string, Map<string, string>> {
  return new Map(layout.questions.map((q) => [q.id, new Map(q.options.map((o) => [o.code, o.label[language] ?? o.code]))]));
}

/** One response's answer cells, in layout order, appended to `out`. `labels` turns codes into labels. */
export function answerCells(
  layout: Layout,
  answers: Record<string, AnswerValue>,
  labels?: Map<string, Map<string, string>>,
  out: (string | number)[] = [],
): (string | number)[] {
  for (const q of layout.questions) {
    const value = Object.prototype.hasOwnProperty.call(answers, q.id) ? answers[q.id] : undefined;
    const names = labels?.get(q.id);
    if (q.type === "multiple") {
      const picked = Array.isArray(value) ? value : null;
      for (const o of q.options) out.push(picked === null ? "" : picked.includes(o.code) ? 1 : 0);
    } else if (q.type === "ranking") {
      const picked = Array.isArray(value) ? value : [];
      for (let i = 0; i < q.positions; i++) {
        const code = picked[i];
        out.push(code === undefined ? "" : (names?.get(code) ?? code));
      }
    } else if (value === undefined || value === null) out.push("");
    else if (typeof value === "number") out.push(value);
    else if (Array.isArray(value)) out.push(value.join(" "));
    else out.push(names && (q.type === "single" || q.type === "scale") ? (names.get(value) ?? value) : value);
  }
  return out;
}
