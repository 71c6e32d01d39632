// Recorded voices, the parts both sides share: which prompts of a survey can carry a voice, their
// stable keys, the audio types and sizes accepted, and the address a tablet fetches a clip from.
// Pure (no I/O): used by the Voices page, the server and the tablet.
import type { LocalizedText, SurveyDefinition } from "../survey/definition";

/** One clip per prompt and language: at most 1 MB (a minute of speech in Opus is about 120 KB). */
export const MAX_CLIP_BYTES = 1024 * 1024;
/** All the clips the next version would carry, per survey: what a tablet downloads with the link. */
export const MAX_SURVEY_VOICE_BYTES = 32 * 1024 * 1024;

/** What a clip may be: what MediaRecorder makes (Opus/WebM, AAC/MP4 on Safari) and common files. */
export const VOICE_TYPES = ["audio/webm", "audio/ogg", "audio/mpeg", "audio/mp4", "audio/aac", "audio/wav"] as const;
export type VoiceType = (typeof VOICE_TYPES)[number];

/** A content type as browsers send it ("audio/webm;codecs=opus", "audio/x-wav") as one of ours, or null. */
export function voiceType(contentType: string): VoiceType | null {
  const base = contentType.split(";")[0].trim().toLowerCase();
  const alias: Record<string, VoiceType> = { "audio/x-wav": "audio/wav", "audio/wave": "audio/wav", "audio/vnd.wave": "audio/wav", "audio/mp3": "audio/mpeg", "audio/x-m4a": "audio/mp4", "audio/m4a": "audio/mp4", "audio/aacp": "audio/aac", "audio/opus": "audio/ogg" };
  if ((VOICE_TYPES as readonly string[]).includes(base)) return base as VoiceType;
  return alias[base] ?? null;
}

/** A clip in a bundle or a published version: which prompt, which language, and the clip itself. */
export interface VoiceRef {
  prompt: string;
  language: string;
  hash: string;
  type: VoiceType;
  size: number;
}

/** A voice as a link's bundle lists it: the tablet needs only which prompt, which language, which clip. */
export type BundledVoice = Pick<VoiceRef, "prompt" | "language" | "hash">;

/** The prompt keys: consent screen, a question's screen (label and hint; info screens too), an option. */
export const CONSENT_PROMPT = "consent";
export const questionPrompt = (questionId: string) => `q:${questionId}`;
export const optionPrompt = (questionId: string, code: string) => `q:${questionId}:option:${code}`;

export interface VoicePrompt {
  key: string;
  /** What kind of prompt, for the Voices page: consent, question, info or option. */
  kind: "consent" | "question" | "info" | "option";
  /** The question it belongs to (absent for consent). */
  questionId?: string;
  /** The option's code, for options. */
  code?: string;
  /** The text spoken, in the language asked for (the default language's where it has none). */
  text: string;
}

function textIn(text: LocalizedText | undefined, lang: string, def: SurveyDefinition): string {
  if (!text) return "";
  return (text[lang]?.trim() ? text[lang] : undefined) ?? text[def.defaultLanguage] ?? "";
}

/** Every prompt a respondent can hear, in survey order. */
export function voicePrompts(def: SurveyDefinition, lang: string): VoicePrompt[] {
  const title = textIn(def.title, lang, def);
  const consent = textIn(def.consent, lang, def);
  const out: VoicePrompt[] = [{ key: CONSENT_PROMPT, kind: "consent", text: [title, consent].filter(Boolean).join("\n") }];
  for (const q of def.questions) {
    const help = textIn(q.help, lang, def);
    out.push({ key: questionPrompt(q.id), kind: q.type === "info" ? "info" : "question", questionId: q.id, text: [textIn(q.label, lang, def), help].filter(Boolean).join("\n") });
    for (const o of q.options ?? []) out.push({ key: optionPrompt(q.id, o.code), kind: "option", questionId: q.id, code: o.code, text: textIn(o.label, lang, def) });
  }
  return out;
}

/** The prompt keys a definition has, for keeping only the voices a version can play. */
export function promptKeys(def: SurveyDefinition): Set<string> {
  return new Set(voicePrompts(def, def.defaultLanguage).map((p) => p.key));
}

/** Where a tablet or phone fetches a published clip: through its link, by content hash (cached for good). */
export const linkVoiceUrl = (token: string, hash: string) => `/api/v1/links/${encodeURIComponent(token)}/voices/${hash}`;

/** Voices by prompt, then language. */
export type VoiceIndex = Map<string, Map<string, BundledVoice>>;
export function indexVoices(voices: readonly BundledVoice[] | undefined): VoiceIndex {
  const index: VoiceIndex = new Map();
  for (const v of voices ?? []) {
    let byLang = index.get(v.prompt);
    if (!byLang) index.set(v.prompt, (byLang = new Map()));
    byLang.set(v.language, v);
  }
  return index;
}

/**
 * A clip's name: the first 128 bits of its SHA-256, in hex. Half the full hash keeps the link's bundle small
 * (it travels in the collection page, where every kilobyte counts on slow networks) and is still far beyond
 * any chance of two clips of one survey colliding.
 */
export const CLIP_HASH = /^[0-9a-f]{32}$/;
