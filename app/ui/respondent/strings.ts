// The respondent flow's own words (buttons, messages), per language, with English as the fallback.
// Survey content (questions, consent) comes from the definition; only the frame is translated here.
// The Somali (so) and Swahili (sw) texts should be reviewed by a native speaker in the programme
// before fieldwork, as every translation should.

const en = {
  chooseLanguage: "Choose your language",
  next: "Next",
  back: "Back",
  submit: "Submit",
  saving: "Saving…",
  agree: "I agree",
  disagree: "I do not agree",
  required: "This question needs an answer.",
  checkAnswer: "Please check this answer.",
  saveFailed: "Your answers could not be saved. Please try again.",
  thankYou: "Thank you",
  saved: "Your answers have been saved.",
  thanksForTime: "Thank you for your time.",
  nextPerson: "Next person",
  readAloud: "Read aloud",
  stopReading: "Stop reading",
  questionOf: "Question {n} of {total}",
  progress: "Progress",
  chooseAll: "Choose all that apply.",
  rankHint: "Tap your answers in order of importance, up to {max}. Tap again to remove.",
  rankLimit: "You have already chosen {max}. Tap a chosen answer to remove it.",
  rankN: "number {n}",
  decrease: "Less",
  increase: "More",
  numberRange: "Enter a number from {min} to {max}.",
  numberMin: "Enter a number of at least {min}.",
  numberMax: "Enter a number of at most {max}.",
  wholeNumber: "Enter a whole number.",
  notNumber: "Enter a number.",
  textPrivacy: "Please do not write any names, phone numbers or places that could identify someone.",
};

export type UiStrings = typeof en;
export type UiStringKey = keyof UiStrings;

const fr: Partial<UiStrings> = {
  chooseLanguage: "Choisissez votre langue",
  next: "Suivant",
  back: "Retour",
  submit: "Envoyer",
  saving: "Enregistrement…",
  agree: "J'accepte",
  disagree: "Je n'accepte pas",
  required: "Cette question demande une réponse.",
  checkAnswer: "Veuillez vérifier cette réponse.",
  saveFailed: "Vos réponses n'ont pas pu être enregistrées. Veuillez réessayer.",
  thankYou: "Merci",
  saved: "Vos réponses ont été enregistrées.",
  thanksForTime: "Merci pour votre temps.",
  nextPerson: "Personne suivante",
  readAloud: "Lire à voix haute",
  stopReading: "Arrêter la lecture",
  questionOf: "Question {n} sur {total}",
  progress: "Progression",
  chooseAll: "Choisissez toutes les réponses qui conviennent.",
  rankHint: "Touchez vos réponses par ordre d'importance, jusqu'à {max}. Touchez de nouveau pour retirer.",
  rankLimit: "Vous en avez déjà choisi {max}. Touchez une réponse choisie pour la retirer.",
  rankN: "numéro {n}",
  decrease: "Moins",
  increase: "Plus",
  numberRange: "Saisissez un nombre entre {min} et {max}.",
  numberMin: "Saisissez un nombre d'au moins {min}.",
  numberMax: "Saisissez un nombre d'au plus {max}.",
  wholeNumber: "Saisissez un nombre entier.",
  notNumber: "Saisissez un nombre.",
  textPrivacy: "N'écrivez aucun nom, numéro de téléphone ni lieu qui permettrait de reconnaître quelqu'un.",
};

const ar: Partial<UiStrings> = {
  chooseLanguage: "اختر لغتك",
  next: "التالي",
  back: "السابق",
  submit: "إرسال",
  saving: "جارٍ الحفظ…",
  agree: "أوافق",
  disagree: "لا أوافق",
  required: "هذا السؤال يحتاج إلى إجابة.",
  checkAnswer: "يرجى التحقق من هذه الإجابة.",
  saveFailed: "تعذّر حفظ إجاباتك. يرجى المحاولة مرة أخرى.",
  thankYou: "شكرًا لك",
  saved: "تم حفظ إجاباتك.",
  thanksForTime: "شكرًا على وقتك.",
  nextPerson: "الشخص التالي",
  readAloud: "اقرأ بصوت عالٍ",
  stopReading: "أوقف القراءة",
  questionOf: "السؤال {n} من {total}",
  progress: "التقدّم",
  chooseAll: "اختر كل ما ينطبق.",
  rankHint: "اضغط على إجاباتك حسب أهميتها، حتى {max}. اضغط مرة أخرى للإزالة.",
  rankLimit: "لقد اخترت {max} بالفعل. اضغط على إجابة مختارة لإزالتها.",
  rankN: "رقم {n}",
  decrease: "أقل",
  increase: "أكثر",
  numberRange: "أدخل رقمًا من {min} إلى {max}.",
  numberMin: "أدخل رقمًا لا يقل عن {min}.",
  numberMax: "أدخل رقمًا لا يزيد عن {max}.",
  wholeNumber: "أدخل عددًا صحيحًا.",
  notNumber: "أدخل رقمًا.",
  textPrivacy: "يرجى عدم كتابة أي أسماء أو أرقام هواتف أو أماكن قد تدل على أحد.",
};

