// The community feedback page's words (read aloud in validation workshops), per language, English
// as the fallback. Round and community names come translated from the programme page.
import { pickLocale, translator, type Translate } from "./core";

const en = {
  title: "What people in {community} told us",
  intro: "These are the answers of people in {community}, round by round. Does this match what you see? What has changed, and why?",
  people: "{count, plural, one {# person answered} other {# people answered}}",
  hidden: "Too few people answered to show this",
  latest: "Latest round, women and men",
  note: "Groups of fewer than {n} people are not shown, so that no one can be recognised.",
  noneYet: "No one in {community} has answered yet.",
  tooFew: "People who have answered in {community} so far: {count}. Results appear once at least {n} people have answered in the same round.",
};
export type FeedbackWords = typeof en;

export const FEEDBACK_WORDS: Record<string, FeedbackWords> = {
  en,
  fr: {
    title: "Ce que les habitants de {community} nous ont dit",
    intro: "Voici les réponses des habitants de {community}, tour après tour. Est-ce que cela correspond à ce que vous voyez ? Qu'est-ce qui a changé, et pourquoi ?",
    people: "{count, plural, one {# personne a répondu} other {# personnes ont répondu}}",
    hidden: "Trop peu de personnes ont répondu pour l'afficher",
    latest: "Dernier tour, femmes et hommes",
    note: "Les groupes de moins de {n} personnes ne sont pas affichés, pour que personne ne puisse être reconnu.",
    noneYet: "Personne à {community} n'a encore répondu.",
    tooFew: "Personnes ayant répondu à {community} jusqu'ici : {count}. Les résultats s'affichent dès qu'au moins {n} personnes ont répondu au cours d'un même tour.",
  },
  ar: {
    title: "ما قاله لنا سكان {community}",
    intro: "هذه إجابات سكان {community} في كل جولة. هل يتوافق هذا مع ما ترونه؟ ما الذي تغيّر، ولماذا؟",
    people: "{count, plural, zero {لم يُجب أحد} one {أجاب شخص واحد} two {أجاب شخصان} few {أجاب # أشخاص} many {أجاب # شخصًا} other {أجاب # شخص}}",
    hidden: "عدد المجيبين قليل جدًا لعرض هذه النتيجة",
    latest: "الجولة الأخيرة، النساء والرجال",
    note: "لا تُعرض المجموعات التي تضم أقل من {n} أشخاص، حتى لا يمكن التعرف على أحد.",
    noneYet: "لم يُجب أحد في {community} بعد.",
    tooFew: "عدد من أجابوا في {community} حتى الآن: {count}. تظهر النتائج عندما يجيب {n} أشخاص على الأقل في الجولة نفسها.",
  },
  so: {
    title: "Waxa dadka {community} noo sheegeen",
    intro: "Kuwani waa jawaabaha dadka {community}, wareeg kasta. Ma ku habboon yihiin waxa aad aragtaan? Maxaa isbeddelay, waayo?",
    people: "{count, plural, one {# qof ayaa ka jawaabay} other {# qof ayaa ka jawaabay}}",
    hidden: "Dad aad u yar ayaa ka jawaabay si tan loo muujiyo",
    latest: "Wareegii ugu dambeeyay, haweenka iyo ragga",
    note: "Kooxaha ka yar {n} qof lama muujiyo, si aan qofna loo aqoonsan.",
    noneYet: "Qofna {community} kama jawaabin weli.",
    tooFew: "Dadka ka jawaabay {community} ilaa hadda: {count}. Natiijooyinku waxay soo baxaan marka ugu yaraan {n} qof ay ka jawaabaan isla wareegga.",
  },
  sw: {
    title: "Watu wa {community} walituambia nini",
    intro: "Haya ni majibu ya watu wa {community}, awamu kwa awamu. Je, yanalingana na mnachokiona? Nini kimebadilika, na kwa nini?",
    people: "{count, plural, one {mtu # alijibu} other {watu # walijibu}}",
    hidden: "Watu wachache mno walijibu ili kuonyesha hili",
    latest: "Awamu ya mwisho, wanawake na wanaume",
    note: "Makundi ya watu chini ya {n} hayaonyeshwi, ili mtu yeyote asiweze kutambuliwa.",
    noneYet: "Hakuna mtu wa {community} aliyejibu bado.",
    tooFew: "Watu waliojibu {community} hadi sasa: {count}. Matokeo yanaonekana mara watu wasiopungua {n} wanapojibu katika awamu moja.",
  },
};

/** The feedback page's translator for a language ("ar", "ar-JO"); English where it has none. */
export function feedbackTranslator(lang: string): { locale: string; t: Translate<FeedbackWords> } {
  const found = pickLocale(FEEDBACK_WORDS, lang) ?? "en";
  return { locale: found, t: translator(lang, FEEDBACK_WORDS[found], en) };
}
