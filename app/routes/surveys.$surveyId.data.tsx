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
import { collectorCounts, type CollectorCount } from "~/models/collectors";
import { wordsFor } from "~/i18n/staff.server";
import { dataPage, type DataWords } from "~/i18n/staff/data";
import { useFormats, useWords } from "~/i18n/staff";
import type { Translate } from "~/i18n/core";

type T = Translate<DataWords>;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? data.words.pageTitle.replace("{title}", data.survey.title) : "Data" }];

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
  const { words, t } = await wordsFor(context.db, request, viewer.id, dataPage);
  return {
    words,
    collectors: collectorCounts(sessions),
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
          if (q.type === "multiple") return q.options.map((o) => ({ value: targetValue({ kind: "option", question: q.id, code: o.code }), label: t("optionOf", { question: q.id, code: o.code }) }));
          if (q.type === "ranking")
            return Array.from({ length: q.positions }, (_, i) => ({ value: targetValue({ kind: "position", question: q.id, position: i + 1 }), label: t("rankOf", { question: q.id, n: i + 1 }) }));
          return [{ value: targetValue({ kind: "answer", question: q.id }), label: q.id }];
        })
      : [],
  };
}

const DELIMITERS: Record<string, keyof DataWords> = { ",": "comma", ";": "semicolon", "\t": "tab", "|": "bar" };
const delimiterName = (t: T, d: string) => (DELIMITERS[d] ? t(DELIMITERS[d]) : t("otherDelimiter", { d }));

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
  const { t } = await wordsFor(context.db, request, viewer.id, dataPage);
  if ((request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) {
    // An upload: the file goes to disk as it arrives, and becomes a job whose dry run starts now.
    const { fields, file } = await receiveUpload(request, context);
    const get = (name: string) => String(fields[name] ?? "").trim();
    if (!file) return data({ intent: "error", error: t("chooseFile") }, { status: 400 });
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
      return data({ intent: "error", error: t("notWaiting") }, { status: 410 });
    wakeImportRunners();
    return redirect(page);
  }
  if (intent === "cancel") {
    if (!(await cancelImportJob(context.db, viewer.id, survey.id, text("jobId"))))
      return data({ intent: "error", error: t("notRunning") }, { status: 410 });
    return redirect(page);
  }
  if (intent === "discard") {
    if (!(await discardImportJob(context.db, viewer.id, survey.id, text("jobId"))))
      return data({ intent: "error", error: t("noUpload") }, { status: 404 });
    return { intent, ok: t("discarded") };
  }
  if (intent === "exclude-response" || intent === "exclude-session") {
    const parsed = ExclusionSchema.safeParse({ reason: text("reason"), note: text("note") });
    if (!parsed.success) return data({ intent, error: parsed.error.issues[0].path[0] === "note" ? t("sayWhy") : t("chooseReason") }, { status: 400 });
    const what = intent === "exclude-session" ? { sessionId: text("sessionId") } : { responseId: text("responseId") };
    const n = await exclude(context.db, viewer, survey, what, parsed.data.reason, parsed.data.note);
    if (n === 0) return data({ intent, error: t("nothingToExclude") }, { status: 404 });
    return { intent, ok: t("excludedOk", { n }) };
  }
  if (intent === "restore-response" || intent === "restore-session") {
    const what = intent === "restore-session" ? { sessionId: text("sessionId") } : { responseId: text("responseId") };
    const n = await restore(context.db, viewer, survey, what);
    return { intent, ok: t("restoredOk", { n }) };
  }
  throw refuse("refused.unknownAction", 400, { intent: String(intent) });
}

