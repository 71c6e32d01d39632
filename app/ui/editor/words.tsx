// The editor's words: the edit route's loader sends the `editor` and `surveyErrors` catalogs in
// the staff language; SurveyEditor provides them and every editor component reads them here.
import { createContext, useContext, type ReactNode } from "react";
import type { Translate } from "~/i18n/core";
import { useWords } from "~/i18n/staff";
import type { EditorWords, SurveyErrorWords } from "~/i18n/staff/editor";

interface EditorLanguage {
  t: Translate<EditorWords>;
  e: Translate<SurveyErrorWords>;
}

const keys = (key: string) => key;
const EditorWordsContext = createContext<EditorLanguage>({ t: keys, e: keys });

export function EditorWordsProvider(props: { words: EditorWords; errorWords: SurveyErrorWords; children: ReactNode }) {
  const t = useWords(props.words);
  const e = useWords(props.errorWords);
  return <EditorWordsContext.Provider value={{ t, e }}>{props.children}</EditorWordsContext.Provider>;
}

/** The editor's translate function (`t`) and the survey core's error messages (`e`, by code). */
export const useEditorWords = () => useContext(EditorWordsContext);
