// The staff pages' frame: the header, the main navigation and the error page (with the refusals
// loaders throw, ./errors.ts).
import { errorsAr, errorsEn, errorsFr } from "./errors";
/** English, also the frame's words before the root loader has run (the error page). */
export const commonEn = {
  brand: "Safety perception surveys",
  navLabel: "Main",
  programmes: "Programmes",
  administration: "Administration",
  signOut: "Sign out",
  errorTitle: "Something went wrong",
  errorMessage: "The page could not be shown. Try again in a moment.",
  notFound: "Not found",
  notAllowed: "Not allowed",
  errorStatus: "Error {status}",
  nothingHere: "There is nothing at this address.",
  backHome: "Back to your programmes",
};

type CommonWords = typeof commonEn & typeof errorsEn;

export const common: { en: CommonWords; fr: CommonWords; ar: CommonWords } = {
  en: { ...commonEn, ...errorsEn },
  fr: {
    ...errorsFr,
    brand: "Enquêtes sur le sentiment de sécurité",
    navLabel: "Navigation principale",
    programmes: "Programmes",
    administration: "Administration",
    signOut: "Se déconnecter",
    errorTitle: "Une erreur s’est produite",
    errorMessage: "La page n’a pas pu être affichée. Réessayez dans un instant.",
    notFound: "Page introuvable",
    notAllowed: "Accès refusé",
    errorStatus: "Erreur {status}",
    nothingHere: "Il n’y a rien à cette adresse.",
    backHome: "Retour à vos programmes",
  },
  ar: {
    ...errorsAr,
    brand: "استبيانات الشعور بالأمان",
    navLabel: "التنقل الرئيسي",
    programmes: "البرامج",
    administration: "الإدارة",
    signOut: "تسجيل الخروج",
    errorTitle: "حدث خطأ ما",
    errorMessage: "تعذّر عرض الصفحة. حاول مرة أخرى بعد قليل.",
    notFound: "الصفحة غير موجودة",
    notAllowed: "غير مسموح",
    errorStatus: "خطأ {status}",
    nothingHere: "لا يوجد شيء في هذا العنوان.",
    backHome: "العودة إلى برامجك",
  },
};
