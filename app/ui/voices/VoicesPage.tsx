// The Voices page's view: the survey's prompts in one language, each with its voice control, the
// sizes, and publishing. Words come from the page's loader (i18n/staff/voices.ts).
import { Form, Link, useActionData, useFetcher, useNavigation, useRouteLoaderData } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useFormats, useWords } from "~/i18n/staff";
import type { VoicesWords } from "~/i18n/staff/voices";
import type { Translate } from "~/i18n/core";
import type { Language } from "~/survey/definition";
import type { VoicePrompt, VoiceRef } from "~/voices/prompts";
import { CsrfField, Notice } from "~/ui/forms";
import { MAX_RECORDING_SECONDS, recordingType, startRecording, type Recording } from "./recorder";

export interface VoicesPageData {
  survey: { id: string; title: string; latestVersion: number; hasDraft: boolean };
  languages: (Language & { recorded: number })[];
  lang: string;
  prompts: (VoicePrompt & { voice: VoiceRef | null })[];
  setBytes: number;
  published: { count: number; bytes: number };
  changed: boolean;
  limits: { clip: number; set: number };
}

type ActionResult = { ok: false; field: string; error: string } | { ok: true; notice?: string; published?: number };

/** Bytes as the page's language writes them: KB under a megabyte, MB with one decimal above. */
export function useSize(t: Translate<VoicesWords>) {
  const f = useFormats();
  return (bytes: number) =>
    bytes >= 1024 * 1024 ? t("mb", { n: f.number(Math.round((bytes / 1024 / 1024) * 10) / 10) }) : t("kb", { n: f.number(Math.max(bytes > 0 ? 1 : 0, Math.round(bytes / 1024))) });
}

export function VoicesPage({ words, page }: { words: VoicesWords; page: VoicesPageData }) {
  const t = useWords(words);
  const size = useSize(t);
  const result = useActionData() as ActionResult | undefined;
  const busy = useNavigation().state !== "idle";
  const { survey } = page;
  const lang = page.languages.find((l) => l.code === page.lang)!;
  const next = survey.latestVersion + 1;
  return (
    <div className="voices-page">
      <p className="breadcrumbs">
        <Link to={`/surveys/${survey.id}`}>{survey.title}</Link> ›
      </p>
      <h1>{t("heading")}</h1>
      <p className="lede">{t("lede")}</p>
      {result && !result.ok ? (
        <Notice kind="error">
          <p data-field={result.field}>{result.error}</p>
        </Notice>
      ) : null}
      {result?.ok && result.notice ? (
        <Notice kind="success">
          <p>{result.notice}</p>
        </Notice>
      ) : null}
      <nav className="voice-languages" aria-label={t("languageNav")}>
        {page.languages.map((l) => (
          <Link key={l.code} to={`?lang=${encodeURIComponent(l.code)}`} aria-current={l.code === page.lang ? "page" : undefined} lang={l.code} dir={l.direction} className="voice-language">
            {l.name} <span className="voice-language-count">{l.recorded}</span>
          </Link>
        ))}
      </nav>
      <section className="card voice-summary" aria-label={t("heading")}>
        <p>
          <strong>{t("recordedCount", { n: page.prompts.filter((p) => p.voice).length, total: page.prompts.length, language: lang.name })}</strong>
        </p>
        <p data-testid="voice-set-size">{t("setSize", { size: size(page.setBytes), limit: size(page.limits.set), clipLimit: size(page.limits.clip) })}</p>
        {survey.latestVersion > 0 ? (
          <p>
            {t("versionCarries", { version: survey.latestVersion, n: page.published.count, size: size(page.published.bytes) })}{" "}
            {page.changed ? t("changedSince", { version: survey.latestVersion }) : t("sameAsPublished", { version: survey.latestVersion })}
          </p>
        ) : (
          <p>{t("notPublished")}</p>
        )}
        {page.changed && survey.latestVersion > 0 ? (
          survey.hasDraft ? (
            <p className="hint">{t("draftInEditor")}</p>
          ) : (
            <Form method="post">
              <CsrfField />
              <button type="submit" name="intent" value="publish" className="primary" disabled={busy}>
                {t("publishVoices", { version: next })}
              </button>
            </Form>
          )
        ) : null}
      </section>
      <ol className="voice-list">
        {page.prompts.map((p) => (
          <li key={`${page.lang}|${p.key}`} className={`voice-row voice-row--${p.kind}`} data-prompt={p.key}>
            <VoiceControl t={t} size={size} surveyId={survey.id} lang={lang} prompt={p} />
          </li>
        ))}
      </ol>
    </div>
  );
}

function promptName(t: Translate<VoicesWords>, p: VoicePrompt): string {
  if (p.kind === "consent") return t("consent");
  if (p.kind === "option") return t("option", { code: p.code ?? "" });
  return t(p.kind, { id: p.questionId ?? "" });
}

