// The starting point of a blank survey: English only, one consent text and one first question.
import type { SurveyDefinition } from "./definition";
import { presetOptions } from "./scales";

export function blankDefinition(): SurveyDefinition {
  return {
    title: { en: "Untitled survey" },
    description: { en: "" },
    languages: [{ code: "en", name: "English", direction: "ltr" }],
    defaultLanguage: "en",
    consent: {
      en: "This survey asks how safe you feel. It is anonymous: we do not ask your name. You can stop at any time. Do you agree to take part?",
    },
    questions: [
      {
        id: "safe_after_dark",
        type: "scale",
        scale: "sdg16_safety",
        required: true,
        label: { en: "How safe do you feel walking alone around the area you live after dark?" },
        options: presetOptions("sdg16_safety", ["en"]),
      },
    ],
    indicators: [],
  };
}
