// The facilitator's side of a kiosk tablet: how many responses are queued, sent and not accepted,
// one line on the offline copy and storage, installing as an app, the focus-group session (start, end, notes), and saving the
// queue to a file. Counts only: it never shows a respondent's answers, nor what the server said
// about one (its messages can quote answers); the file holds them sealed, with those messages.
import { useState } from "react";
import type { CollectorEnv } from "./Collector";
import { newId, today } from "./device";
import { downloadQueue } from "./queue-file";
import { saveSession, type Arming, type StoredSession } from "./store";
import { promptInstall, useInstallWay } from "./install";
import { panelWords } from "./panel-words";
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

export function FacilitatorPanel(props: Props) {
  const { env, active } = props;
  const { bundle } = env;
  const title = bundle.survey.definition.title[bundle.survey.definition.defaultLanguage] ?? "";
  const [message, setMessage] = useState<string | null>(props.notice ?? null);

  const store = async (s: OutgoingSession, isActive: boolean) => {
    await saveSession(env.token, { ...s, updatedAt: new Date().toISOString() }, isActive);
    await props.onSessionsChanged();
    await env.sync.refresh();
    void env.sync.sync();
  };

  return (
    <div className="panel" lang="en" dir="ltr" data-view="panel">
      <header className="panel-head">
        <h1>Facilitator panel</h1>
        <p>
          {title} · version {env.survey.version} · link “{bundle.link.label}”
          {props.arming?.deviceName ? ` · ${panelWords("en").tablet.replace("{name}", props.arming.deviceName)}` : null}
        </p>
      </header>
      <DeviceStatus env={env} />
      <LinkWarning env={env} />
      {message ? (
        <p className="panel-notice" role="status">
          {message}
        </p>
      ) : null}
      <InstallCard env={env} />
      <SyncCard env={env} onMessage={setMessage} />
      {active ? (
        <ActiveSession env={env} session={active} onSave={store} onHandOver={props.onHandOver} />
      ) : (
        <StartSession env={env} arming={props.arming} onStart={(s) => store(s, true).then(() => setMessage("Session started. Hand the tablet over when ready."))} />
      )}
      <PastSessions sessions={props.sessions.filter((s) => !s.active)} env={env} onSave={store} />
    </div>
  );
}

/** Problems with the link itself (revoked, expired): the answers stay here, and what to do about it. */
function LinkWarning({ env }: { env: CollectorEnv }) {
  const state = env.sync.state;
  const linkProblem = state.kind === "link-problem" ? state.message : env.problem?.message;
  if (!linkProblem) return null;
  return (
    <p className="panel-warning" role="alert" data-warning="link">
      ⚠ This link cannot send responses: {linkProblem} Answers stay on the tablet; save the queue to a file and give it to the programme's
      administrator.
    </p>
  );
}

