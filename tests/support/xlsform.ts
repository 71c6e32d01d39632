// Real-world-shaped XLSForms for the tests, written as .xlsx with exceljs: the shapes KoboToolbox
// and ODK forms have (pyxform's test forms and the XLSForm specification show them).
import ExcelJS from "exceljs";

type Sheet = (string | number | null)[][];

export async function workbook(sheets: Record<string, Sheet>): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = book.addWorksheet(name);
    for (const r of rows) ws.addRow(r.map((v) => (v === null ? undefined : v)));
  }
  return new Uint8Array(await book.xlsx.writeBuffer());
}

const L = ["label::English (en)", "label::Arabic (ar)"];
const H = ["hint::English (en)", "hint::Arabic (ar)"];
const M = ["constraint_message::English (en)", "constraint_message::Arabic (ar)"];

/** A household protection survey in English and Arabic, with every construct a real form uses. */
export function protectionForm(): Record<string, Sheet> {
  const header = ["type", "name", ...L, ...H, "required", "relevant", "constraint", ...M, "appearance", "choice_filter", "calculation", "default", "media::image", "required_message::English (en)"];
  const row = (o: Partial<Record<string, string | number>>) => header.map((h) => o[h] ?? null);
  return {
    survey: [
      header,
      row({ type: "start", name: "start" }), // 2
      row({ type: "end", name: "end" }), // 3
      row({ type: "deviceid", name: "deviceid" }), // 4
      row({ type: "begin_group", name: "respondent", "label::English (en)": "About you", "label::Arabic (ar)": "عنك", appearance: "field-list" }), // 5
      row({ type: "integer", name: "Age", "label::English (en)": "How old are you?", "label::Arabic (ar)": "كم عمرك؟", required: "yes", constraint: ". >= 0 and . <= 120", "constraint_message::English (en)": "Age must be between 0 and 120.", "constraint_message::Arabic (ar)": "يجب أن يكون العمر بين 0 و120." }), // 6
      row({ type: "end_group" }), // 7
      row({ type: "select_one sex", name: "hh.sex", "label::English (en)": "Sex", "label::Arabic (ar)": "الجنس", required: "yes" }), // 8
      row({ type: "select_one state", name: "state", "label::English (en)": "State", "label::Arabic (ar)": "الولاية" }), // 9
      row({ type: "select_one county", name: "county", "label::English (en)": "County", "label::Arabic (ar)": "المقاطعة", choice_filter: "state=${state}" }), // 10
      row({ type: "select_one safety", name: "safe_dark", "label::English (en)": "How safe do you feel walking alone in your area after dark?", "label::Arabic (ar)": "ما مدى شعورك بالأمان عند المشي وحدك بعد حلول الظلام؟", required: "yes", "required_message::English (en)": "Please answer" }), // 11
      row({ type: "select_multiple threats or_other", name: "threats", "label::English (en)": "What threatens your safety?", "label::Arabic (ar)": "ما الذي يهدد سلامتك؟", "hint::English (en)": "Pick all that apply", "hint::Arabic (ar)": "اختر كل ما ينطبق" }), // 12
      row({ type: "text", name: "threat_most", "label::English (en)": "Which worries you most?", "label::Arabic (ar)": "ما الذي يقلقك أكثر؟", relevant: "count-selected(${threats}) > 1" }), // 13
      row({ type: "begin group", name: "adult", "label::English (en)": "Adults", "label::Arabic (ar)": "البالغون", relevant: "${Age} >= 18" }), // 14
      row({ type: "select_one agree", name: "police_trust", "label::English (en)": "I trust the police in my area.", "label::Arabic (ar)": "أثق بالشرطة في منطقتي.", relevant: "selected(${threats}, 'theft') or ${hh.sex} = 'female'" }), // 15
      row({ type: "decimal", name: "income", "label::English (en)": "Monthly income", "label::Arabic (ar)": "الدخل الشهري", constraint: "regex(., '^[0-9]+$')", "constraint_message::English (en)": "Digits only" }), // 16
      row({ type: "end group" }), // 17
      row({ type: "text", name: "reason", "label::English (en)": "Why did you feel unsafe, ${Age}-year-old?", "label::Arabic (ar)": "لماذا شعرت بعدم الأمان؟", relevant: "${safe_dark} = '3' or ${safe_dark} = '4' or ${safe_dark} = 'ghost'" }), // 18
      row({ type: "calculate", name: "is_adult", calculation: "if(${Age} >= 18, 1, 0)" }), // 19
      row({ type: "begin_repeat", name: "members", "label::English (en)": "Household members" }), // 20
      row({ type: "text", name: "member_name", "label::English (en)": "Name" }), // 21
      row({ type: "integer", name: "member_age", "label::English (en)": "Age" }), // 22
      row({ type: "end_repeat" }), // 23
      row({ type: "geopoint", name: "location", "label::English (en)": "Location" }), // 24
      row({ type: "date", name: "incident_date", "label::English (en)": "When did it happen?", "label::Arabic (ar)": "متى حدث ذلك؟", relevant: "not(${threats} = '')" }), // 25
      row({ type: "integer", name: "children", "label::English (en)": "How many children live here?", "label::Arabic (ar)": "كم عدد الأطفال هنا؟", default: "0", "media::image": "children.png", constraint: ". < ${Age}" }), // 26
      row({ type: "note", name: "thanks", "label::English (en)": "Thank you.", "label::Arabic (ar)": "شكرا لك." }), // 27
    ],
    choices: [
      ["list_name", "name", ...L, "state"],
      ["sex", "male", "Male", "ذكر", null],
      ["sex", "female", "Female", "أنثى", null],
      ["sex", "prefer.not_to_say", "Prefer not to say", "أفضل عدم القول", null],
      ["state", "upper_nile", "Upper Nile", "أعالي النيل", null],
      ["state", "unity", "Unity", "الوحدة", null],
      ["county", "malakal", "Malakal", "ملكال", "upper_nile"],
      ["county", "bentiu", "Bentiu", "بانتيو", "unity"],
      ["safety", "1", "Very safe", "آمن جدا", null],
      ["safety", "2", "Safe", "آمن", null],
      ["safety", "3", "Unsafe", "غير آمن", null],
      ["safety", "4", "Very unsafe", "غير آمن جدا", null],
      ["safety", "99", "Don't know", "لا أعرف", null],
      ["threats", "theft", "Theft", "السرقة", null],
      ["threats", "armed_violence", "Armed violence", "العنف المسلح", null],
      ["threats", "harassment", "Harassment", "التحرش", null],
      ["agree", "1", "Strongly disagree", "أعارض بشدة", null],
      ["agree", "2", "Disagree", "أعارض", null],
      ["agree", "3", "Neither agree nor disagree", "محايد", null],
      ["agree", "4", "Agree", "أوافق", null],
      ["agree", "5", "Strongly agree", "أوافق بشدة", null],
    ],
    settings: [
      ["form_title", "form_id", "version", "default_language"],
      ["Household protection survey", "hh_protection", "2024031501", "English (en)"],
    ],
  };
}

