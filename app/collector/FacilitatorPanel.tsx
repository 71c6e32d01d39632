// The facilitator's side of a kiosk tablet: how many responses are queued, sent and not accepted,
// one line on the offline copy and storage, installing as an app, the focus-group session (start, end, notes), and saving the
// queue to a file. Counts only: it never shows a respondent's answers, nor what the server said
// about one (its messages can quote answers); the file holds them sealed, with those messages.
// It speaks the facilitator's language (the browser's, see panel-words.ts); the server's own
// messages about a link or a wait are quoted as they came.
import { useMemo, useState } from "react";
import type { CollectorEnv } from "./Collector";
import { newId, today } from "./device";
import { downloadQueue } from "./queue-file";
import { saveSession, type Arming, type StoredSession } from "./store";
import { promptInstall, useInstallWay } from "./install";
import { panelLanguage, panelTranslator, type PanelTranslate } from "./panel-words";
import { directionOf } from "~/i18n/core";
import type { OutgoingSession } from "./types";

interface Props {
  env: CollectorEnv;
  /** What arming left on this tablet: its name and the programme's facilitators (null: not armed, or a link without PIN). */
  arming: Arming | null;
  sessions: StoredSession[];
  active: StoredSession | null;
  /** A message from what brought the facilitator here (arming). */
  notice?: string | null;
  onSessionsChanged: () => Promise<unknown>;
  onHandOver: () => void;
}

/** In a right-to-left panel, typed (often Latin) names set apart so their direction cannot reorder the sentence. */
const isolateIn = (dir: "ltr" | "rtl") => (text: string) => (dir === "rtl" ? `\u2068${text}\u2069` : text);

export function FacilitatorPanel(props: Props) {
  const { env, active } = props;
  const { bundle } = env;
  const title = bundle.survey.definition.title[bundle.survey.definition.defaultLanguage] ?? "";
  const [message, setMessage] = useState<string | null>(props.notice ?? null);
  const lang = useMemo(
    () => panelLanguage(typeof navigator === "undefined" ? [] : (navigator.languages ?? [navigator.language]), bundle.survey.definition.defaultLanguage),
    [bundle.survey.definition.defaultLanguage],
  );
  const t = useMemo(() => panelTranslator(lang), [lang]);
  const isolate = isolateIn(directionOf(lang));

  const store = async (s: OutgoingSession, isActive: boolean) => {
    await saveSession(env.token, { ...s, updatedAt: new Date().toISOString() }, isActive);
    await props.onSessionsChanged();
    await env.sync.refresh();
    void env.sync.sync();
  };

  return (
    <div className="panel" lang={lang} dir={directionOf(lang)} data-view="panel">
      <header className="panel-head">
        <h1>{t("panelTitle")}</h1>
        <p>
          {t("panelHead", { title: isolate(title), version: String(env.survey.version), link: isolate(bundle.link.label) })}
          {props.arming?.deviceName ? ` · ${t("tablet", { name: isolate(props.arming.deviceName) })}` : null}
        </p>
      </header>
      <DeviceStatus env={env} t={t} />
      <LinkWarning env={env} t={t} />
      {message ? (
        <p className="panel-notice" role="status">
          {message}
        </p>
      ) : null}
      <InstallCard env={env} t={t} />
      <SyncCard env={env} onMessage={setMessage} t={t} lang={lang} />
      {active ? (
        <ActiveSession env={env} session={active} onSave={store} onHandOver={props.onHandOver} t={t} />
      ) : (
        <StartSession env={env} arming={props.arming} t={t} onStart={(s) => store(s, true).then(() => setMessage(t("sessionStarted")))} />
      )}
      <PastSessions sessions={props.sessions.filter((s) => !s.active)} env={env} onSave={store} t={t} />
    </div>
  );
}

/** Problems with the link itself (revoked, expired): the answers stay here, and what to do about it. */
function LinkWarning({ env, t }: { env: CollectorEnv; t: PanelTranslate }) {
  const state = env.sync.state;
  const linkProblem = state.kind === "link-problem" ? state.message : env.problem?.message;
  if (!linkProblem) return null;
  return (
    <p className="panel-warning" role="alert" data-warning="link">
      {t("linkProblem", { problem: linkProblem })}
    </p>
  );
}

/** One line on what the browser really reports: is there an offline copy, and is storage persistent. */
function DeviceStatus({ env, t }: { env: CollectorEnv; t: PanelTranslate }) {
  const offline = t(
    ({ pending: "offlinePending", ready: "offlineReady", "not-secure": "offlineNotSecure", unsupported: "offlineUnsupported", failed: "offlineFailed" } as const)[env.offlineReady],
  );
  const storage =
    env.persistence === null
      ? null
      : t(({ persistent: "storagePersistent", refused: "storageRefused", unsupported: "storageUnsupported" } as const)[env.persistence]);
  const good = env.offlineReady === "ready" && env.persistence === "persistent";
  const bad = (env.offlineReady !== "ready" && env.offlineReady !== "pending") || (env.persistence !== null && env.persistence !== "persistent");
  return (
    <p
      className={`panel-device ${bad ? "panel-device--warn" : good ? "panel-device--ok" : ""}`}
      role="status"
      data-offline={env.offlineReady}
      data-storage={env.persistence ?? "pending"}
    >
      {bad ? "⚠ " : good ? "✓ " : ""}
      {storage ? `${offline} · ${storage}.` : `${offline}.`}
    </p>
  );
}

