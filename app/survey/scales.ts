// Answer-scale presets (codes, faces, labels in en/fr/ar/so/sw) that authors start questions from.
import type { LocalizedText, Option, ScalePreset } from "./definition";

interface PresetOption {
  code: string;
  face: string;
  label: LocalizedText;
}

// Codes follow the public conventions (SDG 16.1.4: 1–5 and 99 for don't know) so that results stay
// comparable with national surveys. Somali (so) and Swahili (sw) labels should be reviewed by a
// native speaker in the programme before fieldwork, as every translation should.
const DONT_KNOW: PresetOption = {
  code: "99",
  face: "❓",
  label: { en: "Don't know", fr: "Je ne sais pas", ar: "لا أعرف", so: "Ma garanayo", sw: "Sijui" },
};

export const SCALE_PRESET_OPTIONS: Record<ScalePreset, PresetOption[]> = {
  sdg16_safety: [
    { code: "1", face: "😀", label: { en: "Very safe", fr: "Très en sécurité", ar: "أشعر بأمان كبير", so: "Aad u nabad qabo", sw: "Salama sana" } },
    { code: "2", face: "🙂", label: { en: "Safe", fr: "En sécurité", ar: "أشعر بالأمان", so: "Nabad qabo", sw: "Salama" } },
    { code: "3", face: "🙁", label: { en: "Unsafe", fr: "Pas en sécurité", ar: "لا أشعر بالأمان", so: "Nabad ma qabo", sw: "Si salama" } },
    { code: "4", face: "😨", label: { en: "Very unsafe", fr: "Pas du tout en sécurité", ar: "لا أشعر بالأمان إطلاقًا", so: "Haba yaraatee nabad ma qabo", sw: "Si salama kabisa" } },
    {
      code: "5",
      face: "🚫",
      label: {
        en: "I never walk alone after dark / does not apply",
        fr: "Je ne marche jamais seul·e la nuit / sans objet",
        ar: "لا أمشي وحدي بعد حلول الظلام أبدًا / لا ينطبق",
        so: "Marna keligay kuma socdo habeenkii / khuseyn mayso",
        sw: "Sitembei peke yangu usiku kamwe / haihusiki",
      },
    },
    DONT_KNOW,
  ],
  agreement5: [
    { code: "1", face: "😠", label: { en: "Strongly disagree", fr: "Pas du tout d'accord", ar: "أعارض بشدة", so: "Haba yaraatee kuma raacsani", sw: "Sikubali kabisa" } },
    { code: "2", face: "🙁", label: { en: "Disagree", fr: "Pas d'accord", ar: "أعارض", so: "Kuma raacsani", sw: "Sikubali" } },
    { code: "3", face: "😐", label: { en: "Neither agree nor disagree", fr: "Ni d'accord ni pas d'accord", ar: "لا أوافق ولا أعارض", so: "Ma raacsani mana diidsani", sw: "Sikubali wala sikatai" } },
    { code: "4", face: "🙂", label: { en: "Agree", fr: "D'accord", ar: "أوافق", so: "Waan ku raacsanahay", sw: "Nakubali" } },
    { code: "5", face: "😀", label: { en: "Strongly agree", fr: "Tout à fait d'accord", ar: "أوافق بشدة", so: "Aad baan ugu raacsanahay", sw: "Nakubali kabisa" } },
    DONT_KNOW,
  ],
  trust4: [
    { code: "1", face: "😞", label: { en: "Not at all", fr: "Pas du tout", ar: "لا على الإطلاق", so: "Haba yaraatee", sw: "Hata kidogo" } },
    { code: "2", face: "😕", label: { en: "Just a little", fr: "Un peu", ar: "قليلًا", so: "Wax yar", sw: "Kidogo tu" } },
    { code: "3", face: "🙂", label: { en: "Somewhat", fr: "Assez", ar: "إلى حدٍّ ما", so: "Xoogaa", sw: "Kiasi" } },
    { code: "4", face: "😀", label: { en: "A lot", fr: "Beaucoup", ar: "كثيرًا", so: "Aad iyo aad", sw: "Sana" } },
    DONT_KNOW,
  ],
  // Frequency is neither good nor bad in itself, so bars rather than happy or sad faces.
  frequency5: [
    { code: "1", face: "▁", label: { en: "Never", fr: "Jamais", ar: "أبدًا", so: "Marna", sw: "Kamwe" } },
    { code: "2", face: "▂", label: { en: "Once or twice", fr: "Une ou deux fois", ar: "مرة أو مرتين", so: "Hal ama laba jeer", sw: "Mara moja au mbili" } },
    { code: "3", face: "▄", label: { en: "Several times", fr: "Plusieurs fois", ar: "عدة مرات", so: "Dhowr jeer", sw: "Mara kadhaa" } },
    { code: "4", face: "▆", label: { en: "Many times", fr: "De nombreuses fois", ar: "مرات كثيرة", so: "Marar badan", sw: "Mara nyingi" } },
    { code: "5", face: "█", label: { en: "Always", fr: "Toujours", ar: "دائمًا", so: "Had iyo jeer", sw: "Kila mara" } },
  ],
  // Ticks rather than thumbs: a raised thumb is rude in parts of the Middle East and West Africa.
  // "1" yes / "0" no, so the mean of the codes is the share answering yes.
  yes_no: [
    { code: "1", face: "✅", label: { en: "Yes", fr: "Oui", ar: "نعم", so: "Haa", sw: "Ndiyo" } },
    { code: "0", face: "❌", label: { en: "No", fr: "Non", ar: "لا", so: "Maya", sw: "Hapana" } },
  ],
};

export const PRESET_LANGUAGES = ["en", "fr", "ar", "so", "sw"] as const;

/**
 * The preset's options with labels in the languages asked. A language the preset lacks is left out
 * of the label, so validateDefinition reports it as a missing translation instead of guessing.
 */
export function presetOptions(preset: ScalePreset, languages: string[]): Option[] {
  return SCALE_PRESET_OPTIONS[preset].map((o) => {
    const label: LocalizedText = {};
    for (const lang of languages) if (o.label[lang] !== undefined) label[lang] = o.label[lang];
    return { code: o.code, label, face: o.face };
  });
}
