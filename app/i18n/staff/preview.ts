// The staff bar above a survey's preview (the survey itself speaks the respondent's language).
const en = {
  pageTitle: "Preview: {title}",
  back: "← Back to the survey",
  ofVersion: "Preview of version {n}: nothing is saved.",
  ofDraft: "Preview of the current draft: nothing is saved.",
  language: "Language",
  respondentChooses: "Respondent chooses",
  incomplete: "This draft is incomplete: fix it in the editor to preview it.",
};
export type PreviewWords = typeof en;

export const preview: { en: PreviewWords; fr: PreviewWords; ar: PreviewWords } = {
  en,
  fr: {
    pageTitle: "Aperçu : {title}",
    back: "← Retour à l’enquête",
    ofVersion: "Aperçu de la version {n} : rien n’est enregistré.",
    ofDraft: "Aperçu du brouillon en cours : rien n’est enregistré.",
    language: "Langue",
    respondentChooses: "Au choix du répondant",
    incomplete: "Ce brouillon est incomplet : corrigez-le dans l’éditeur pour l’afficher en aperçu.",
  },
  ar: {
    pageTitle: "معاينة: {title}",
    back: "→ العودة إلى الاستبيان",
    ofVersion: "معاينة النسخة {n}: لا يُحفظ شيء.",
    ofDraft: "معاينة المسودة الحالية: لا يُحفظ شيء.",
    language: "اللغة",
    respondentChooses: "يختار المجيب",
    incomplete: "هذه المسودة غير مكتملة: أصلحها في المحرّر لمعاينتها.",
  },
};