function ReasonFields({ idPrefix, t }: { idPrefix: string; t: T }) {
  return (
    <div className="form-row">
      <div className="field">
        <label htmlFor={`${idPrefix}-reason`}>{t("reasonField")}</label>
        <select id={`${idPrefix}-reason`} name="reason" required defaultValue="">
          <option value="" disabled>
            {t("choose")}
          </option>
          {Object.keys(EXCLUSION_REASONS).map((code) => (
            <option key={code} value={code}>
              {t(`exclusion.${code}` as keyof DataWords)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-note`}>{t("noteField")}</label>
        <input id={`${idPrefix}-note`} name="note" maxLength={500} />
      </div>
    </div>
  );
}

export default function SurveyData() {
  const { survey, languages, communities, rounds, sessions, exclusions, recent, counts, targets, job, words, collectors } = useLoaderData<typeof loader>();
  const t = useWords(words);
  const { dateTime } = useFormats();
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
        <Link to="/">{t("programmes")}</Link> › <Link to={`/programmes/${survey.programmeId}`}>{survey.programmeName}</Link> ›{" "}
        <Link to={`/surveys/${survey.id}`}>{survey.title}</Link> ›
      </p>
      <h1>{t("heading")}</h1>
      <p className="lede">{t("lede", { n: counts.total, excluded: counts.excluded })}</p>
      {message ? <Notice kind="success">{message}</Notice> : null}
      {error ? <Notice kind="error">{error}</Notice> : null}

      <section className="card" aria-labelledby="export-h">
        <h2 id="export-h">{t("export")}</h2>
        {survey.latestVersion === 0 ? (
          <p className="empty">{t("publishFirstExport")}</p>
        ) : (
          <>
            <form method="get" action={`${api}/responses.csv`} className="export-form">
              <div className="form-row">
                <div className="field">
                  <label htmlFor="export-labels">{t("answersAs")}</label>
                  <select id="export-labels" name="labels" defaultValue="">
                    <option value="">{t("codes")}</option>
                    {languages.map((l) => (
                      <option key={l.code} value={l.code}>
                        {t("labelsIn", { language: l.name })}
                      </option>
                    ))}
                  </select>
                </div>
                <div className="field checkbox-field">
                  <label>
                    <input type="checkbox" name="bom" value="1" /> {t("forExcel")}
                  </label>
                </div>
              </div>
              <button type="submit" className="primary">
                {t("download")}
              </button>
            </form>
            <p className="hint">{t("exportHint", { columns: FIXED_COLUMNS.join(", ") })}</p>
            <p>
              {t("codebook")} <a href={`${api}/codebook.csv`}>CSV</a> · <a href={`${api}/codebook.json`}>JSON</a>
            </p>
          </>
        )}
      </section>

      <Collectors collectors={collectors} t={t} />

      <section className="card" aria-labelledby="import-h">
        <h2 id="import-h">{t("import")}</h2>
        {survey.latestVersion === 0 ? (
          <p className="empty">{t("publishFirst")}</p>
        ) : active || shown?.state === "checked" ? null : (
          <Form method="post" encType="multipart/form-data">
            <CsrfField />
            <p>{t("importLede")}</p>
            <Field label={t("file")} name="file">
              <input id="f-file" name="file" type="file" accept=".csv,.tsv,.txt,.json,.xlsx,text/csv,application/json,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required />
            </Field>
            <ImportOptions versions={survey.versions.map((v) => v.version)} communities={communities} rounds={rounds} values={{}} t={t} />
            <button type="submit" name="intent" value="upload" className="primary" disabled={busy}>
              {t("uploadCheck")}
            </button>
          </Form>
        )}
        {active ? <JobProgress job={active} surveyId={survey.id} t={t} /> : null}
        {shown ? <ImportReportView job={shown} targets={targets} versions={survey.versions.map((v) => v.version)} communities={communities} rounds={rounds} t={t} /> : null}
      </section>

      <section className="card" aria-labelledby="exclude-h">
        <h2 id="exclude-h">{t("exclusions")}</h2>
        <p>{t("exclusionsLede")}</p>
        <h3>{t("sessions")}</h3>
        {sessions.length === 0 ? (
          <p className="empty">{t("noSessions")}</p>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">{t("heldOn")}</th>
                  <th scope="col">{t("group")}</th>
                  <th scope="col">{t("community")}</th>
                  <th scope="col">{t("tablet")}</th>
                  <th scope="col">{t("facilitator")}</th>
                  <th scope="col">{t("countedResponses")}</th>
                  <th scope="col">{t("excludeColumn")}</th>
                </tr>
              </thead>
              <tbody>
                {sessions.map((s) => (
                  <tr key={s.id}>
                    <td>{s.heldOn}</td>
                    <td>{s.groupDescription || <span className="muted">{s.linkLabel}</span>}</td>
                    <td>{s.communityName ?? "—"}</td>
                    <td>{s.deviceName ?? <span className="muted">{t("notRecorded")}</span>}</td>
                    <td>{s.facilitatorName ?? <span className="muted">{t("notRecorded")}</span>}</td>
                    <td>{s.responses}</td>
                    <td>
                      {s.responses > 0 ? (
                        <Form method="post" className="exclude-form">
                          <CsrfField />
                          <input type="hidden" name="sessionId" value={s.id} />
                          <ReasonFields idPrefix={`s-${s.id}`} t={t} />
                          <button type="submit" name="intent" value="exclude-session" className="danger small">
                            {t("excludeSession")}
                          </button>
                        </Form>
                      ) : (
                        <span className="muted">{t("nothingCounted")}</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <h3>{t("singleResponse")}</h3>
        <Form method="post" className="exclude-form">
          <CsrfField />
          <div className="field">
            <label htmlFor="exclude-response-id">{t("responseId")}</label>
            <input id="exclude-response-id" name="responseId" required list="recent-responses" autoComplete="off" />
            <datalist id="recent-responses">
              {recent.map((r) => (
                <option key={r.id} value={r.id}>
                  {dateTime(r.collectedAt)} · {r.community ?? t("noCommunity")} · {sourceWord(t, r.source)}
                </option>
              ))}
            </datalist>
            <p className="hint">{t("responseIdHint")}</p>
          </div>
          <ReasonFields idPrefix="r" t={t} />
          <button type="submit" name="intent" value="exclude-response" className="danger small">
            {t("excludeResponse")}
          </button>
        </Form>
        <h3>{t("excludedNow")}</h3>
        {exclusions.length === 0 ? (
          <p className="empty">{t("nothingExcluded")}</p>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">{t("what")}</th>
                  <th scope="col">{t("reason")}</th>
                  <th scope="col">{t("whenWho")}</th>
                  <th scope="col">{t("restoreColumn")}</th>
                </tr>
              </thead>
              <tbody>
                {exclusions.map((e) => (
                  <tr key={`${e.kind}-${e.id}`}>
                    <td>
                      {e.kind === "session" ? t("sessionOf", { n: e.responses }) : t("response")} <code className="id">{e.id.slice(0, 8)}</code>
                    </td>
                    <td>{e.reason}</td>
                    <td>
                      {dateTime(e.excludedAt)} · {e.excludedBy}
                    </td>
                    <td>
                      <Form method="post">
                        <CsrfField />
                        <input type="hidden" name={e.kind === "session" ? "sessionId" : "responseId"} value={e.id} />
                        <button type="submit" name="intent" value={e.kind === "session" ? "restore-session" : "restore-response"} className="secondary small">
                          {t("restore")}
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
  t: T;
}) {
  const { values: v, t } = props;
  return (
    <div className="form-row">
      <div className="field">
        <label htmlFor="imp-version">{t("versionField")}</label>
        <select id="imp-version" name="version" defaultValue={v.version ?? ""}>
          <option value="">{t("latest")}</option>
          {props.versions.map((n) => (
            <option key={n} value={n}>
              {t("versionN", { n })}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="imp-date">{t("collectedOnField")}</label>
        <input id="imp-date" type="date" name="collectedOn" defaultValue={v.collectedOn ?? ""} />
      </div>
      <div className="field">
        <label htmlFor="imp-community">{t("communityField")}</label>
        <select id="imp-community" name="community" defaultValue={v.community ?? ""}>
          <option value="">{t("none")}</option>
          {props.communities.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="imp-round">{t("roundField")}</label>
        <select id="imp-round" name="round" defaultValue={v.round ?? ""}>
          <option value="">{t("none")}</option>
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

const META_TARGETS = ["id", "collected_at", "community", "round", "language", "session_id", "survey_version"] as const;

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

const duration = (t: T, ms: number) => (ms < 60_000 ? t("seconds", { n: Math.max(1, Math.round(ms / 1000)) }) : t("minutes", { n: Math.round(ms / 60_000) }));

/** The running job's progress bar, asked for again twice a second; the page reloads when the step ends. */
function JobProgress({ job: initial, surveyId, t }: { job: ImportJob; surveyId: string; t: T }) {
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
      <h3>{importing ? t("importing", { file: job.fileName }) : t("checking", { file: job.fileName })}</h3>
      <progress className="import-progress" max={1} value={fraction} aria-label={importing ? t("importProgress") : t("dryRunProgress")} />
      <ul className="report-counts">
        <li>
          {job.rowsExpected ? t(importing ? "rowsReadOf" : "rowsReadOfAbout", { n: job.rowsRead, total: job.rowsExpected }) : t("rowsRead", { n: job.rowsRead })}
        </li>
        <li>
          {t("valid", { n: job.rowsValid })}
        </li>
        <li>
          {t("problemsSoFar", { n: job.problems })}
        </li>
        {importing ? (
          <li>
            {t("stored", { n: job.rowsStored })}
          </li>
        ) : null}
        <li>{queued ? t("waiting") : leftMs !== null ? t("left", { time: duration(t, leftMs) }) : t("starting")}</li>
      </ul>
      {job.cancelRequested ? (
        <p>{t("cancelling")}</p>
      ) : (
        <Form method="post">
          <CsrfField />
          <input type="hidden" name="jobId" value={job.id} />
          <button type="submit" name="intent" value="cancel" className="danger small">
            {importing ? t("cancelImport") : t("cancelDryRun")}
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
  t: T;
}) {
  const { job, t } = props;
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
        <h3>{job.state === "cancelled" ? t("cancelled", { file: job.fileName }) : t("failed", { file: job.fileName })}</h3>
        {job.error ? <Notice kind="error">{job.error}</Notice> : <p>{t("nothingImported")}</p>}
        <DiscardForm jobId={job.id} label={t("clear")} />
      </div>
    );
  const dry = job.state === "checked";
  const heading =
    job.state === "checked"
      ? t("dryRunOf", { file: report.fileName })
      : job.state === "cancelled"
        ? t("cancelled", { file: report.fileName })
        : job.state === "failed"
          ? t("failed", { file: report.fileName })
          : t("imported", { file: report.fileName });
  const format =
    report.format === "queue"
      ? t("queueFile")
      : /\.xlsx$/i.test(report.fileName)
        ? t("workbook")
        : report.delimiter
          ? t("csvFormatDelimited", { encoding: report.encoding, delimiter: delimiterName(t, report.delimiter) })
          : t("csvFormat", { encoding: report.encoding });
  return (
    <div className="import-report" aria-live="polite">
      <h3>{heading}</h3>
      {job.state === "failed" && job.error ? <Notice kind="error">{job.error}</Notice> : null}
      <ul className="report-counts">
        <li>
          <strong>{report.rows}</strong> {t("rowsReadFormat", { n: report.rows, format })}
        </li>
        <li>
          <strong>{dry ? report.valid : (report.stored ?? report.valid)}</strong>{" "}
          {dry ? t("canImport", { n: report.valid }) : t("importedN", { n: report.stored ?? report.valid })}
        </li>
        <li>
          <strong>{report.duplicates}</strong> {t("duplicates", { n: report.duplicates })}
        </li>
        <li>
          <strong>{report.invalid + report.conflicts}</strong> {t("withProblems", { n: report.invalid + report.conflicts })}
        </li>
      </ul>
      {report.notes.map((n) => (
        <Notice key={n}>{n}</Notice>
      ))}
      {report.problems.length ? (
        <>
          <h4>{report.problemCount > report.problems.length ? t("problemsFirst", { shown: report.problems.length, total: report.problemCount }) : t("problems")}</h4>
          <div className="table-wrap report-table">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">{t("row")}</th>
                  <th scope="col">{t("column")}</th>
                  <th scope="col">{t("reason")}</th>
                  <th scope="col">{t("detail")}</th>
                </tr>
              </thead>
              <tbody>
                {report.problems.map((p, i) => (
                  <tr key={i}>
                    <td>{p.row}</td>
                    <td>{p.column}</td>
                    <td>{reasonWord(t, p.reason)}</td>
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
              <h4>{t("columns")}</h4>
              <div className="table-wrap">
                <table className="data">
                  <thead>
                    <tr>
                      <th scope="col">{t("columnInFile")}</th>
                      <th scope="col">{t("matched")}</th>
                      <th scope="col">{t("goesTo")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {report.columns.map((c) => {
                      return (
                        <tr key={c.index} className={c.target === null ? "unmatched" : undefined}>
                          <td>{c.header || <span className="muted">{t("noHeader")}</span>}</td>
                          <td>{t(`how.${c.how}` as keyof DataWords)}</td>
                          <td>
                            <label className="visually-hidden" htmlFor={`map-${c.index}`}>
                              {t("mapColumn", { header: c.header })}
                            </label>
                            <select id={`map-${c.index}`} name={`map.${c.index}`} defaultValue={options[`map.${c.index}`] ?? ""}>
                              <option value="">{c.target === null ? t("notMatchedChoose") : t("asMatched")}</option>
                              <option value="ignore">{t("ignoreColumn")}</option>
                              {META_TARGETS.map((field) => (
                                <option key={field} value={`meta:${field}`}>
                                  {t(`meta.${field}`)}
                                </option>
                              ))}
                              {props.targets.map((target) => (
                                <option key={target.value} value={target.value}>
                                  {target.label}
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
          <ImportOptions versions={props.versions} communities={props.communities} rounds={props.rounds} values={options} t={t} />
          <div className="actions">
            <button type="submit" name="intent" value="import" className="primary" disabled={report.valid === 0}>
              {/* The count as the report shows it above (unformatted), the words by its plural. */}
              {t("importValid", { n: String(report.valid) })}
            </button>
            <button type="submit" name="intent" value="dry-run" className="secondary">
              {t("checkAgain")}
            </button>
            <button type="submit" name="intent" value="discard" className="danger" formNoValidate>
              {t("importNothing")}
            </button>
          </div>
        </Form>
      ) : (
        <DiscardForm jobId={job.id} label={t("importAnother")} />
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

/** Where a response came from ("api", "import", "demo"), in words; an unknown source as it is. */
function sourceWord(t: T, source: string): string {
  const key = `source.${source}` as keyof DataWords;
  const word = t(key);
  return word === key ? source : word;
}

/** An import problem's reason, from its code (app/exchange/reasons.ts). */
function reasonWord(t: T, reason: string): string {
  const key = `reason.${reason}` as keyof DataWords;
  const word = t(key);
  return word === key ? reason : word;
}

/** Counted responses by tablet and by facilitator, from the sessions. */
function Collectors({ collectors, t }: { collectors: { devices: CollectorCount[]; facilitators: CollectorCount[] }; t: T }) {
  return (
    <section className="card collectors" aria-labelledby="collectors-h">
      <h2 id="collectors-h">{t("collectors")}</h2>
      {collectors.devices.length === 0 ? (
        <p className="empty">{t("noCollectors")}</p>
      ) : (
        <>
          <p>{t("collectorsLede")}</p>
          <div className="collector-grid">
            <CollectorTable caption={t("byTablet")} column={t("tablet")} rows={collectors.devices} t={t} />
            <CollectorTable caption={t("byFacilitator")} column={t("facilitator")} rows={collectors.facilitators} t={t} />
          </div>
        </>
      )}
    </section>
  );
}

function CollectorTable({ caption, column, rows, t }: { caption: string; column: string; rows: CollectorCount[]; t: T }) {
  const { number } = useFormats();
  return (
    <div className="table-wrap">
      <table className="data">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{column}</th>
            <th scope="col">{t("sessionsColumn")}</th>
            <th scope="col">{t("countedResponses")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.name ?? ""}>
              <th scope="row">{r.name ?? <span className="muted">{t("notRecorded")}</span>}</th>
              <td>{number(r.sessions)}</td>
              <td>{number(r.responses)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
