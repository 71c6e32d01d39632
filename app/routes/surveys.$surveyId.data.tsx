// A survey's data page (facilitators and administrators): export raw responses and the codebook,
// import a CSV or a tablet's queue file as a job (dry run first, with live progress), and exclude
// or restore data.
import { useEffect } from "react";
import { Form, Link, useActionData, useFetcher, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { readForm } from "~/auth.server";
import { requireSurvey } from "~/survey-access.server";
import { getLatestVersion } from "~/models/surveys.server";
import { listCommunities } from "~/models/programmes.server";
import { listRounds } from "~/models/rounds.server";
import { listSessions } from "~/models/sessions-fg.server";
import {
  countResponses,
  exclude,
  ExclusionSchema,
  listExclusions,
  recentResponses,
  restore,
} from "~/models/exclusions.server";
import { EXCLUSION_REASONS } from "~/models/exclusion-reasons";
import { UnreadableWorkbook } from "~/exchange/decode";
import { FIXED_COLUMNS } from "~/exchange/layout";
import { ImportOptionError } from "~/exchange/import.server";
import {
  cancelImportJob,
  checkImportOptions,
  createImportJob,
  decideImportJob,
  discardImportJob,
  latestImportJob,
  wakeImportRunners,
  type ImportJob,
  type ImportOptions as JobOptions,
} from "~/exchange/import-jobs.server";
import { surveyLayout } from "~/exchange/export.server";
import { targetValue } from "~/exchange/match";
import { deleteUploadFile, receiveUpload, workbookAsCsv } from "~/exchange/uploads.server";
import { CsrfField, Field, Notice } from "~/ui/forms";
import { refuse } from "~/refusal.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Data · ${data?.survey.title ?? "Survey"} · Safety perception surveys` }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { viewer, survey } = await requireSurvey(request, context, params.surveyId!, "author");
  const [latest, communities, rounds, sessions, exclusions, recent, counts, job] = await Promise.all([
    getLatestVersion(context.db, survey.id),
    listCommunities(context.db, viewer, survey.programmeId),
    listRounds(context.db, survey.programmeId),
    listSessions(context.db, [survey.id]),
    listExclusions(context.db, survey.id),
    recentResponses(context.db, survey.id),
    countResponses(context.db, survey.id),
    latestImportJob(context.db, viewer.id, survey.id),
  ]);
  const layout = survey.latestVersion > 0 ? await surveyLayout(context.db, survey.id) : null;
  return {
    survey,
    languages: latest?.definition.languages ?? [],
    communities: communities.map((c) => ({ id: c.id, name: c.name })),
    rounds: rounds.map((r) => ({ id: r.id, name: r.name })),
    sessions,
    exclusions,
    recent,
    counts,
    job,
    targets: layout
      ? layout.questions.flatMap((q) => {
          if (q.type === "multiple") return q.options.map((o) => ({ value: targetValue({ kind: "option", question: q.id, code: o.code }), label: `${q.id} — option ${o.code}` }));
          if (q.type === "ranking")
            return Array.from({ length: q.positions }, (_, i) => ({ value: targetValue({ kind: "position", question: q.id, position: i + 1 }), label: `${q.id} — rank ${i + 1}` }));
          return [{ value: targetValue({ kind: "answer", question: q.id }), label: q.id }];
        })
      : [],
  };
}

const DELIMITERS: Record<string, string> = { ",": "comma-separated", ";": "semicolon-separated", "\t": "tab-separated", "|": "bar-separated" };
const delimiterName = (d: string) => DELIMITERS[d] ?? `separated by "${d}"`;