/** One line on what the browser really reports: is there an offline copy, and is storage persistent. */
function DeviceStatus({ env }: { env: CollectorEnv }) {
  const w = panelWords("en");
  const offline = {
    pending: w.offlinePending,
    ready: w.offlineReady,
    "not-secure": w.offlineNotSecure,
    unsupported: w.offlineUnsupported,
    failed: w.offlineFailed,
  }[env.offlineReady];
  const storage =
    env.persistence === null
      ? null
      : { persistent: w.storagePersistent, refused: w.storageRefused, unsupported: w.storageUnsupported }[env.persistence];
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
function InstallCard({ env }: { env: CollectorEnv }) {
  const way = useInstallWay();
  const w = panelWords("en");
  // Plain http can install nothing that works offline (the status line says so); once installed, nothing to do.
  if (way === null || way === "installed" || env.offlineReady === "not-secure") return null;
  return (
    <section className="panel-card panel-install" aria-labelledby="install-h" data-install={way}>
      <h2 id="install-h">{w.installTitle}</h2>
      {way === "prompt" ? (
        <>
          <p>{w.installPrompt}</p>
          <button
            type="button"
            className="rf-button rf-button--primary"
            onClick={() => void promptInstall().then((accepted) => (accepted ? env.recheckPersistence() : undefined))}
          >
            {w.installButton}
          </button>
        </>
      ) : null}
      {way === "ios" ? <p>{w.installIos}</p> : null}
      {way === "none" ? <p className="hint">{w.installNone}</p> : null}
    </section>
  );
}

function describe(state: CollectorEnv["sync"]["state"], last: string | null): string {
  switch (state.kind) {
    case "syncing":
      return "Sending…";
    case "offline":
      return "Offline: everything stays on this tablet and is sent when the network returns.";
    case "retry":
      return `The server asked to wait (${state.message}). Trying again in ${Math.round(state.retryAfterMs / 1000)} seconds.`;
    case "link-problem":
      return `Not sent: ${state.message}`;
    default:
      return last ? `Up to date at ${new Date(last).toLocaleTimeString()}.` : "Not synced yet.";
  }
}

function SyncCard({ env, onMessage }: { env: CollectorEnv; onMessage: (m: string) => void }) {
  const { counts, state, lastSyncAt } = env.sync;
  return (
    <section className="panel-card" aria-labelledby="sync-h">
      <h2 id="sync-h">Responses on this tablet</h2>
      <dl className="panel-counts">
        <div>
          <dt>Waiting to send</dt>
          <dd data-count="queued">{counts?.queued ?? "…"}</dd>
        </div>
        <div>
          <dt>Sent</dt>
          <dd data-count="sent">{counts?.sent ?? "…"}</dd>
        </div>
        <div>
          <dt>Need attention</dt>
          <dd data-count="attention">{counts?.attention ?? "…"}</dd>
        </div>
      </dl>
      <p className="hint">Answers are sealed on this tablet the moment they are saved: only the programme's server can read them, not this panel or the files below.</p>
      {counts && counts.otherPending > 0 ? <p className="hint">Also waiting: {counts.otherPending} session or refusal record(s).</p> : null}
      <p className="panel-status" role="status" data-sync={state.kind}>
        {describe(state, lastSyncAt)}
      </p>
      <div className="panel-actions">
        <button type="button" className="rf-button rf-button--secondary" onClick={() => void env.sync.sync(true)} disabled={state.kind === "syncing"}>
          Sync now
        </button>
        <button
          type="button"
          className="rf-button rf-button--secondary"
          onClick={() => void downloadQueue(env.token, env.bundle.link.label).then((n) => onMessage(`Saved ${n} unsent response(s), sealed, to a file. They stay queued here too.`))}
        >
          Save queue to file
        </button>
      </div>
      {counts && counts.attention > 0 ? (
        <div className="panel-attention">
          <h3>Not accepted by the server: {counts.attention}</h3>
          <p className="hint">
            These responses are kept on this tablet, sealed. Save them to a file (it holds the server's messages too) and give it to the
            programme's administrator, who can look into them on the server.
          </p>
          <button
            type="button"
            className="rf-button rf-button--secondary"
            onClick={() => void downloadQueue(env.token, `${env.bundle.link.label}-attention`, "attention").then((n) => onMessage(`Saved ${n} response(s) needing attention to a file.`))}
          >
            Save these to a file
          </button>
        </div>
      ) : null}
    </section>
  );
}

function StartSession({ env, arming, onStart }: { env: CollectorEnv; arming: Arming | null; onStart: (s: OutgoingSession) => Promise<void> }) {
  const facilitators = arming?.facilitators ?? [];
  const pw = panelWords("en");
  const { link, communities, rounds } = env.bundle;
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (k: string) => String(f.get(k) ?? "").trim();
    const count = text("participantCount");
    const n = count === "" ? null : Number(count);
    if (n !== null && (!Number.isInteger(n) || n < 0 || n > 10_000)) return setError("The number of participants must be a whole number from 0 to 10000.");
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text("heldOn"))) return setError("Give the date of the session.");
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
      <h2 id="start-h">Start a focus-group session</h2>
      <p className="hint">Responses collected until you end the session belong to it. Do not write names.</p>
      <form onSubmit={submit} className="panel-form">
        <label>
          Community
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
          Date
          <input type="date" name="heldOn" defaultValue={today()} required />
        </label>
        <label>
          Round
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
            {pw.facilitator}
            <select name="facilitatorId" defaultValue={arming?.armedBy?.id ?? ""}>
              <option value="">{pw.notRecorded}</option>
              {facilitators.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label>
          Group
          <input name="groupDescription" maxLength={200} placeholder="e.g. women 18–35" autoComplete="off" />
        </label>
        <label className="panel-check">
          <input type="checkbox" name="groupPublic" /> Show the group to respondents (on the bar above their screens)
        </label>
        <label>
          Participants
          <input name="participantCount" type="number" min={0} max={10000} inputMode="numeric" />
        </label>
        {error ? (
          <p className="rf-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="rf-button rf-button--primary rf-button--wide">
          Start session
        </button>
      </form>
    </section>
  );
}

function ActiveSession(props: { env: CollectorEnv; session: StoredSession; onSave: (s: OutgoingSession, active: boolean) => Promise<void>; onHandOver: () => void }) {
  const s = props.session.session;
  const [ending, setEnding] = useState(false);
  const [notes, setNotes] = useState(s.notes);
  return (
    <section className="panel-card" aria-labelledby="active-h">
      <h2 id="active-h">Current session</h2>
      <p dir="auto">
        {s.heldOn} · {s.groupDescription || "no group description"} · {s.participantCount ?? "?"} participant(s)
      </p>
      <button type="button" className="rf-button rf-button--primary rf-button--wide" onClick={props.onHandOver}>
        Hand the tablet to respondents
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
            Notes from the discussion (no names)
            <textarea value={notes} onChange={(e) => setNotes(e.target.value)} rows={5} maxLength={10_000} dir="auto" />
          </label>
          <button type="submit" className="rf-button rf-button--primary">
            End the session and save notes
          </button>
        </form>
      ) : (
        <button type="button" className="rf-button rf-button--secondary" onClick={() => setEnding(true)}>
          End session…
        </button>
      )}
    </section>
  );
}