const so: Partial<UiStrings> = {
  chooseLanguage: "Dooro luqaddaada",
  next: "Xiga",
  back: "Dib u noqo",
  submit: "Dir",
  saving: "Waa la kaydinayaa…",
  agree: "Waan ogolahay",
  disagree: "Ma ogoli",
  required: "Su'aashan waxay u baahan tahay jawaab.",
  checkAnswer: "Fadlan hubi jawaabtan.",
  saveFailed: "Jawaabahaaga lama kaydin karin. Fadlan isku day mar kale.",
  thankYou: "Mahadsanid",
  saved: "Jawaabahaaga waa la kaydiyey.",
  thanksForTime: "Waad ku mahadsan tahay waqtigaaga.",
  nextPerson: "Qofka xiga",
  readAloud: "Kor u akhri",
  stopReading: "Jooji akhrinta",
  questionOf: "Su'aasha {n} ee {total}",
  progress: "Horumarka",
  chooseAll: "Dooro dhammaan kuwa khuseeya.",
  rankHint: "Taabo jawaabahaaga sida ay muhiimka u yihiin, ilaa {max}. Mar kale taabo si aad uga saarto.",
  rankLimit: "Waxaad horey u dooratay {max}. Taabo jawaab la doortay si aad uga saarto.",
  rankN: "lambar {n}",
  decrease: "Ka yar",
  increase: "Ka badan",
  numberRange: "Geli lambar u dhexeeya {min} iyo {max}.",
  numberMin: "Geli lambar aan ka yarayn {min}.",
  numberMax: "Geli lambar aan ka badnayn {max}.",
  wholeNumber: "Geli lambar dhan.",
  notNumber: "Geli lambar.",
  textPrivacy: "Fadlan ha qorin magacyo, lambarro taleefan ama meelo lagu aqoonsan karo qof.",
};

const sw: Partial<UiStrings> = {
  chooseLanguage: "Chagua lugha yako",
  next: "Endelea",
  back: "Rudi",
  submit: "Tuma",
  saving: "Inahifadhi…",
  agree: "Nakubali",
  disagree: "Sikubali",
  required: "Swali hili linahitaji jibu.",
  checkAnswer: "Tafadhali angalia jibu hili.",
  saveFailed: "Majibu yako hayakuweza kuhifadhiwa. Tafadhali jaribu tena.",
  thankYou: "Asante",
  saved: "Majibu yako yamehifadhiwa.",
  thanksForTime: "Asante kwa muda wako.",
  nextPerson: "Mtu anayefuata",
  readAloud: "Soma kwa sauti",
  stopReading: "Acha kusoma",
  questionOf: "Swali {n} kati ya {total}",
  progress: "Maendeleo",
  chooseAll: "Chagua yote yanayohusika.",
  rankHint: "Gusa majibu yako kwa mpangilio wa umuhimu, hadi {max}. Gusa tena ili kuondoa.",
  rankLimit: "Tayari umechagua {max}. Gusa jibu ulilochagua ili kuliondoa.",
  rankN: "namba {n}",
  decrease: "Punguza",
  increase: "Ongeza",
  numberRange: "Andika namba kati ya {min} na {max}.",
  numberMin: "Andika namba isiyopungua {min}.",
  numberMax: "Andika namba isiyozidi {max}.",
  wholeNumber: "Andika namba kamili.",
  notNumber: "Andika namba.",
  textPrivacy: "Tafadhali usiandike majina, namba za simu au mahali panapoweza kumtambulisha mtu.",
};

export const UI_STRINGS: Record<string, Partial<UiStrings>> = { en, fr, ar, so, sw };

/** The table for a language tag ("ar", "ar-JO", "sw_KE"), by exact tag, then primary subtag. */
function tableFor(lang: string): Partial<UiStrings> | undefined {
  const tag = lang.toLowerCase().replace(/_/g, "-");
  return UI_STRINGS[tag] ?? UI_STRINGS[tag.split("-")[0]];
}

/** Every UI string in `lang`, each missing one in English. */
export function uiStrings(lang: string): UiStrings {
  const table = tableFor(lang);
  return table ? { ...en, ...table } : en;
}

/** Whether the flow has its own words in this language (otherwise buttons read in English). */
export function hasUiStrings(lang: string): boolean {
  return tableFor(lang) !== undefined;
}

/** Fills "{name}" placeholders. Values are plain text; the result is rendered as text, never HTML. */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole,
  );
}
