// Why a staff page was refused (403, 404, 400): each reason a code, its words in every staff
// language. Loaders throw the code (see ../../refusal.server.ts); the shared error page says it
// in the person's language, and the English text stays in the body for scripts and logs.
const en = {
  "refused.noProgramme": "There is no programme here, or you are not a member of it.",
  "refused.noSurvey": "There is no survey here, or you are not a member of its programme.",
  "refused.noResponse": "There is no such response in this survey.",
  "refused.noLink": "There is no such link for this survey.",
  "refused.noActiveLink": "There is no such active link on this survey.",
  "refused.noVersion": "No such version.",
  "refused.noAccount": "No such account.",
  "refused.noImport": "No such import of yours.",
  "refused.noTable": "No such table in this view.",
  "refused.noCommunities": "This programme has no communities yet.",
  "refused.noFeedback": "There is nothing to show here, or you are not a member of this programme.",
  "refused.noNamed": "There is no such community or round in this programme.",
  "refused.adminsOnly": "Only administrators can open this page.",
  "refused.adminsChange": "Only administrators can change this.",
  "refused.authorsOnly": "Only the programme's facilitators can change this survey.",
  "refused.authorsCreate": "Only the programme's facilitators can create surveys.",
  "refused.authorsRounds": "Only the programme's facilitators can change its rounds.",
  "refused.authorsCellSize": "Only the programme's facilitators and administrators can change the minimum cell size.",
  "refused.authorsSampling": "Only the programme's facilitators and administrators can change how its sample is described.",
  "refused.namesNotYours": "You cannot change these names.",
  "refused.unknownAction": "This page does not know that action. Reload it and try again.",
  "refused.staleForm": "This form has expired or did not come from this site. Reload the page and try again.",
  "refused.formType": "Send this form as application/x-www-form-urlencoded or multipart/form-data.",
  "refused.badForm": "This form could not be read (its body is malformed). Reload the page and try again.",
  "refused.draftIncomplete": "The draft is not complete enough to translate: fix it in the editor first.",
};
export type ErrorWords = typeof en;
/** English alone, for the error page before the root loader has run (tree-shaken from the others). */
export const errorsEn = en;
export type RefusalCode = keyof ErrorWords;

