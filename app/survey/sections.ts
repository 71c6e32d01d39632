// Sections as the respondent meets them: which screen (page) each question is on. A field-list
// section's consecutive questions share one screen; every other question has its own.
import type { Question, Section, SurveyDefinition } from "./definition";

export function sectionOf(def: SurveyDefinition, q: Question): Section | undefined {
  return q.section === undefined ? undefined : def.sections?.find((s) => s.id === q.section);
}

/** The survey's screens in order, as lists of question ids (hidden questions included). */
export function pages(def: SurveyDefinition): string[][] {
  const fieldList = new Set((def.sections ?? []).filter((s) => s.fieldList).map((s) => s.id));
  const out: string[][] = [];
  let previous: Question | undefined;
  for (const q of def.questions) {
    const together = previous !== undefined && q.section !== undefined && q.section === previous.section && fieldList.has(q.section);
    if (together) out[out.length - 1].push(q.id);
    else out.push([q.id]);
    previous = q;
  }
  return out;
}

/** The screen a question is on (its own, alone, when it is not in a field-list section). */
export function pageOf(def: SurveyDefinition, questionId: string): string[] {
  return pages(def).find((p) => p.includes(questionId)) ?? [questionId];
}