function VoiceControl(props: { t: Translate<VoicesWords>; size: (n: number) => string; surveyId: string; lang: Language; prompt: VoicePrompt & { voice: VoiceRef | null } }) {
  const { t, prompt, lang } = props;
  const fetcher = useFetcher<ActionResult>();
  const csrf = useRouteLoaderData<{ csrf: string }>("root")?.csrf ?? "";
  const [recording, setRecording] = useState<Recording | null>(null);
  const [seconds, setSeconds] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);
  const [canRecord, setCanRecord] = useState<boolean | null>(null);
  const [playing, setPlaying] = useState(false);
  const audio = useRef<HTMLAudioElement>(null);
  useEffect(() => setCanRecord(recordingType() !== null), []);
  const what = `${promptName(t, prompt)}: ${prompt.text.split("\n")[0]}`;
  const saving = fetcher.state !== "idle";
  const voice = prompt.voice;

  const send = (fields: Record<string, string | File>) => {
    const fd = new FormData();
    fd.set("csrf", csrf);
    fd.set("prompt", prompt.key);
    fd.set("lang", lang.code);
    for (const [k, v] of Object.entries(fields)) fd.set(k, v);
    setProblem(null);
    fetcher.submit(fd, { method: "post", encType: "multipart/form-data" });
  };

  // A recording stops by itself at the longest a clip may last.
  useEffect(() => {
    if (!recording) return;
    const started = Date.now();
    const timer = window.setInterval(() => {
      const s = Math.floor((Date.now() - started) / 1000);
      setSeconds(s);
      if (s >= MAX_RECORDING_SECONDS) void stop();
    }, 250);
    return () => window.clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [recording]);

  const record = async () => {
    const type = recordingType();
    if (!type) return setProblem(t("cannotRecord"));
    try {
      setSeconds(0);
      setRecording(await startRecording(type));
    } catch (e) {
      setProblem(t("microphoneRefused", { reason: e instanceof Error ? e.message || e.name : String(e) }));
    }
  };
  const stop = async () => {
    if (!recording) return;
    const file = await recording.stop();
    setRecording(null);
    send({ intent: "upload", file });
  };
  useEffect(() => () => recording?.cancel(), [recording]);

  const play = () => {
    const el = audio.current;
    if (!el) return;
    if (!el.paused) {
      el.pause();
      el.currentTime = 0;
      return;
    }
    void el.play().catch(() => setPlaying(false));
  };

  const error = problem ?? (fetcher.data && !fetcher.data.ok ? fetcher.data.error : null);
  const inputId = `voice-file-${lang.code}-${prompt.key}`;
  return (
    <div className="voice-control">
      <div className="voice-text">
        <p className="voice-kind">{promptName(t, prompt)}</p>
        <p className="voice-prompt" lang={lang.code} dir={lang.direction}>
          {prompt.text}
        </p>
      </div>
      <div className="voice-actions">
        <p className="voice-status" role="status">
          {recording ? t("recording", { seconds }) : saving ? t("saving") : voice ? props.size(voice.size) : t("noVoice")}
        </p>
        {canRecord === false ? null : recording ? (
          <button type="button" className="danger voice-button" onClick={() => void stop()} aria-label={`${t("stop")}: ${what}`}>
            <span aria-hidden="true">■</span> {t("stop")}
          </button>
        ) : (
          <button type="button" className="secondary voice-button" onClick={() => void record()} disabled={saving} aria-label={t("recordLabel", { what })}>
            <span aria-hidden="true">●</span> {t("record")}
          </button>
        )}
        {voice ? (
          <>
            <button type="button" className="secondary voice-button" onClick={play} disabled={Boolean(recording)} aria-label={t("playLabel", { what })} aria-pressed={playing}>
              <span aria-hidden="true">{playing ? "■" : "▶"}</span> {playing ? t("stop") : t("play")}
            </button>
            <audio
              ref={audio}
              src={`/surveys/${props.surveyId}/voice-clips/${voice.hash}`}
              preload="none"
              onPlay={() => setPlaying(true)}
              onPause={() => setPlaying(false)}
              onEnded={() => setPlaying(false)}
            />
            <button type="button" className="secondary voice-button" onClick={() => send({ intent: "remove" })} disabled={saving || Boolean(recording)} aria-label={t("removeLabel", { what })}>
              {t("remove")}
            </button>
          </>
        ) : null}
        <label className="button secondary voice-button voice-upload" htmlFor={inputId}>
          {t("upload")}
          <input
            id={inputId}
            type="file"
            accept="audio/webm,audio/ogg,audio/mpeg,audio/mp4,audio/aac,audio/wav,.webm,.ogg,.opus,.mp3,.m4a,.aac,.wav"
            className="visually-hidden"
            aria-label={t("uploadLabel", { what })}
            disabled={saving || Boolean(recording)}
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              e.currentTarget.value = "";
              if (file) send({ intent: "upload", file });
            }}
          />
        </label>
      </div>
      {error ? (
        <p className="voice-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
