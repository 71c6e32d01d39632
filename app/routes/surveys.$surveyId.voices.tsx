// The Voices page: every prompt of a survey in one language, each with its recorded voice (record,
// stop, play, remove, upload) and size, the total a tablet will download, and publishing them.
// Facilitators and administrators of the programme only; the bytes go to models/voices.server.ts.
import { useLoaderData } from "@remix-run/react";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { readForm } from "~/auth.server";
import { recordAudit } from "~/models/audit.server";
import { requireSurvey } from "~/survey-access.server";
import { wordsFor } from "~/i18n/staff.server";
import { voices as voicesCatalog } from "~/i18n/staff/voices";
import { discardDraft, draftOrLatest, getLatestVersion, publishDraft, saveDraft, type SurveyDetail } from "~/models/surveys.server";
import { removeVoice, saveVoice, setBytes, versionVoices, VoiceError, workingVoices } from "~/models/voices.server";
import { SurveyDefinitionSchema, type SurveyDefinition } from "~/survey/definition";
import { MAX_CLIP_BYTES, MAX_SURVEY_VOICE_BYTES, promptKeys, voicePrompts, type VoiceRef } from "~/voices/prompts";
import { VoicesPage, type VoicesPageData } from "~/ui/voices/VoicesPage";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.words.pageTitle ?? "Recorded voices" }];

async function surveyAndDefinition(request: Request, context: ActionFunctionArgs["context"], surveyId: string) {
  const { viewer, survey } = await requireSurvey(request, context, surveyId, "author");
  const w = await wordsFor(context.db, request, viewer.id, voicesCatalog);
  const parsed = SurveyDefinitionSchema.safeParse(await draftOrLatest(context.db, survey));
  if (!parsed.success) throw data({ message: w.t("notComplete") }, { status: 409 });
  return { viewer, survey, def: parsed.data, ...w };
}

/** The working set's voices that the definition can play (a deleted question's voice is not counted). */
function playable(def: SurveyDefinition, voices: VoiceRef[]): VoiceRef[] {
  const keys = promptKeys(def);
  const languages = new Set(def.languages.map((l) => l.code));
  return voices.filter((v) => keys.has(v.prompt) && languages.has(v.language));
}

const setKey = (voices: VoiceRef[]) =>
  voices
    .map((v) => `${v.prompt}|${v.language}|${v.hash}`)
    .sort()
    .join("\n");

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { survey, def, words } = await surveyAndDefinition(request, context, params.surveyId!);
  const asked = new URL(request.url).searchParams.get("lang");
  const lang = def.languages.find((l) => l.code === asked) ?? def.languages.find((l) => l.code === def.defaultLanguage) ?? def.languages[0];
  const working = playable(def, await workingVoices(context.db, survey.id));
  const published = survey.latestVersion > 0 ? await versionVoices(context.db, survey.id, survey.latestVersion) : [];
  const page: VoicesPageData = {
    survey: { id: survey.id, title: survey.title, latestVersion: survey.latestVersion, hasDraft: survey.hasDraft },
    languages: def.languages.map((l) => ({ ...l, recorded: working.filter((v) => v.language === l.code).length })),
    lang: lang.code,
    prompts: voicePrompts(def, lang.code).map((p) => ({ ...p, voice: working.find((v) => v.prompt === p.key && v.language === lang.code) ?? null })),
    setBytes: setBytes(working),
    published: { count: published.length, bytes: setBytes(published) },
    changed: setKey(working) !== setKey(published),
    limits: { clip: MAX_CLIP_BYTES, set: MAX_SURVEY_VOICE_BYTES },
  };
  return { words, page };
}

function fieldError(status: 400 | 409 | 413, field: string, error: string) {
  return data({ ok: false as const, field, error }, { status });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { viewer, survey, def, t } = await surveyAndDefinition(request, context, params.surveyId!);
  const form = await readForm(request, context);
  const intent = form.get("intent");
  if (intent === "publish") {
    const published = await publishVoices(context.db, survey, viewer.id, t);
    // Written like a publication from the editor: a new version is a new version, whatever changed.
    if ("published" in published && published.published)
      await recordAudit(context.db, viewer, { action: "survey.publish", programmeId: survey.programmeId, surveyId: survey.id, target: `survey "${survey.title}"`, details: { version: published.published, from: "voices" } });
    return published;
  }
  const prompt = String(form.get("prompt") ?? "");
  const lang = String(form.get("lang") ?? "");
  if (!def.languages.some((l) => l.code === lang)) return fieldError(400, "lang", t("unknownLanguage", { languages: def.languages.map((l) => l.code).join(", ") }));
  if (!promptKeys(def).has(prompt)) return fieldError(400, "prompt", t("unknownPrompt", { prompt }));
  if (intent === "remove") {
    await removeVoice(context.db, survey.id, prompt, lang);
    return { ok: true as const, prompt, lang, voice: null };
  }
  if (intent === "upload") {
    const file = form.get("file");
    if (!(file instanceof File)) return fieldError(400, "file", t("noFile"));
    try {
      const voice = await saveVoice(context.db, { surveyId: survey.id, prompt, language: lang, contentType: file.type, bytes: new Uint8Array(await file.arrayBuffer()), userId: viewer.id });
      return { ok: true as const, prompt, lang, voice };
    } catch (e) {
      if (e instanceof VoiceError) return fieldError(e.status, e.field, e.message);
      throw e;
    }
  }
  throw data({ message: `Unknown action "${String(intent)}".` }, { status: 400 });
}

/**
 * Publishing from here: the latest version again, as the next version, with the voices as they are.
 * Only without a draft: a draft in the editor is published there (and takes the voices with it).
 */
async function publishVoices(db: ActionFunctionArgs["context"]["db"], survey: SurveyDetail, userId: string, t: Awaited<ReturnType<typeof surveyAndDefinition>>["t"]) {
  if (survey.hasDraft) return fieldError(409, "intent", t("draftInEditor"));
  const latest = await getLatestVersion(db, survey.id);
  if (!latest) return fieldError(409, "intent", t("draftInEditor"));
  await saveDraft(db, survey.id, latest.definition, userId);
  // The same definition as the latest version: nothing to compare, and any translation gaps were accepted then.
  const result = await publishDraft(db, survey.id, userId, { acceptTranslationGaps: true });
  if (!result.ok) {
    await discardDraft(db, survey.id);
    return fieldError(409, "intent", "errors" in result ? result.errors.map((e) => e.message).join(" ") : "");
  }
  return { ok: true as const, published: result.version, notice: t("published", { version: result.version }) };
}

export default function Voices() {
  const { words, page } = useLoaderData<typeof loader>();
  return <VoicesPage words={words} page={page} />;
}
