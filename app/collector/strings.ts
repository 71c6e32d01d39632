// The few respondent-facing words the collector adds around the respondent flow (the idle warning,
// the phone status line), per language with English as the fallback. Facilitator screens are English.
const en = {
  stillThere: "Are you still answering?",
  clearing: "If nobody continues, these answers will be cleared in a few seconds.",
  keepGoing: "Yes, continue",
  waiting: "Kept on this device until it can be sent: {n}",
  allSent: "All answers sent.",
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
  },
  ar: {
    stillThere: "هل ما زلت تجيب؟",
    clearing: "إذا لم يتابع أحد، ستُمحى هذه الإجابات بعد ثوانٍ قليلة.",
    keepGoing: "نعم، متابعة",
    waiting: "محفوظة على هذا الجهاز حتى يمكن إرسالها: {n}",
    allSent: "أُرسلت جميع الإجابات.",
  },
  so: { stillThere: "Weli ma ka jawaabaysaa?", keepGoing: "Haa, sii wad" },
  sw: { stillThere: "Bado unajibu?", keepGoing: "Ndiyo, endelea" },
};

export function collectorWords(lang: string): Words {
  const primary = lang.toLowerCase().split(/[-_]/)[0];
  return { ...en, ...(words[lang] ?? words[primary] ?? {}) };
}
