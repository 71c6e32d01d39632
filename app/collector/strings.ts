// The few respondent-facing words the collector adds around the respondent flow (the idle warning,
// the phone status line, the PIN dialog and its lock, which open over a respondent's screen), per
// language with English as the fallback. The facilitator panel and the arming screen are English.
const en = {
  stillThere: "Are you still answering?",
  clearing: "If nobody continues, these answers will be cleared in a few seconds.",
  keepGoing: "Yes, continue",
  waiting: "Kept on this device until it can be sent: {n}",
  allSent: "All answers sent.",
  pinTitle: "Facilitator PIN",
  pinOnly: "Only the facilitator can leave the survey screen.",
  pinWrong: "That PIN is not right. Tries left before the tablet locks: {n}",
  pinWrongLocked: "That PIN is not right.",
  pinLocked: "Too many wrong PINs. The tablet is locked: try again in {time}.",
  pinChecking: "Checking…",
  pinOpen: "Open the panel",
  backToSurvey: "Back to the survey",
  notArmed: "The facilitator panel stays closed on this tablet until a facilitator arms it: they sign in once, online.",
  armIt: "Arm this tablet",
};
type Words = typeof en;
const words: Record<string, Partial<Words>> = {
  en,
  fr: {
    stillThere: "Êtes-vous toujours là ?",
    clearing: "Si personne ne continue, ces réponses seront effacées dans quelques secondes.",
    keepGoing: "Oui, continuer",
    waiting: "Gardées sur cet appareil jusqu’à l’envoi : {n}",
    allSent: "Toutes les réponses sont envoyées.",
    pinTitle: "Code de l’animateur",
    pinOnly: "Seul l’animateur peut quitter l’écran du questionnaire.",
    pinWrong: "Ce code n’est pas le bon. Essais restants avant le verrouillage de la tablette : {n}",
    pinWrongLocked: "Ce code n’est pas le bon.",
    pinLocked: "Trop de codes erronés. La tablette est verrouillée : réessayez dans {time}.",
    pinChecking: "Vérification…",
    pinOpen: "Ouvrir le panneau",
    backToSurvey: "Retour au questionnaire",
    notArmed: "Le panneau de l’animateur reste fermé sur cette tablette tant qu’un animateur ne l’a pas activée : il se connecte une fois, en ligne.",
    armIt: "Activer cette tablette",
  },
  ar: {
    stillThere: "هل ما زلت تجيب؟",
    clearing: "إذا لم يتابع أحد، ستُمحى هذه الإجابات بعد ثوانٍ قليلة.",
    keepGoing: "نعم، متابعة",
    waiting: "محفوظة على هذا الجهاز حتى يمكن إرسالها: {n}",
    allSent: "أُرسلت جميع الإجابات.",
    pinTitle: "الرمز السري للميسّر",
    pinOnly: "الميسّر وحده يمكنه مغادرة شاشة الاستبيان.",
    pinWrong: "الرمز غير صحيح. المحاولات المتبقية قبل قفل الجهاز: {n}",
    pinWrongLocked: "الرمز غير صحيح.",
    pinLocked: "رموز خاطئة كثيرة. الجهاز مقفل: حاول مرة أخرى بعد {time}.",
    pinChecking: "جارٍ التحقق…",
    pinOpen: "فتح لوحة الميسّر",
    backToSurvey: "العودة إلى الاستبيان",
    notArmed: "تبقى لوحة الميسّر مغلقة على هذا الجهاز حتى يفعّله ميسّر: يسجّل الدخول مرة واحدة وهو متصل بالشبكة.",
    armIt: "تفعيل هذا الجهاز",
  },
  so: { stillThere: "Weli ma ka jawaabaysaa?", keepGoing: "Haa, sii wad" },
  sw: { stillThere: "Bado unajibu?", keepGoing: "Ndiyo, endelea" },
};

export function collectorWords(lang: string): Words {
  const primary = lang.toLowerCase().split(/[-_]/)[0];
  return { ...en, ...(words[lang] ?? words[primary] ?? {}) };
}

/** A lock's remaining time as m:ss, which reads the same in every language. */
export function lockTime(ms: number): string {
  const total = Math.ceil(ms / 1000);
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, "0")}`;
}