/** The browser's own install dialog where it offers one, the steps on iOS Safari, or that it is installed. */
function InstallCard({ env, t }: { env: CollectorEnv; t: PanelTranslate }) {
  const way = useInstallWay();
  // Plain http can install nothing that works offline (the status line says so); once installed, nothing to do.
  if (way === null || way === "installed" || env.offlineReady === "not-secure") return null;
  return (
    <section className="panel-card panel-install" aria-labelledby="install-h" data-install={way}>
      <h2 id="install-h">{t("installTitle")}</h2>
      {way === "prompt" ? (
        <>
          <p>{t("installPrompt")}</p>
          <button
            type="button"
            className="rf-button rf-button--primary"
            onClick={() => void promptInstall().then((accepted) => (accepted ? env.recheckPersistence() : undefined))}
          >
            {t("installButton")}
          </button>
        </>
      ) : null}
      {way === "ios" ? <p>{t("installIos")}</p> : null}
      {way === "none" ? <p className="hint">{t("installNone")}</p> : null}
    </section>
  );
}

function describe(t: PanelTranslate, lang: string, state: CollectorEnv["sync"]["state"], last: string | null): string {
  switch (state.kind) {
    case "syncing":
      return t("syncing");
    case "offline":
      return t("syncOffline");
    case "retry":
      return t("syncRetry", { message: state.message, n: Math.round(state.retryAfterMs / 1000) });
    case "link-problem":
      return t("syncNotSent", { message: state.message });
    default:
      return last ? t("syncUpToDate", { time: new Date(last).toLocaleTimeString(lang) }) : t("syncNever");
  }
}

function SyncCard({ env, onMessage, t, lang }: { env: CollectorEnv; onMessage: (m: string) => void; t: PanelTranslate; lang: string }) {
  const { counts, state, lastSyncAt } = env.sync;
  return (
    <section className="panel-card" aria-labelledby="sync-h">
      <h2 id="sync-h">{t("onTablet")}</h2>
      <dl className="panel-counts">
        <div>
          <dt>{t("waitingToSend")}</dt>
          <dd data-count="queued">{counts?.queued ?? "…"}</dd>
        </div>
        <div>
          <dt>{t("sent")}</dt>
          <dd data-count="sent">{counts?.sent ?? "…"}</dd>
        </div>
        <div>
          <dt>{t("needAttention")}</dt>
          <dd data-count="attention">{counts?.attention ?? "…"}</dd>
        </div>
      </dl>
      <p className="hint">{t("sealedHint")}</p>
      {counts && counts.otherPending > 0 ? <p className="hint">{t("alsoWaiting", { n: counts.otherPending })}</p> : null}
      <p className="panel-status" role="status" data-sync={state.kind}>
        {describe(t, lang, state, lastSyncAt)}
      </p>
      <div className="panel-actions">
        <button type="button" className="rf-button rf-button--secondary" onClick={() => void env.sync.sync(true)} disabled={state.kind === "syncing"}>
          {t("syncNow")}
        </button>
        <button
          type="button"
          className="rf-button rf-button--secondary"
          onClick={() => void downloadQueue(env.token, env.bundle.link.label).then((n) => onMessage(t("savedQueue", { n })))}
        >
          {t("saveQueue")}
        </button>
      </div>
      {counts && counts.attention > 0 ? (
        <div className="panel-attention">
          <h3>{t("attentionHeading", { n: counts.attention })}</h3>
          <p className="hint">{t("attentionHint")}</p>
          <button
            type="button"
            className="rf-button rf-button--secondary"
            onClick={() => void downloadQueue(env.token, `${env.bundle.link.label}-attention`, "attention").then((n) => onMessage(t("savedAttention", { n })))}
          >
            {t("saveThese")}
          </button>
        </div>
      ) : null}
    </section>
  );
}