const fr: ErrorWords = {
  "refused.noProgramme": "Il n’y a pas de programme ici, ou vous n’en êtes pas membre.",
  "refused.noSurvey": "Il n’y a pas d’enquête ici, ou vous n’êtes pas membre de son programme.",
  "refused.noResponse": "Cette réponse n’existe pas dans cette enquête.",
  "refused.noLink": "Ce lien n’existe pas pour cette enquête.",
  "refused.noActiveLink": "Cette enquête n’a pas de lien actif de ce type.",
  "refused.noVersion": "Cette version n’existe pas.",
  "refused.noAccount": "Ce compte n’existe pas.",
  "refused.noImport": "Vous n’avez pas d’import de ce type.",
  "refused.noTable": "Ce tableau n’existe pas dans cette vue.",
  "refused.noCommunities": "Ce programme n’a pas encore de communautés.",
  "refused.noFeedback": "Il n’y a rien à afficher ici, ou vous n’êtes pas membre de ce programme.",
  "refused.noNamed": "Ce programme n’a pas de communauté ou de tour de ce type.",
  "refused.adminsOnly": "Seuls les administrateurs peuvent ouvrir cette page.",
  "refused.adminsChange": "Seuls les administrateurs peuvent modifier ceci.",
  "refused.authorsOnly": "Seuls les animateurs du programme peuvent modifier cette enquête.",
  "refused.authorsCreate": "Seuls les animateurs du programme peuvent créer des enquêtes.",
  "refused.authorsRounds": "Seuls les animateurs du programme peuvent modifier ses tours.",
  "refused.authorsCellSize": "Seuls les animateurs du programme et les administrateurs peuvent modifier la taille minimale des cellules.",
  "refused.authorsSampling": "Seuls les animateurs du programme et les administrateurs peuvent modifier la description de son échantillon.",
  "refused.namesNotYours": "Vous ne pouvez pas modifier ces noms.",
  "refused.unknownAction": "Cette page ne connaît pas cette action. Rechargez-la et réessayez.",
  "refused.staleForm": "Ce formulaire a expiré ou ne vient pas de ce site. Rechargez la page et réessayez.",
  "refused.formType": "Envoyez ce formulaire en application/x-www-form-urlencoded ou multipart/form-data.",
  "refused.badForm": "Ce formulaire n’a pas pu être lu (son contenu est mal formé). Rechargez la page et réessayez.",
  "refused.draftIncomplete": "Le brouillon n’est pas assez complet pour être traduit : corrigez-le d’abord dans l’éditeur.",
};
const ar: ErrorWords = {
  "refused.noProgramme": "لا يوجد برنامج هنا، أو أنك لست عضوًا فيه.",
  "refused.noSurvey": "لا يوجد استبيان هنا، أو أنك لست عضوًا في برنامجه.",
  "refused.noResponse": "لا توجد هذه الإجابة في هذا الاستبيان.",
  "refused.noLink": "لا يوجد هذا الرابط لهذا الاستبيان.",
  "refused.noActiveLink": "لا يوجد رابط نشط كهذا في هذا الاستبيان.",
  "refused.noVersion": "لا توجد هذه النسخة.",
  "refused.noAccount": "لا يوجد هذا الحساب.",
  "refused.noImport": "لا توجد لديك عملية استيراد كهذه.",
  "refused.noTable": "لا يوجد هذا الجدول في هذا العرض.",
  "refused.noCommunities": "لا توجد في هذا البرنامج مجتمعات بعد.",
  "refused.noFeedback": "لا يوجد ما يُعرض هنا، أو أنك لست عضوًا في هذا البرنامج.",
  "refused.noNamed": "لا يوجد مجتمع أو جولة كهذه في هذا البرنامج.",
  "refused.adminsOnly": "لا يفتح هذه الصفحة إلا المسؤولون.",
  "refused.adminsChange": "لا يغيّر هذا إلا المسؤولون.",
  "refused.authorsOnly": "لا يغيّر هذا الاستبيان إلا ميسّرو البرنامج.",
  "refused.authorsCreate": "لا ينشئ الاستبيانات إلا ميسّرو البرنامج.",
  "refused.authorsRounds": "لا يغيّر جولات البرنامج إلا ميسّروه.",
  "refused.authorsCellSize": "لا يغيّر الحد الأدنى لحجم الخلية إلا ميسّرو البرنامج والمسؤولون.",
  "refused.authorsSampling": "لا يغيّر وصف عيّنة البرنامج إلا ميسّروه والمسؤولون.",
  "refused.namesNotYours": "لا يمكنك تغيير هذه الأسماء.",
  "refused.unknownAction": "لا تعرف هذه الصفحة هذا الإجراء. أعد تحميلها وحاول مرة أخرى.",
  "refused.staleForm": "انتهت صلاحية هذا النموذج أو أنه لم يأتِ من هذا الموقع. أعد تحميل الصفحة وحاول مرة أخرى.",
  "refused.formType": "أرسل هذا النموذج بصيغة application/x-www-form-urlencoded أو multipart/form-data.",
  "refused.badForm": "تعذّرت قراءة هذا النموذج (محتواه غير سليم). أعد تحميل الصفحة وحاول مرة أخرى.",
  "refused.draftIncomplete": "المسودة غير مكتملة بما يكفي لترجمتها: أصلحها في المحرّر أولًا.",
};

/** Split by language so a page can take English alone (see common.ts). */
export { fr as errorsFr, ar as errorsAr };
export const errors: { en: ErrorWords; fr: ErrorWords; ar: ErrorWords } = { en, fr, ar };
