// The collector's frame around the respondent flow: offline worker, persistent storage, sync, and
// the choice between kiosk (a facilitator's tablet passed around a focus group) and self-response.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { RespondentFlow, type CompletedResponse, type FlowProgress } from "../ui/respondent/RespondentFlow";
import { keepDraft, loadDraft } from "./draft";
import { askPersistence, cacheVoices, newId, prepareOfflineCopy, today, type OfflineCopy, type Persistence } from "./device";
import { indexVoices, linkVoiceUrl, type BundledVoice } from "../voices/prompts";
import { loadBundle, queueRefusal, queueResponse, saveBundle, sealLeftovers } from "./store";
import { useSync } from "./useSync";
import { fill, respondentWords } from "../i18n/respondent";
import { Kiosk } from "./Kiosk";
import type { LinkBundle } from "./types";

export interface Timings {
  idleWarnMs: number;
  idleResetMs: number;
  syncEveryMs: number;
}

/** Timings in seconds from the query string (?idleWarn=3&idleReset=2&syncEvery=5), for tests and trials. */
export function readTimings(url: URL): Timings {
  const ms = (name: string, fallback: number) => {
    const v = Number(url.searchParams.get(name));
    return Number.isFinite(v) && v > 0 ? v * 1000 : fallback;
  };
  return { idleWarnMs: ms("idleWarn", 60_000), idleResetMs: ms("idleReset", 20_000), syncEveryMs: ms("syncEvery", 30_000) };
}

/** The link's current bundle from the API, or null when offline or refused. */
async function fetchBundle(token: string): Promise<LinkBundle | null> {
  try {
    const res = await fetch(`/api/v1/links/${encodeURIComponent(token)}`, { credentials: "omit", cache: "no-store" });
    return res.ok ? ((await res.json()) as LinkBundle) : null;
  } catch {
    return null;
  }
}

export interface CollectorEnv {
  token: string;
  bundle: LinkBundle;
  problem: { status: number; message: string } | null;
  timings: Timings;
  sync: ReturnType<typeof useSync>;
  offlineReady: "pending" | OfflineCopy;
  persistence: Persistence | null;
  /** Asks for persistent storage again (browsers grant it to installed apps). */
  recheckPersistence: () => Promise<void>;
  /** The survey version respondents see; a newer one is adopted between respondents only. */
  survey: LinkBundle["survey"];
  /** A newer version is on the device, waiting for a moment when no respondent is mid-survey. */
  newerVersion: number | null;
  adoptLatest: () => void;
  saveResponse: (r: CompletedResponse, sessionId?: string) => Promise<void>;
  saveRefusal: (sessionId: string | null) => Promise<void>;
  /** The address of a prompt's recorded voice in the version respondents see, or null. */
  voiceFor: (prompt: string, language: string) => string | null;
}

