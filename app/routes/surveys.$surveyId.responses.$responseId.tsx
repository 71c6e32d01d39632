// One response (facilitators and administrators): its answers labelled in any of the survey's
// languages, its review (approved, on hold, not approved with a note), and exclude or restore.
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { data, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { readForm } from "~/auth.server";
import { parseForm } from "~/forms.server";
import { requireSurvey } from "~/survey-access.server";
import { exclude, ExclusionSchema, restore } from "~/models/exclusions.server";
import { EXCLUSION_REASONS } from "~/models/exclusion-reasons";
import { ReviewError, ReviewSchema, responseDetail, setReview } from "~/models/response-review.server";
import { RESPONSE_SOURCES, REVIEW_STATUSES } from "~/models/review-statuses";
import { CsrfField, Field, Notice, formFeedback } from "~/ui/forms";
import responsesStylesHref from "~/ui/responses/responses.css?url";
import { refuse } from "~/refusal.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: responsesStylesHref }];
export const meta: MetaFunction = () => [{ title: "Response · Safety perception surveys" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { survey } = await requireSurvey(request, context, params.surveyId!, "author");
  const lang = new URL(request.url).searchParams.get("lang") ?? undefined;
  const response = await responseDetail(context.db, survey.id, params.responseId!, lang);
  if (!response) throw refuse("refused.noResponse", 404);
  return { survey: { id: survey.id, title: survey.title }, response, lang: lang ?? null };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { viewer, survey } = await requireSurvey(request, context, params.surveyId!, "author");
  const form = await readForm(request, context);
  const intent = String(form.get("intent") ?? "");
  const responseId = params.responseId!;
  if (intent === "review") {
    const parsed = parseForm(ReviewSchema, form);
    if (!parsed.ok) return data({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
    try {
      const { figures } = await setReview(context.db, viewer, survey, responseId, parsed.data.status, parsed.data.note);
      const moved = figures === "left" ? " It no longer counts in the figures." : figures === "back" ? " It counts in the figures again." : "";
      return { intent, ok: `Marked ${REVIEW_STATUSES[parsed.data.status].toLowerCase()}.${moved}` };
    } catch (e) {
      if (e instanceof ReviewError) return data({ intent, errors: { [e.field]: e.message }, values: parsed.values }, { status: 400 });
      throw e;
    }
  }
  if (intent === "exclude") {
    const parsed = parseForm(ExclusionSchema, form);
    if (!parsed.ok) return data({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
    const n = await exclude(context.db, viewer, survey, { responseId }, parsed.data.reason, parsed.data.note);
    return { intent, ok: n ? "Excluded: it no longer counts in the figures." : "It was already excluded." };
  }
  if (intent === "restore") {
    const n = await restore(context.db, viewer, survey, { responseId });
    return { intent, ok: n ? "Restored: it counts in the figures again." : "It was not excluded." };
  }
  throw refuse("refused.unknownAction", 400, { intent: String(intent) });
}

const fmt = (iso: string | null) => (iso ? iso.slice(0, 16).replace("T", " ") : "—");

export default function ResponsePage() {
  const { survey, response: r, lang } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const back = `/surveys/${survey.id}/responses${useLocation().search.replace(/([?&])lang=[^&]*&?/, "$1").replace(/[?&]$/, "")}`;
  const review = formFeedback(result, "review");
  const excl = formFeedback(result, "exclude");
  return (
    <div className="response-page">
      <p className="breadcrumbs">
        <Link to={`/surveys/${survey.id}`}>{survey.title}</Link> › <Link to={back}>Responses</Link> ›
      </p>
      <h1>Response {r.id.slice(0, 8)}</h1>
      {result && "ok" in result ? <Notice kind="success">{result.ok}</Notice> : null}
      <ul className="response-facts">
        <li>Received: {fmt(r.submittedAt)}</li>
        <li>Collected: {fmt(r.collectedAt)}</li>
        <li>Community: {r.community ?? "—"}</li>
        <li>Round: {r.round ?? "—"}</li>
        <li>Source: {RESPONSE_SOURCES[r.source] ?? r.source}</li>
        <li>Device or link: {r.device ?? "—"}</li>
        <li>Answered in: {r.languages.find((l) => l.code === r.language)?.name ?? r.language}</li>
        <li>Version {r.version}</li>
        <li>
          Review: <strong>{r.reviewStatus ? REVIEW_STATUSES[r.reviewStatus] : "not reviewed"}</strong>
          {r.reviewedBy ? ` by ${r.reviewedBy}, ${fmt(r.reviewedAt)}` : ""}
          {r.reviewNote ? ` — “${r.reviewNote}”` : ""}
        </li>
        <li>{r.excluded ? <strong>Excluded from the figures: {r.excludedReason}</strong> : "Counts in the figures"}</li>
      </ul>

      <section className="card" aria-labelledby="answers-h">
        <div className="card-head">
          <h2 id="answers-h">Answers</h2>
          {r.languages.length > 1 ? (
            <Form method="get" className="inline-lang">
              <label>
                Labels in{" "}
                <select name="lang" defaultValue={lang ?? ""} onChange={(e) => e.currentTarget.form?.requestSubmit()}>
                  {r.languages.map((l) => (
                    <option key={l.code} value={l.code}>
                      {l.name}
                    </option>
                  ))}
                </select>
              </label>
              <noscript>
                <button type="submit">Show</button>
              </noscript>
            </Form>
          ) : null}
        </div>
        <dl className="answers">
          {r.answers.map((a) => (
            <div key={a.question}>
              <dt>{a.label || a.question}</dt>
              <dd>{a.answer}</dd>
            </div>
          ))}
        </dl>
      </section>

      <div className="split">
        <section className="card" aria-labelledby="review-h">
          <h2 id="review-h">Review</h2>
          <Form method="post" className="review-form" noValidate>
            <CsrfField />
            <input type="hidden" name="intent" value="review" />
            <Field label="Status" name="status" error={review.errors.status}>
              <select id="f-status" name="status" defaultValue={review.values.status ?? r.reviewStatus ?? "approved"}>
                {Object.entries(REVIEW_STATUSES).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Note" name="note" defaultValue={review.values.note ?? ""} error={review.errors.note ?? review.errors.responseId} hint="Needed when not approved: it leaves the figures, as an exclusion does, until the review changes." />
            <button type="submit" className="primary" disabled={busy}>
              Save review
            </button>
          </Form>
        </section>
        <section className="card" aria-labelledby="exclude-h">
          <h2 id="exclude-h">{r.excluded ? "Restore" : "Exclude"}</h2>
          {r.excluded ? (
            <Form method="post">
              <CsrfField />
              <input type="hidden" name="intent" value="restore" />
              <p>Put this response back into the figures.</p>
              <button type="submit" className="secondary" disabled={busy}>
                Restore
              </button>
            </Form>
          ) : (
            <Form method="post" noValidate>
              <CsrfField />
              <input type="hidden" name="intent" value="exclude" />
              <Field label="Reason" name="reason" error={excl.errors.reason}>
                <select id="f-reason" name="reason" defaultValue={excl.values.reason ?? "facilitator_error"}>
                  {Object.entries(EXCLUSION_REASONS).map(([value, label]) => (
                    <option key={value} value={value}>
                      {label}
                    </option>
                  ))}
                </select>
              </Field>
              <Field label="Note" name="exclusion-note" error={excl.errors.note}>
                <input id="f-exclusion-note" name="note" defaultValue={excl.values.note ?? ""} aria-invalid={excl.errors.note ? true : undefined} />
              </Field>
              <button type="submit" className="secondary" disabled={busy}>
                Exclude
              </button>
            </Form>
          )}
        </section>
      </div>
    </div>
  );
}