const optionsFrom = (get: (name: string) => string, entries: Iterable<[string, unknown]>): JobOptions => {
  const mapping: Record<number, string> = {};
  for (const [key, value] of entries) {
    const m = /^map\.(\d+)$/.exec(key);
    if (m && typeof value === "string" && value !== "") mapping[Number(m[1])] = value;
  }
  return { version: get("version"), collectedOn: get("collectedOn"), community: get("community"), round: get("round"), mapping };
};

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { viewer, survey } = await requireSurvey(request, context, params.surveyId!, "author");
  const page = `/surveys/${survey.id}/data`;
  if ((request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) {
    // An upload: the file goes to disk as it arrives, and becomes a job whose dry run starts now.
    const { fields, file } = await receiveUpload(request, context);
    const get = (name: string) => String(fields[name] ?? "").trim();
    if (!file) return data({ intent: "error", error: "Choose a CSV, Excel (.xlsx) or queue file to upload." }, { status: 400 });
    try {
      await workbookAsCsv(file);
    } catch (err) {
      deleteUploadFile(file.key);
      if (err instanceof UnreadableWorkbook) return data({ intent: "error", error: err.message, field: "file" }, { status: 400 });
      throw err;
    }
    const options = optionsFrom(get, Object.entries(fields));
    try {
      await checkImportOptions(context.db, survey.programmeId, options);
    } catch (err) {
      deleteUploadFile(file.key);
      // A default community or round of another programme: named, and nothing kept.
      if (err instanceof ImportOptionError) return data({ intent: "error", error: err.message, field: err.field }, { status: 400 });
      throw err;
    }
    await createImportJob(context.db, { surveyId: survey.id, programmeId: survey.programmeId, userId: viewer.id, file, options });
    wakeImportRunners();
    return redirect(page);
  }
  const form = await readForm(request, context);
  const intent = String(form.get("intent") ?? "");
  const text = (name: string) => String(form.get(name) ?? "").trim();

  if (intent === "import" || intent === "dry-run") {
    const options = optionsFrom(text, form.entries());
    try {
      await checkImportOptions(context.db, survey.programmeId, options);
    } catch (err) {
      if (err instanceof ImportOptionError) return data({ intent: "error", error: err.message, field: err.field }, { status: 400 });
      throw err;
    }
    if (!(await decideImportJob(context.db, viewer.id, survey.id, text("jobId"), intent, options)))
      return data({ intent: "error", error: "This upload is not waiting for a decision (it was imported, discarded or is not yours). Upload the file again." }, { status: 410 });
    wakeImportRunners();
    return redirect(page);
  }
  if (intent === "cancel") {
    if (!(await cancelImportJob(context.db, viewer.id, survey.id, text("jobId"))))
      return data({ intent: "error", error: "This import is not running (it ended, or is not yours)." }, { status: 410 });
    return redirect(page);
  }
  if (intent === "discard") {
    if (!(await discardImportJob(context.db, viewer.id, survey.id, text("jobId"))))
      return data({ intent: "error", error: "There is no such upload of yours to discard." }, { status: 404 });
    return { intent, ok: "The uploaded file was discarded; nothing was imported." };
  }
  if (intent === "exclude-response" || intent === "exclude-session") {
    const parsed = ExclusionSchema.safeParse({ reason: text("reason"), note: text("note") });
    if (!parsed.success) return data({ intent, error: parsed.error.issues[0].message }, { status: 400 });
    const what = intent === "exclude-session" ? { sessionId: text("sessionId") } : { responseId: text("responseId") };
    const n = await exclude(context.db, viewer, survey, what, parsed.data.reason, parsed.data.note);
    if (n === 0) return data({ intent, error: "Nothing to exclude: no counted response has this id in this survey." }, { status: 404 });
    return { intent, ok: `${n} response${n === 1 ? "" : "s"} left the figures and exports. They stay stored and can be restored below.` };
  }
  if (intent === "restore-response" || intent === "restore-session") {
    const what = intent === "restore-session" ? { sessionId: text("sessionId") } : { responseId: text("responseId") };
    const n = await restore(context.db, viewer, survey, what);
    return { intent, ok: `${n} response${n === 1 ? "" : "s"} restored to the figures.` };
  }
  throw refuse("refused.unknownAction", 400, { intent: String(intent) });
}

const when = (iso: string) => new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

