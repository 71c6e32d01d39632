// The collector's frame around the respondent flow: offline worker, persistent storage, sync, and
// the choice between kiosk (a facilitator's tablet passed around a focus group) and self-response.
import { useCallback, useEffect, useRef, useState } from "react";
import { useRevalidator } from "@remix-run/react";
import { RespondentFlow, type CompletedResponse } from "../ui/respondent/RespondentFlow";
import { askPersistence, newId, registerWorker, today, type Persistence } from "./device";
import { queueRefusal, queueResponse } from "./store";
import { useSync } from "./useSync";
import { collectorWords } from "./strings";
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

export interface CollectorEnv {
  token: string;
  bundle: LinkBundle;
  problem: { status: number; message: string } | null;
  timings: Timings;
  sync: ReturnType<typeof useSync>;
  offlineReady: "pending" | "ready" | "unavailable";
  persistence: Persistence | null;
  secure: boolean;
  /** The survey version respondents see; a newer one is adopted between respondents only. */
  survey: LinkBundle["survey"];
  adoptLatest: () => void;
  saveResponse: (r: CompletedResponse, sessionId?: string) => Promise<void>;
  saveRefusal: (sessionId: string | null) => Promise<void>;
}

export function Collector(props: { token: string; bundle: LinkBundle; problem: CollectorEnv["problem"]; timings: Timings }) {
  const { token, bundle } = props;
  const sync = useSync(token, props.timings.syncEveryMs);
  const [offlineReady, setOfflineReady] = useState<CollectorEnv["offlineReady"]>("pending");
  const [persistence, setPersistence] = useState<Persistence | null>(null);
  const [secure, setSecure] = useState(true);
  useEffect(() => {
    setSecure(window.isSecureContext);
    void registerWorker().then((ok) => setOfflineReady(ok ? "ready" : "unavailable"));
    void askPersistence().then(setPersistence);
  }, []);

  const [survey, setSurvey] = useState(bundle.survey);
  const latest = useRef(bundle.survey);
  latest.current = bundle.survey;
  const adoptLatest = useCallback(() => setSurvey(latest.current), []);

  // Back online: look for a newer survey version (the loaders run again) as well as syncing.
  const revalidator = useRevalidator();
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;
  useEffect(() => {
    const on = () => revalidate.current();
    window.addEventListener("online", on);
    return () => window.removeEventListener("online", on);
  }, []);

  const { refresh, sync: runSync } = sync;
  const saveResponse = useCallback(
    async (r: CompletedResponse, sessionId?: string) => {
      // Resolves only once the outbox transaction has completed: the thank-you screen waits for it.
      await queueResponse(token, {
        id: newId(),
        surveyVersion: survey.version,
        collectedAt: r.completedAt,
        language: r.language,
        ...(sessionId ? { sessionId } : {}),
        answers: r.answers,
      });
      void refresh().then(() => runSync());
    },
    [token, survey.version, refresh, runSync],
  );
  const saveRefusal = useCallback(
    async (sessionId: string | null) => {
      await queueRefusal(token, { id: newId(), sessionId, recordedOn: today() });
      void refresh().then(() => runSync());
    },
    [token, refresh, runSync],
  );

  const env: CollectorEnv = { ...props, sync, offlineReady, persistence, secure, survey, adoptLatest, saveResponse, saveRefusal };
  return (
    <div className="collector" data-offline-ready={offlineReady}>
      {bundle.link.mode === "kiosk" ? <Kiosk env={env} /> : <SelfResponse env={env} />}
    </div>
  );
}

/** A respondent on their own phone: no PIN, no session; the thank-you screen is the end. */
function SelfResponse({ env }: { env: CollectorEnv }) {
  const { counts } = env.sync;
  const def = env.survey.definition;
  const w = collectorWords(def.defaultLanguage);
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
        onComplete={(r) => env.saveResponse(r)}
        onRefuse={() => env.saveRefusal(null)}
      />
      {counts && counts.queued > 0 ? (
        <p className="collector-footnote" role="status">
          {w.waiting.replace("{n}", String(counts.queued))}
        </p>
      ) : null}
    </>
  );
}