function StartSession({ env, arming, onStart, t }: { env: CollectorEnv; arming: Arming | null; onStart: (s: OutgoingSession) => Promise<void>; t: PanelTranslate }) {
  const facilitators = arming?.facilitators ?? [];
  const { link, communities, rounds } = env.bundle;
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (k: string) => String(f.get(k) ?? "").trim();
    const count = text("participantCount");
    const n = count === "" ? null : Number(count);
    if (n !== null && (!Number.isInteger(n) || n < 0 || n > 10_000)) return setError(t("participantsError"));
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text("heldOn"))) return setError(t("dateError"));
    setError(null);
    await onStart({
      id: newId(),
      communityId: link.communityId ?? (text("communityId") || null),
      roundId: link.roundId ?? (text("roundId") || null),
      heldOn: text("heldOn"),
      groupDescription: text("groupDescription").slice(0, 200),
      groupPublic: f.get("groupPublic") === "on",
      participantCount: n,
      notes: "",
      updatedAt: new Date().toISOString(),
      ...(arming?.deviceName ? { deviceName: arming.deviceName } : {}),
      ...(text("facilitatorId") ? { facilitatorId: text("facilitatorId") } : {}),
    });
  };
  const bound = (id: string | null, list: { id: string; name: string }[]) => list.find((x) => x.id === id)?.name ?? "";
  return (
    <section className="panel-card" aria-labelledby="start-h">
      <h2 id="start-h">{t("startHeading")}</h2>
      <p className="hint">{t("startHint")}</p>
      <form onSubmit={submit} className="panel-form">
        <label>
          {t("community")}
          {link.communityId ? (
            <input value={bound(link.communityId, communities)} readOnly />
          ) : (
            <select name="communityId" defaultValue="">
              <option value="">Not recorded</option>
              {communities.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          )}
        </label>
        <label>
          {t("date")}
          <input type="date" name="heldOn" defaultValue={today()} required />
        </label>
        <label>
          {t("round")}
          {link.roundId ? (
            <input value={bound(link.roundId, rounds)} readOnly />
          ) : (
            <select name="roundId" defaultValue="">
              <option value="">Not recorded</option>
              {rounds.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          )}
        </label>
        {facilitators.length > 0 ? (
          <label>
            {t("facilitator")}
            <select name="facilitatorId" defaultValue={arming?.armedBy?.id ?? ""}>
              <option value="">{t("notRecorded")}</option>
              {facilitators.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label>
          {t("group")}
          <input name="groupDescription" maxLength={200} placeholder={t("groupPlaceholder")} autoComplete="off" />
        </label>
        <label className="panel-check">
          <input type="checkbox" name="groupPublic" /> {t("groupPublic")}
        </label>
        <label>
          {t("participants")}
          <input name="participantCount" type="number" min={0} max={10000} inputMode="numeric" />
        </label>
        {error ? (
          <p className="rf-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="rf-button rf-button--primary rf-button--wide">
          {t("startSession")}
        </button>
      </form>
    </section>
  );
}

function ActiveSession(props: { env: CollectorEnv; session: StoredSession; onSave: (s: OutgoingSession, active: boolean) => Promise<void>; onHandOver: () => void; t: PanelTranslate }) {
  const s = props.session.session;
  const { t } = props;
  const [ending, setEnding] = useState(false);
  const [notes, setNotes] = useState(s.notes);
  return (
    <section className="panel-card" aria-labelledby="active-h">
      <h2 id="active-h">{t("currentSession")}</h2>
      <p dir="auto">
        {s.heldOn} · {s.groupDescription || t("noGroup")} · {s.participantCount === null || s.participantCount === undefined ? t("participantsUnknown") : t("participantCount", { n: s.participantCount })}
      </p>
      <button type="button" className="rf-button rf-button--primary rf-button--wide" onClick={props.onHandOver}>
        {t("handOver")}
      </button>
      {ending ? (
        <form
          className="panel-form"
          onSubmit={(e) => {
            e.preventDefault();
            void props.onSave({ ...s, notes }, false);
          }}
        >
          <label>
            {t("discussionNotes")}
            <textarea value={notes} onChange={(e) => setNotes(e.target.value)} rows={5} maxLength={10_000} dir="auto" />
          </label>
          <button type="submit" className="rf-button rf-button--primary">
            {t("endAndSave")}
          </button>
        </form>
      ) : (
        <button type="button" className="rf-button rf-button--secondary" onClick={() => setEnding(true)}>
          {t("endSession")}
        </button>
      )}
    </section>
  );
}

function PastSessions(props: { sessions: StoredSession[]; env: CollectorEnv; onSave: (s: OutgoingSession, active: boolean) => Promise<void>; t: PanelTranslate }) {
  const { t } = props;
  if (props.sessions.length === 0) return null;
  return (
    <section className="panel-card" aria-labelledby="past-h">
      <h2 id="past-h">{t("earlierSessions")}</h2>
      <ul className="panel-sessions">
        {props.sessions.map((s) => (
          <PastSession key={s.id} stored={s} onSave={props.onSave} t={t} />
        ))}
      </ul>
    </section>
  );
}

function PastSession({ stored, onSave, t }: { stored: StoredSession; onSave: (s: OutgoingSession, active: boolean) => Promise<void>; t: PanelTranslate }) {
  const s = stored.session;
  const [notes, setNotes] = useState(s.notes);
  return (
    <li>
      <p dir="auto">
        {s.heldOn} · {s.groupDescription || t("noGroup")} {stored.dirty ? <span className="tag warn">{t("notSentYet")}</span> : null}
      </p>
      <form
        className="panel-form"
        onSubmit={(e) => {
          e.preventDefault();
          void onSave({ ...s, notes }, false);
        }}
      >
        <label>
          {t("notes")}
          <textarea value={notes} onChange={(e) => setNotes(e.target.value)} rows={3} maxLength={10_000} dir="auto" />
        </label>
        <button type="submit" className="rf-button rf-button--secondary" disabled={notes === s.notes}>
          {t("saveNotes")}
        </button>
      </form>
    </li>
  );
}
