// The staff words on the community feedback page (its results are in the community's language,
// ../feedback.ts).
const en = {
  pageTitle: "Community feedback · {name}",
  programmes: "Programmes",
  dashboard: "Dashboard",
  community: "Community",
  language: "Language",
  show: "Show",
};
export type FeedbackPageWords = typeof en;

export const feedbackPage: { en: FeedbackPageWords; fr: FeedbackPageWords; ar: FeedbackPageWords } = {
  en,
  fr: {
    pageTitle: "Retour aux communautés · {name}",
    programmes: "Programmes",
    dashboard: "Tableau de bord",
    community: "Communauté",
    language: "Langue",
    show: "Afficher",
  },
  ar: {
    pageTitle: "الإفادة للمجتمعات · {name}",
    programmes: "البرامج",
    dashboard: "لوحة المؤشرات",
    community: "المجتمع",
    language: "اللغة",
    show: "عرض",
  },
};
