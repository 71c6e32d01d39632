// Every word a respondent can see, per language: the respondent flow's frame (buttons, messages)
// and the collector's words around it (kiosk bar, idle warning, PIN dialog, phone status line).
// Survey content (questions, consent) comes from the definition. English is complete; every other
// language has every key (the type says so, tests/unit/i18n-catalogs.test.ts checks nothing is left
// in English). The Somali (so) and Swahili (sw) texts should be reviewed by a native speaker in the
// programme before fieldwork, as every translation should.
import { formatMessage, pickLocale, type Values } from "./core";

const enFrame = {
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
type FrameWords = typeof enFrame;


const frFrame: FrameWords = {
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

const arFrame: FrameWords = {
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

const soFrame: FrameWords = {
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

const swFrame: FrameWords = {
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

const enCollector = {
  stillThere: "Are you still answering?",
  clearing: "If nobody continues, these answers will be cleared in a few seconds.",
  keepGoing: "Yes, continue",
  waiting: "Kept on this device until it can be sent: {n}",
  allSent: "All answers sent.",
  pinTitle: "Facilitator PIN",
  pinLabel: "PIN",
  pinOnly: "Only the facilitator can leave the survey screen.",
  pinWrong: "That PIN is not right. Tries left before the tablet locks: {n}",
  pinWrongLocked: "That PIN is not right.",
  pinLocked: "Too many wrong PINs. The tablet is locked: try again in {time}.",
  pinChecking: "Checking…",
  pinOpen: "Open the panel",
  backToSurvey: "Back to the survey",
  notArmed: "The facilitator panel stays closed on this tablet until a facilitator arms it: they sign in once, online.",
  armIt: "Arm this tablet",
  barAllSent: "All sent",
  barToSend: "{n, plural, one {# to send} other {# to send}}",
  barFacilitator: "Facilitator",
  listen: "Listen",
  stopListening: "Stop",
  listenTo: "Listen: {label}",
  updateReady: "A new version of the app is ready.",
  updateNow: "Update now",
  updateLater: "Later",
};
type CollectorWords = typeof enCollector;

const frCollector: CollectorWords = {
  stillThere: "Êtes-vous toujours là ?",
  clearing: "Si personne ne continue, ces réponses seront effacées dans quelques secondes.",
  keepGoing: "Oui, continuer",
  waiting: "Gardées sur cet appareil jusqu’à l’envoi : {n}",
  allSent: "Toutes les réponses sont envoyées.",
  pinTitle: "Code de l’animateur",
  pinLabel: "Code",
  pinOnly: "Seul l’animateur peut quitter l’écran du questionnaire.",
  pinWrong: "Ce code n’est pas le bon. Essais restants avant le verrouillage de la tablette : {n}",
  pinWrongLocked: "Ce code n’est pas le bon.",
  pinLocked: "Trop de codes erronés. La tablette est verrouillée : réessayez dans {time}.",
  pinChecking: "Vérification…",
  pinOpen: "Ouvrir le panneau",
  backToSurvey: "Retour au questionnaire",
  notArmed: "Le panneau de l’animateur reste fermé sur cette tablette tant qu’un animateur ne l’a pas activée : il se connecte une fois, en ligne.",
  armIt: "Activer cette tablette",
  barAllSent: "Tout est envoyé",
  barToSend: "{n, plural, one {# à envoyer} other {# à envoyer}}",
  barFacilitator: "Animateur",
  listen: "Écouter",
  stopListening: "Arrêter",
  listenTo: "Écouter : {label}",
  updateReady: "Une nouvelle version de l’application est prête.",
  updateNow: "Mettre à jour",
  updateLater: "Plus tard",
};

const arCollector: CollectorWords = {
  stillThere: "هل ما زلت تجيب؟",
  clearing: "إذا لم يتابع أحد، ستُمحى هذه الإجابات بعد ثوانٍ قليلة.",
  keepGoing: "نعم، متابعة",
  waiting: "محفوظة على هذا الجهاز حتى يمكن إرسالها: {n}",
  allSent: "أُرسلت جميع الإجابات.",
  pinTitle: "الرمز السري للميسّر",
  pinLabel: "الرمز السري",
  pinOnly: "الميسّر وحده يمكنه مغادرة شاشة الاستبيان.",
  pinWrong: "الرمز غير صحيح. المحاولات المتبقية قبل قفل الجهاز: {n}",
  pinWrongLocked: "الرمز غير صحيح.",
  pinLocked: "رموز خاطئة كثيرة. الجهاز مقفل: حاول مرة أخرى بعد {time}.",
  pinChecking: "جارٍ التحقق…",
  pinOpen: "فتح لوحة الميسّر",
  backToSurvey: "العودة إلى الاستبيان",
  notArmed: "تبقى لوحة الميسّر مغلقة على هذا الجهاز حتى يفعّله ميسّر: يسجّل الدخول مرة واحدة وهو متصل بالشبكة.",
  armIt: "تفعيل هذا الجهاز",
  barAllSent: "أُرسل كل شيء",
  barToSend: "{n, plural, zero {لا شيء للإرسال} one {إجابة واحدة للإرسال} two {إجابتان للإرسال} few {# إجابات للإرسال} many {# إجابة للإرسال} other {# إجابة للإرسال}}",
  barFacilitator: "الميسّر",
  listen: "استمع",
  stopListening: "إيقاف",
  listenTo: "استمع: {label}",
  updateReady: "نسخة جديدة من التطبيق جاهزة.",
  updateNow: "حدّث الآن",
  updateLater: "لاحقًا",
};

const soCollector: CollectorWords = {
  stillThere: "Weli ma ka jawaabaysaa?",
  clearing: "Haddii aan qofna sii wadin, jawaabahan waa la tirtiri doonaa dhowr ilbiriqsi gudahood.",
  keepGoing: "Haa, sii wad",
  waiting: "Waxaa lagu hayaa qalabkan ilaa la diri karo: {n}",
  allSent: "Dhammaan jawaabaha waa la diray.",
  pinTitle: "Lambarka sirta ee fududeeyaha",
  pinLabel: "Lambarka sirta",
  pinOnly: "Fududeeyaha oo keliya ayaa ka bixi kara shaashadda sahanka.",
  pinWrong: "Lambarkaasi sax ma aha. Isku dayada hadhay ka hor inta aan taabletku xidhmin: {n}",
  pinWrongLocked: "Lambarkaasi sax ma aha.",
  pinLocked: "Lambarro khaldan oo badan. Taabletku waa xidhan yahay: isku day mar kale {time} kadib.",
  pinChecking: "Waa la hubinayaa…",
  pinOpen: "Fur guddiga",
  backToSurvey: "Ku noqo sahanka",
  notArmed: "Guddiga fududeeyaha wuu xidhan yahay taabletkan ilaa fududeeye uu hawlgeliyo: wuxuu soo galaa hal mar, isagoo khadka ku jira.",
  armIt: "Hawlgeli taabletkan",
  barAllSent: "Dhammaan waa la diray",
  barToSend: "{n, plural, one {# ayaa sugaya dirid} other {# ayaa sugaya dirid}}",
  barFacilitator: "Fududeeyaha",
  listen: "Dhegeyso",
  stopListening: "Jooji",
  listenTo: "Dhegeyso: {label}",
  updateReady: "Nooc cusub oo barnaamijka ah ayaa diyaar ah.",
  updateNow: "Cusboonaysii hadda",
  updateLater: "Mar dambe",
};

const swCollector: CollectorWords = {
  stillThere: "Bado unajibu?",
  clearing: "Mtu asipoendelea, majibu haya yatafutwa baada ya sekunde chache.",
  keepGoing: "Ndiyo, endelea",
  waiting: "Yamehifadhiwa kwenye kifaa hiki hadi yaweze kutumwa: {n}",
  allSent: "Majibu yote yametumwa.",
  pinTitle: "Namba ya siri ya mwezeshaji",
  pinLabel: "Namba ya siri",
  pinOnly: "Mwezeshaji pekee ndiye anayeweza kuondoka kwenye skrini ya utafiti.",
  pinWrong: "Namba hiyo si sahihi. Majaribio yaliyobaki kabla kompyuta kibao haijafungwa: {n}",
  pinWrongLocked: "Namba hiyo si sahihi.",
  pinLocked: "Namba nyingi zisizo sahihi. Kompyuta kibao imefungwa: jaribu tena baada ya {time}.",
  pinChecking: "Inakagua…",
  pinOpen: "Fungua paneli",
  backToSurvey: "Rudi kwenye utafiti",
  notArmed: "Paneli ya mwezeshaji inabaki imefungwa kwenye kompyuta kibao hii hadi mwezeshaji aiwezeshe: huingia mara moja, akiwa mtandaoni.",
  armIt: "Wezesha kompyuta kibao hii",
  barAllSent: "Yote yametumwa",
  barToSend: "{n, plural, one {# la kutuma} other {# ya kutuma}}",
  barFacilitator: "Mwezeshaji",
  listen: "Sikiliza",
  stopListening: "Simamisha",
  listenTo: "Sikiliza: {label}",
  updateReady: "Toleo jipya la programu liko tayari.",
  updateNow: "Sasisha sasa",
  updateLater: "Baadaye",
};

export type RespondentWords = FrameWords & CollectorWords;
export type RespondentKey = keyof RespondentWords;

/** The respondent catalog: every language in full (a missing one falls back to English). */
export const RESPONDENT_WORDS: Record<string, RespondentWords> = {
  en: { ...enFrame, ...enCollector },
  fr: { ...frFrame, ...frCollector },
  ar: { ...arFrame, ...arCollector },
  so: { ...soFrame, ...soCollector },
  sw: { ...swFrame, ...swCollector },
};

/** Every respondent word in `lang` ("ar", "ar-JO", "sw_KE"); English for a language without its own. */
export function respondentWords(lang: string): RespondentWords {
  const found = pickLocale(RESPONDENT_WORDS, lang);
  return found ? RESPONDENT_WORDS[found] : RESPONDENT_WORDS.en;
}

/** Whether the frame has its own words in this language (otherwise buttons read in English). */
export function hasRespondentWords(lang: string): boolean {
  return pickLocale(RESPONDENT_WORDS, lang) !== undefined;
}

/** A respondent message filled in: placeholders and plurals, numbers as `lang` writes them. */
export function fill(template: string, values: Values, lang: string): string {
  return formatMessage(template, values, lang);
}

/** A lock's remaining time as m:ss, which reads the same in every language. */
export function lockTime(ms: number): string {
  const total = Math.ceil(ms / 1000);
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, "0")}`;
}