function PastSessions(props: { sessions: StoredSession[]; env: CollectorEnv; onSave: (s: OutgoingSession, active: boolean) => Promise<void> }) {
  if (props.sessions.length === 0) return null;
  return (
    <section className="panel-card" aria-labelledby="past-h">
      <h2 id="past-h">Earlier sessions on this tablet</h2>
      <ul className="panel-sessions">
        {props.sessions.map((s) => (
          <PastSession key={s.id} stored={s} onSave={props.onSave} />
        ))}
      </ul>
    </section>
  );
}

function PastSession({ stored, onSave }: { stored: StoredSession; onSave: (s: OutgoingSession, active: boolean) => Promise<void> }) {
  const s = stored.session;
  const [notes, setNotes] = useState(s.notes);
  return (
    <li>
      <p dir="auto">
        {s.heldOn} · {s.groupDescription || "no group description"} {stored.dirty ? <span className="tag warn">not sent yet</span> : null}
      </p>
      <form
        className="panel-form"
        onSubmit={(e) => {
          e.preventDefault();
          void onSave({ ...s, notes }, false);
        }}
      >
        <label>
          Notes
          <textarea value={notes} onChange={(e) => setNotes(e.target.value)} rows={3} maxLength={10_000} dir="auto" />
        </label>
        <button type="submit" className="rf-button rf-button--secondary" disabled={notes === s.notes}>
          Save notes
        </button>
      </form>
    </li>
  );
}