export function Collector(props: { token: string; bundle: LinkBundle; problem: CollectorEnv["problem"]; timings: Timings }) {
  const { token, bundle } = props;
  const sync = useSync(token, props.timings.syncEveryMs);
  const [offlineReady, setOfflineReady] = useState<CollectorEnv["offlineReady"]>("pending");
  const [persistence, setPersistence] = useState<Persistence | null>(null);
  const recheckPersistence = useCallback(() => askPersistence().then(setPersistence), []);
  useEffect(() => {
    void prepareOfflineCopy((bundle.voices ?? []).map((v) => linkVoiceUrl(token, v.hash))).then(setOfflineReady);
    void recheckPersistence();
    // Installing the app is what makes most browsers grant persistence: ask again right after.
    const installed = () => void recheckPersistence();
    window.addEventListener("appinstalled", installed);
    return () => window.removeEventListener("appinstalled", installed);
    // The bundle the page opened with is the one whose voices are copied.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [recheckPersistence]);

  const [survey, setSurvey] = useState(bundle.survey);
  const latest = useRef(bundle.survey);
  // The voices travel with their version: adopted together, between respondents.
  const [voices, setVoices] = useState<BundledVoice[]>(bundle.voices ?? []);
  const latestVoices = useRef<BundledVoice[]>(bundle.voices ?? []);
  const [newerVersion, setNewerVersion] = useState<number | null>(null);
  const adoptLatest = useCallback(() => {
    setSurvey(latest.current);
    setVoices(latestVoices.current);
    setNewerVersion(null);
  }, []);
  const voiceFor = useMemo(() => {
    const index = indexVoices(voices);
    return (prompt: string, language: string) => {
      const v = index.get(prompt)?.get(language);
      return v ? linkVoiceUrl(token, v.hash) : null;
    };
  }, [voices, token]);

  // Whenever the server is reachable (back online, or a sync went through), look for a newer survey
  // version. Fetched directly rather than by revalidating the route, so a network that is not quite
  // back yet cannot turn into an error page.
  const checkForUpdate = useCallback(async () => {
    const fresh = await fetchBundle(token);
    if (!fresh) return;
    await saveBundle(token, fresh);
    const stored = await loadBundle(token);
    if (stored && stored.survey.version !== latest.current.version) {
      // Its voices into the offline copy first, so the version plays them from its first respondent.
      await cacheVoices((stored.voices ?? []).map((v) => linkVoiceUrl(token, v.hash)));
      latest.current = stored.survey;
      latestVoices.current = stored.voices ?? [];
      setNewerVersion(stored.survey.version);
    }
  }, [token]);
  useEffect(() => {
    const on = () => void checkForUpdate();
    window.addEventListener("online", on);
    return () => window.removeEventListener("online", on);
  }, [checkForUpdate]);
  useEffect(() => {
    if (sync.lastSyncAt) void checkForUpdate();
  }, [sync.lastSyncAt, checkForUpdate]);

  const { refresh, sync: runSync } = sync;
  useEffect(() => {
    if (bundle.sealing) void sealLeftovers(token, bundle.sealing);
  }, [token, bundle.sealing]);
  const saveResponse = useCallback(
    async (r: CompletedResponse, sessionId?: string) => {
      // Resolves only once the outbox transaction has completed: the thank-you screen waits for it.
      // Sealed to the programme's key before it is written: the device never keeps it in clear.
      await queueResponse(token, bundle.sealing, {
        id: newId(),
        surveyVersion: survey.version,
        collectedAt: r.completedAt,
        language: r.language,
        ...(sessionId ? { sessionId } : {}),
        answers: r.answers,
      });
      void refresh().then(() => runSync());
    },
    [token, bundle.sealing, survey.version, refresh, runSync],
  );
  const saveRefusal = useCallback(
    async (sessionId: string | null) => {
      await queueRefusal(token, { id: newId(), sessionId, recordedOn: today() });
      void refresh().then(() => runSync());
    },
    [token, refresh, runSync],
  );

  const env: CollectorEnv = { ...props, sync, offlineReady, persistence, recheckPersistence, survey, newerVersion, adoptLatest, saveResponse, saveRefusal, voiceFor };
  return (
    <div className="collector" data-offline-ready={offlineReady} data-survey-version={survey.version}>
      {bundle.link.mode === "kiosk" ? <Kiosk env={env} /> : <SelfResponse env={env} />}
    </div>
  );
}

/** A respondent on their own phone: no PIN, no session; the thank-you screen is the end. */
function SelfResponse({ env }: { env: CollectorEnv }) {
  const { counts } = env.sync;
  const def = env.survey.definition;
  const w = respondentWords(def.defaultLanguage);
  const { token } = env;
  const version = env.survey.version;
  // A phone is one person's: their answers so far are kept as they go, and a reload continues there.
  const [resume] = useState(() => loadDraft(token, version));
  const onProgress = useCallback((p: FlowProgress | null) => keepDraft(token, version, p), [token, version]);
  if (env.problem && env.problem.status !== 429) {
    return (
      <div className="collector-message">
        <h1>This survey is not collecting answers</h1>
        <p>{env.problem.message}</p>
      </div>
    );
  }
  return (
    <>
      <RespondentFlow
        definition={def}
        mode="self"
        resume={resume}
        onProgress={onProgress}
        onComplete={(r) => env.saveResponse(r)}
        onRefuse={() => env.saveRefusal(null)}
        voiceFor={env.voiceFor}
      />
      {counts && counts.queued > 0 ? (
        <p className="collector-footnote" role="status">
          {fill(w.waiting, { n: counts.queued }, def.defaultLanguage)}
        </p>
      ) : null}
    </>
  );
}