function ReasonFields({ idPrefix }: { idPrefix: string }) {
  return (
    <div className="form-row">
      <div className="field">
        <label htmlFor={`${idPrefix}-reason`}>Reason</label>
        <select id={`${idPrefix}-reason`} name="reason" required defaultValue="">
          <option value="" disabled>
            Choose…
          </option>
          {Object.entries(EXCLUSION_REASONS).map(([code, label]) => (
            <option key={code} value={code}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-note`}>Note (needed for “Other”)</label>
        <input id={`${idPrefix}-note`} name="note" maxLength={500} />
      </div>
    </div>
  );
}

export default function SurveyData() {
  const { survey, languages, communities, rounds, sessions, exclusions, recent, counts, targets, job } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const active = job && ACTIVE.includes(job.state) ? (job as unknown as ImportJob) : null;
  const shown = job && !active && job.state !== "discarded" ? (job as unknown as ImportJob) : null;
  const message = result && "ok" in result ? result.ok : null;
  const error = result && "error" in result ? result.error : null;
  const api = `/api/v1/surveys/${survey.id}`;
  return (
    <>
      <p className="breadcrumbs">
        <Link to="/">Programmes</Link> › <Link to={`/programmes/${survey.programmeId}`}>{survey.programmeName}</Link> ›{" "}
        <Link to={`/surveys/${survey.id}`}>{survey.title}</Link> ›
      </p>
      <h1>Data in and out</h1>
      <p className="lede">
        {counts.total} responses stored, {counts.excluded} excluded from the figures. Raw responses are for the programme's facilitators and
        administrators only; every export is recorded in the audit log.
      </p>
      {message ? <Notice kind="success">{message}</Notice> : null}
      {error ? <Notice kind="error">{error}</Notice> : null}

      <section className="card" aria-labelledby="export-h">
        <h2 id="export-h">Export</h2>
        {survey.latestVersion === 0 ? (
          <p className="empty">Publish the survey first: there is nothing to export yet.</p>
        ) : (
          <>
            <form method="get" action={`${api}/responses.csv`} className="export-form">
              <div className="form-row">
                <div className="field">
                  <label htmlFor="export-labels">Answers as</label>
                  <select id="export-labels" name="labels" defaultValue="">
                    <option value="">Codes (for R, Stata, SPSS)</option>
                    {languages.map((l) => (
                      <option key={l.code} value={l.code}>
                        Labels in {l.name}
                      </option>
                    ))}
                  </select>
                </div>
                <div className="field checkbox-field">
                  <label>
                    <input type="checkbox" name="bom" value="1" /> For Excel (UTF-8 with byte-order mark)
                  </label>
                </div>
              </div>
              <button type="submit" className="primary">
                Download responses (CSV)
              </button>
            </form>
            <p className="hint">
              One row per response; excluded responses are left out. Columns: {FIXED_COLUMNS.join(", ")} (the session&apos;s tablet and facilitator),
              then one per question (multiple choice: one 0/1 column per option, named question/option; ranking: one per position).
            </p>
            <p>
              Codebook: <a href={`${api}/codebook.csv`}>CSV</a> · <a href={`${api}/codebook.json`}>JSON</a>
            </p>
          </>
        )}
      </section>

      <section className="card" aria-labelledby="import-h">
        <h2 id="import-h">Import</h2>
        {survey.latestVersion === 0 ? (
          <p className="empty">Publish the survey first.</p>
        ) : active || shown?.state === "checked" ? null : (
          <Form method="post" encType="multipart/form-data">
            <CsrfField />
            <p>
              A CSV from paper forms, a spreadsheet, KoboToolbox or ODK, one of this app's exports, or a tablet's saved queue (JSON). Columns are
              matched by question id or label; nothing is stored until you have seen the dry run. The server works through the file in the
              background: you can leave this page and come back.
            </p>
            <Field label="File" name="file">
              <input id="f-file" name="file" type="file" accept=".csv,.tsv,.txt,.json,.xlsx,text/csv,application/json,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required />
            </Field>
            <ImportOptions versions={survey.versions.map((v) => v.version)} communities={communities} rounds={rounds} values={{}} />
            <button type="submit" name="intent" value="upload" className="primary" disabled={busy}>
              Upload and check (dry run)
            </button>
          </Form>
        )}
        {active ? <JobProgress job={active} surveyId={survey.id} /> : null}
        {shown ? <ImportReportView job={shown} targets={targets} versions={survey.versions.map((v) => v.version)} communities={communities} rounds={rounds} /> : null}
      </section>

      <section className="card" aria-labelledby="exclude-h">
        <h2 id="exclude-h">Exclusions</h2>
        <p>
          Take a focus-group session or a single response out of the dashboards and exports (a test run, a facilitator's mistake, a duplicate found
          later). The data stay stored, and you can restore them.
        </p>
        <h3>Sessions</h3>
        {sessions.length === 0 ? (
          <p className="empty">No focus-group sessions yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Held on</th>
                  <th scope="col">Group</th>
                  <th scope="col">Community</th>
                  <th scope="col">Counted responses</th>
                  <th scope="col">Exclude</th>
                </tr>
              </thead>
              <tbody>
                {sessions.map((s) => (
                  <tr key={s.id}>
                    <td>{s.heldOn}</td>
                    <td>{s.groupDescription || <span className="muted">{s.linkLabel}</span>}</td>
                    <td>{s.communityName ?? "—"}</td>
                    <td>{s.responses}</td>
                    <td>
                      {s.responses > 0 ? (
                        <Form method="post" className="exclude-form">
                          <CsrfField />
                          <input type="hidden" name="sessionId" value={s.id} />
                          <ReasonFields idPrefix={`s-${s.id}`} />
                          <button type="submit" name="intent" value="exclude-session" className="danger small">
                            Exclude session
                          </button>
                        </Form>
                      ) : (
                        <span className="muted">nothing counted</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <h3>A single response</h3>
        <Form method="post" className="exclude-form">
          <CsrfField />
          <div className="field">
            <label htmlFor="exclude-response-id">Response id</label>
            <input id="exclude-response-id" name="responseId" required list="recent-responses" autoComplete="off" />
            <datalist id="recent-responses">
              {recent.map((r) => (
                <option key={r.id} value={r.id}>
                  {when(r.collectedAt)} · {r.community ?? "no community"} · {r.source}
                </option>
              ))}
            </datalist>
            <p className="hint">The id is the first column of the export (response_id).</p>
          </div>
          <ReasonFields idPrefix="r" />
          <button type="submit" name="intent" value="exclude-response" className="danger small">
            Exclude response
          </button>
        </Form>
        <h3>Excluded now</h3>
        {exclusions.length === 0 ? (
          <p className="empty">Nothing is excluded.</p>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">What</th>
                  <th scope="col">Reason</th>
                  <th scope="col">When, by whom</th>
                  <th scope="col">Restore</th>
                </tr>
              </thead>
              <tbody>
                {exclusions.map((e) => (
                  <tr key={`${e.kind}-${e.id}`}>
                    <td>
                      {e.kind === "session" ? `Session (${e.responses} responses)` : "Response"} <code className="id">{e.id.slice(0, 8)}</code>
                    </td>
                    <td>{e.reason}</td>
                    <td>
                      {when(e.excludedAt)} · {e.excludedBy}
                    </td>
                    <td>
                      <Form method="post">
                        <CsrfField />
                        <input type="hidden" name={e.kind === "session" ? "sessionId" : "responseId"} value={e.id} />
                        <button type="submit" name="intent" value={e.kind === "session" ? "restore-session" : "restore-response"} className="secondary small">
                          Restore
                        </button>
                      </Form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

function ImportOptions(props: {
  versions: number[];
  communities: { id: string; name: string }[];
  rounds: { id: string; name: string }[];
  values: Record<string, string>;
}) {
  const v = props.values;
  return (
    <div className="form-row">
      <div className="field">
        <label htmlFor="imp-version">Survey version (when the file has no survey_version column)</label>
        <select id="imp-version" name="version" defaultValue={v.version ?? ""}>
          <option value="">Latest</option>
          {props.versions.map((n) => (
            <option key={n} value={n}>
              Version {n}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="imp-date">Collected on (when the file has no date column)</label>
        <input id="imp-date" type="date" name="collectedOn" defaultValue={v.collectedOn ?? ""} />
      </div>
      <div className="field">
        <label htmlFor="imp-community">Community (rows without one)</label>
        <select id="imp-community" name="community" defaultValue={v.community ?? ""}>
          <option value="">None</option>
          {props.communities.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="imp-round">Round (rows without one)</label>
        <select id="imp-round" name="round" defaultValue={v.round ?? ""}>
          <option value="">None</option>
          {props.rounds.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

const META_TARGETS = [
  ["meta:id", "response id"],
  ["meta:collected_at", "collected at (date)"],
  ["meta:community", "community"],
  ["meta:round", "round"],
  ["meta:language", "language"],
  ["meta:session_id", "session id"],
  ["meta:survey_version", "survey version"],
] as const;

const ACTIVE: string[] = ["dry_run_queued", "checking", "import_queued", "importing"];

/** How far a job's step is (0–1), and about how long it still needs. */
function jobProgress(job: Pick<ImportJob, "step" | "rowsRead" | "rowsStored" | "rowsExpected" | "report" | "startedAt" | "updatedAt" | "state">) {
  // An import reads each window of the file, then stores its valid rows: both count.
  const expectedValid = job.step === "import" ? (job.report?.valid ?? 0) : 0;
  const raw = job.rowsExpected + expectedValid > 0 ? (job.rowsRead + (expectedValid > 0 ? job.rowsStored : 0)) / (job.rowsExpected + expectedValid) : 0;
  const fraction = Math.max(0, Math.min(1, raw));
  const elapsed = job.startedAt ? Date.parse(job.updatedAt) - Date.parse(job.startedAt) : 0;
  const leftMs = fraction > 0.01 && elapsed > 0 ? (elapsed * (1 - fraction)) / fraction : null;
  return { fraction, leftMs };
}

const count = (n: number) => n.toLocaleString("en-GB");
const duration = (ms: number) => (ms < 60_000 ? `${Math.max(1, Math.round(ms / 1000))} s` : `${Math.round(ms / 60_000)} min`);

/** The running job's progress bar, asked for again twice a second; the page reloads when the step ends. */
function JobProgress({ job: initial, surveyId }: { job: ImportJob; surveyId: string }) {
  const fetcher = useFetcher<ImportJob>();
  const revalidator = useRevalidator();
  const job = fetcher.data && fetcher.data.id === initial.id ? fetcher.data : initial;
  const url = `/surveys/${surveyId}/data/jobs/${initial.id}`;
  useEffect(() => {
    const timer = setInterval(() => {
      if (fetcher.state === "idle") fetcher.load(url);
    }, 500);
    return () => clearInterval(timer);
  }, [url, fetcher]);
  const ended = !ACTIVE.includes(job.state);
  useEffect(() => {
    if (ended && revalidator.state === "idle") revalidator.revalidate();
  }, [ended, revalidator]);
  const { fraction, leftMs } = jobProgress(job);
  const importing = job.step === "import";
  const queued = job.state === "dry_run_queued" || job.state === "import_queued";
  return (
    <div className="import-job" aria-live="polite">
      <h3>{importing ? `Importing “${job.fileName}”` : `Checking “${job.fileName}” (dry run)`}</h3>
      <progress className="import-progress" max={1} value={fraction} aria-label={importing ? "Import progress" : "Dry run progress"} />
      <ul className="report-counts">
        <li>
          <strong>{count(job.rowsRead)}</strong> rows read{job.rowsExpected ? ` of ${importing ? "" : "about "}${count(job.rowsExpected)}` : ""}
        </li>
        <li>
          <strong>{count(job.rowsValid)}</strong> valid
        </li>
        <li>
          <strong>{count(job.problems)}</strong> with problems so far
        </li>
        {importing ? (
          <li>
            <strong>{count(job.rowsStored)}</strong> stored
          </li>
        ) : null}
        <li>{queued ? "Waiting for the server…" : leftMs !== null ? `About ${duration(leftMs)} left` : "Starting…"}</li>
      </ul>
      {job.cancelRequested ? (
        <p>Cancelling after the current step…</p>
      ) : (
        <Form method="post">
          <CsrfField />
          <input type="hidden" name="jobId" value={job.id} />
          <button type="submit" name="intent" value="cancel" className="danger small">
            {importing ? "Cancel the import (rows stored so far stay)" : "Cancel the dry run"}
          </button>
        </Form>
      )}
    </div>
  );
}

function ImportReportView(props: {
  job: ImportJob;
  targets: { value: string; label: string }[];
  versions: number[];
  communities: { id: string; name: string }[];
  rounds: { id: string; name: string }[];
}) {
  const { job } = props;
  const report = job.report;
  const options: Record<string, string> = {
    version: job.options.version,
    collectedOn: job.options.collectedOn,
    community: job.options.community,
    round: job.options.round,
    ...Object.fromEntries(Object.entries(job.options.mapping).map(([k, v]) => [`map.${k}`, v])),
  };
  if (!report)
    return (
      <div className="import-report" aria-live="polite">
        <h3>{job.state === "cancelled" ? `Cancelled: “${job.fileName}”` : `The import of “${job.fileName}” failed`}</h3>
        {job.error ? <Notice kind="error">{job.error}</Notice> : <p>Nothing was imported.</p>}
        <DiscardForm jobId={job.id} label="Clear" />
      </div>
    );
  const dry = job.state === "checked";
  const heading =
    job.state === "checked"
      ? `Dry run of “${report.fileName}”`
      : job.state === "cancelled"
        ? `Cancelled: “${report.fileName}”`
        : job.state === "failed"
          ? `The import of “${report.fileName}” failed`
          : `Imported “${report.fileName}”`;
  return (
    <div className="import-report" aria-live="polite">
      <h3>{heading}</h3>
      {job.state === "failed" && job.error ? <Notice kind="error">{job.error}</Notice> : null}
      <ul className="report-counts">
        <li>
          <strong>{report.rows}</strong> rows read ({report.format === "queue" ? "tablet queue file" : /\.xlsx$/i.test(report.fileName) ? "Excel workbook, first sheet" : `CSV, ${report.encoding}${report.delimiter ? `, ${delimiterName(report.delimiter)}` : ""}`})
        </li>
        <li>
          <strong>{dry ? report.valid : (report.stored ?? report.valid)}</strong> {dry ? "can be imported" : "imported"}
        </li>
        <li>
          <strong>{report.duplicates}</strong> already stored (nothing added)
        </li>
        <li>
          <strong>{report.invalid + report.conflicts}</strong> with problems (not imported)
        </li>
      </ul>
      {report.notes.map((n) => (
        <Notice key={n}>{n}</Notice>
      ))}
      {report.problems.length ? (
        <>
          <h4>Problems{report.problemCount > report.problems.length ? ` (first ${report.problems.length} of ${report.problemCount})` : ""}</h4>
          <div className="table-wrap report-table">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Row</th>
                  <th scope="col">Column</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Detail</th>
                </tr>
              </thead>
              <tbody>
                {report.problems.map((p, i) => (
                  <tr key={i}>
                    <td>{p.row}</td>
                    <td>{p.column}</td>
                    <td>{p.reason}</td>
                    <td>{p.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
      {dry ? (
        <Form method="post">
          <CsrfField />
          <input type="hidden" name="jobId" value={job.id} />
          {report.format === "csv" && report.columns.length ? (
            <>
              <h4>Columns</h4>
              <div className="table-wrap">
                <table className="data">
                  <thead>
                    <tr>
                      <th scope="col">Column in the file</th>
                      <th scope="col">Matched</th>
                      <th scope="col">Goes to</th>
                    </tr>
                  </thead>
                  <tbody>
                    {report.columns.map((c) => {
                      return (
                        <tr key={c.index} className={c.target === null ? "unmatched" : undefined}>
                          <td>{c.header || <span className="muted">(no header)</span>}</td>
                          <td>{c.how}</td>
                          <td>
                            <label className="visually-hidden" htmlFor={`map-${c.index}`}>
                              Map column {c.header}
                            </label>
                            <select id={`map-${c.index}`} name={`map.${c.index}`} defaultValue={options[`map.${c.index}`] ?? ""}>
                              <option value="">{c.target === null ? "— not matched: choose —" : "(as matched)"}</option>
                              <option value="ignore">Ignore this column</option>
                              {META_TARGETS.map(([value, label]) => (
                                <option key={value} value={value}>
                                  {label}
                                </option>
                              ))}
                              {props.targets.map((t) => (
                                <option key={t.value} value={t.value}>
                                  {t.label}
                                </option>
                              ))}
                            </select>
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            </>
          ) : null}
          <ImportOptions versions={props.versions} communities={props.communities} rounds={props.rounds} values={options} />
          <div className="actions">
            <button type="submit" name="intent" value="import" className="primary" disabled={report.valid === 0}>
              Import the {report.valid} valid row{report.valid === 1 ? "" : "s"}
            </button>
            <button type="submit" name="intent" value="dry-run" className="secondary">
              Check again with this mapping
            </button>
            <button type="submit" name="intent" value="discard" className="danger" formNoValidate>
              Import nothing
            </button>
          </div>
        </Form>
      ) : (
        <DiscardForm jobId={job.id} label="Import another file" />
      )}
    </div>
  );
}

/** Clears a finished job from the page (the "Import nothing" of a dry run, too). */
function DiscardForm({ jobId, label }: { jobId: string; label: string }) {
  return (
    <Form method="post">
      <CsrfField />
      <input type="hidden" name="jobId" value={jobId} />
      <button type="submit" name="intent" value="discard" className="secondary small">
        {label}
      </button>
    </Form>
  );
}
