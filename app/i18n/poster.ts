// The poster's few words per language (a printed page for respondents), English as the fallback.
// As with the respondent words, the Somali (so) and Swahili (sw) texts should be checked by a native
// speaker before printing.
import { pickLocale } from "./core";

const en = {
  scan: "Scan the code with your phone's camera to answer.",
  anonymous: "It is anonymous: do not write your name.",
  orType: "Or type this address:",
};
export type PosterWords = typeof en;

export const POSTER_WORDS: Record<string, PosterWords> = {
  en,
  fr: {
    scan: "Scannez le code avec l’appareil photo de votre téléphone pour répondre.",
    anonymous: "C’est anonyme : n’écrivez pas votre nom.",
    orType: "Ou tapez cette adresse :",
  },
  ar: {
    scan: "امسح الرمز بكاميرا هاتفك للإجابة.",
    anonymous: "الإجابة مجهولة الهوية: لا تكتب اسمك.",
    orType: "أو اكتب هذا العنوان:",
  },
  so: {
    scan: "Ku sawir koodhka kamarada taleefankaaga si aad uga jawaabto.",
    anonymous: "Waa qarsoodi: ha qorin magacaaga.",
    orType: "Ama qor cinwaankan:",
  },
  sw: {
    scan: "Changanua msimbo kwa kamera ya simu yako ili kujibu.",
    anonymous: "Ni siri: usiandike jina lako.",
    orType: "Au andika anwani hii:",
  },
};

export function posterWords(lang: string): PosterWords {
  return POSTER_WORDS[pickLocale(POSTER_WORDS, lang) ?? "en"];
}