/**
 * A market-safety form built as Kobo users build them: a field-list group of the respondent's
 * facts, a group shown to adults with a group for women inside it (and adults' questions after
 * it), and an unlabelled group wrapping the closing question. English and Somali.
 */
export function groupedForm(): Record<string, Sheet> {
  const header = ["type", "name", "label::English (en)", "label::Somali (so)", "hint::English (en)", "hint::Somali (so)", "required", "relevant", "appearance"];
  const row = (o: Partial<Record<string, string>>) => header.map((h) => o[h] ?? null);
  return {
    survey: [
      header,
      row({ type: "begin_group", name: "about", "label::English (en)": "About you", "label::Somali (so)": "Adiga", appearance: "field-list" }), // 2
      row({ type: "integer", name: "age", "label::English (en)": "How old are you?", "label::Somali (so)": "Immisa jir baad tahay?", required: "yes" }), // 3
      row({ type: "select_one sex", name: "sex", "label::English (en)": "Are you a man or a woman?", "label::Somali (so)": "Ma nin baad tahay mise naag?", required: "yes" }), // 4
      row({ type: "integer", name: "hh.size", "label::English (en)": "How many people live in your home?", "label::Somali (so)": "Immisa qof ayaa gurigaaga ku nool?", "hint::English (en)": "Count yourself too.", "hint::Somali (so)": "Adigana tiri.", relevant: "${age} >= 18" }), // 5
      row({ type: "end_group" }), // 6
      row({ type: "begin_group", name: "adults", "label::English (en)": "At the market", "label::Somali (so)": "Suuqa", relevant: "${age} >= 18" }), // 7
      row({ type: "select_one safety", name: "safe_market", "label::English (en)": "How safe do you feel at the market?", "label::Somali (so)": "Intee ammaan ayaad dareentaa suuqa?", required: "yes" }), // 8
      row({ type: "begin_group", name: "women", "label::English (en)": "Women at the market", "label::Somali (so)": "Haweenka suuqa", relevant: "${sex} = 'female'" }), // 9
      row({ type: "select_one yn", name: "harassed", "label::English (en)": "Have you been harassed at the market this month?", "label::Somali (so)": "Ma lagu dhibaateeyay suuqa bishan?", required: "yes" }), // 10
      row({ type: "end_group" }), // 11
      row({ type: "select_one yn", name: "stall", "label::English (en)": "Do you keep a stall?", "label::Somali (so)": "Miyaad leedahay miis suuq?" }), // 12
      row({ type: "end_group" }), // 13
      row({ type: "begin_group", name: "closing" }), // 14
      row({ type: "text", name: "comment", "label::English (en)": "Anything else?", "label::Somali (so)": "Wax kale?" }), // 15
      row({ type: "end_group" }), // 16
    ],
    choices: [
      ["list_name", "name", "label::English (en)", "label::Somali (so)"],
      ["sex", "male", "Man", "Nin"],
      ["sex", "female", "Woman", "Naag"],
      ["safety", "1", "Very safe", "Aad u ammaan ah"],
      ["safety", "2", "Safe", "Ammaan"],
      ["safety", "3", "Unsafe", "Aan ammaan ahayn"],
      ["safety", "4", "Very unsafe", "Aad aan ammaan u ahayn"],
      ["yn", "yes", "Yes", "Haa"],
      ["yn", "no", "No", "Maya"],
    ],
    settings: [
      ["form_title", "form_id", "default_language", "consent::English (en)", "consent::Somali (so)"],
      ["Market safety", "market_safety", "English (en)", "Your answers are anonymous. Do you agree to take part?", "Jawaabahaagu waa qarsoodi. Ma ogoshahay inaad ka qaybqaadato?"],
    ],
  };
}
