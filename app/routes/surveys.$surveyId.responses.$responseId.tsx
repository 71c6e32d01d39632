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
import { wordsFor } from "~/i18n/staff.server";
import { responses as responsesWords, type ResponsesWords } from "~/i18n/staff/responses";
import { useWords } from "~/i18n/staff";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: responsesStylesHref }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.words.responseTitle ?? "Response" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { viewer, survey } = await requireSurvey(request, context, params.surveyId!, "author");
  const { words } = await wordsFor(context.db, request, viewer.id, responsesWords);
  const lang = new URL(request.url).searchParams.get("lang") ?? undefined;
  const response = await responseDetail(context.db, survey.id, params.responseId!, lang);
  if (!response) throw refuse("refused.noResponse", 404);
  return { survey: { id: survey.id, title: survey.title }, response, lang: lang ?? null, words };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { viewer, survey } = await requireSurvey(request, context, params.surveyId!, "author");
  const form = await readForm(request, context);
  const intent = String(form.get("intent") ?? "");
  const responseId = params.responseId!;
  const { t } = await wordsFor(context.db, request, viewer.id, responsesWords);
  // The schemas' field errors, said in the page's language.
  const say = (errors: Record<string, string>, messages: Record<string, keyof ResponsesWords>) =>
    Object.fromEntries(Object.keys(errors).map((field) => [field, messages[field] ? t(messages[field]) : errors[field]]));
  if (intent === "review") {
    const parsed = parseForm(ReviewSchema, form);
    if (!parsed.ok) return data({ intent, errors: say(parsed.errors, { status: "chooseStatus", note: "sayWhyNot" }), values: parsed.values }, { status: 400 });
    try {
      const { figures } = await setReview(context.db, viewer, survey, responseId, parsed.data.status, parsed.data.note);
      const moved = figures === "left" ? ` ${t("movedLeft")}` : figures === "back" ? ` ${t("movedBack")}` : "";
      return { intent, ok: `${t("marked", { status: t(`status.${parsed.data.status}`).toLowerCase() })}${moved}` };
    } catch (e) {
      if (e instanceof ReviewError) return data({ intent, errors: say({ [e.field]: e.message }, { responseId: "noSuchResponse" }), values: parsed.values }, { status: 400 });
      throw e;
    }
  }
  if (intent === "exclude") {
    const parsed = parseForm(ExclusionSchema, form);
    if (!parsed.ok) return data({ intent, errors: say(parsed.errors, { reason: "chooseReason", note: "sayWhy" }), values: parsed.values }, { status: 400 });
    const n = await exclude(context.db, viewer, survey, { responseId }, parsed.data.reason, parsed.data.note);
    return { intent, ok: n ? t("excludedOk") : t("alreadyExcluded") };
  }
  if (intent === "restore") {
    const n = await restore(context.db, viewer, survey, { responseId });
    return { intent, ok: n ? t("restoredOk") : t("notExcluded") };
  }
  throw refuse("refused.unknownAction", 400, { intent: String(intent) });
}

const fmt = (iso: string | null) => (iso ? iso.slice(0, 16).replace("T", " ") : "—");

export default function ResponsePage() {
  const { survey, response: r, lang, words } = useLoaderData<typeof loader>();
  const t = useWords(words);
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const back = `/surveys/${survey.id}/responses${useLocation().search.replace(/([?&])lang=[^&]*&?/, "$1").replace(/[?&]$/, "")}`;
  const review = formFeedback(result, "review");
  const excl = formFeedback(result, "exclude");
  return (
    <div className="response-page">
      <p className="breadcrumbs">
        <Link to={`/surveys/${survey.id}`}>{survey.title}</Link> › <Link to={back}>{t("heading")}</Link> ›
      </p>
      <h1>{t("responseN", { id: r.id.slice(0, 8) })}</h1>
      {result && "ok" in result ? <Notice kind="success">{result.ok}</Notice> : null}
      <ul className="response-facts">
        <li>{t("receivedLine", { time: fmt(r.submittedAt) })}</li>
        <li>{t("collectedLine", { time: fmt(r.collectedAt) })}</li>
        <li>{t("communityLine", { name: r.community ?? "—" })}</li>
        <li>{t("roundLine", { name: r.round ?? "—" })}</li>
        <li>{t("sourceLine", { source: r.source in RESPONSE_SOURCES ? t(`source.${r.source}` as keyof ResponsesWords) : r.source })}</li>
        <li>{t("deviceLine", { device: r.device ?? "—" })}</li>
        <li>{t("answeredIn", { language: r.languages.find((l) => l.code === r.language)?.name ?? r.language })}</li>
        <li>{t("version", { n: r.version })}</li>
        <li>
          {t("reviewLine")} <strong>{r.reviewStatus ? t(`status.${r.reviewStatus}`) : t("notReviewedLower")}</strong>
          {r.reviewedBy ? ` ${t("reviewedBy", { name: r.reviewedBy, time: fmt(r.reviewedAt) })}` : ""}
          {r.reviewNote ? ` — “${r.reviewNote}”` : ""}
        </li>
        <li>{r.excluded ? <strong>{t("excludedBecause", { reason: r.excludedReason ?? "" })}</strong> : t("counts")}</li>
      </ul>

      <section className="card" aria-labelledby="answers-h">
        <div className="card-head">
          <h2 id="answers-h">{t("answers")}</h2>
          {r.languages.length > 1 ? (
            <Form method="get" className="inline-lang">
              <label>
                {t("labelsIn")}{" "}
                <select name="lang" defaultValue={lang ?? ""} onChange={(e) => e.currentTarget.form?.requestSubmit()}>
                  {r.languages.map((l) => (
                    <option key={l.code} value={l.code}>
                      {l.name}
                    </option>
                  ))}
                </select>
              </label>
              <noscript>
                <button type="submit">{t("show")}</button>
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
          <h2 id="review-h">{t("review")}</h2>
          <Form method="post" className="review-form" noValidate>
            <CsrfField />
            <input type="hidden" name="intent" value="review" />
            <Field label={t("status")} name="status" error={review.errors.status}>
              <select id="f-status" name="status" defaultValue={review.values.status ?? r.reviewStatus ?? "approved"}>
                {Object.keys(REVIEW_STATUSES).map((value) => (
                  <option key={value} value={value}>
                    {t(`status.${value}` as keyof ResponsesWords)}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t("note")} name="note" defaultValue={review.values.note ?? ""} error={review.errors.note ?? review.errors.responseId} hint={t("noteHint")} />
            <button type="submit" className="primary" disabled={busy}>
              {t("saveReview")}
            </button>
          </Form>
        </section>
        <section className="card" aria-labelledby="exclude-h">
          <h2 id="exclude-h">{r.excluded ? t("restore") : t("exclude")}</h2>
          {r.excluded ? (
            <Form method="post">
              <CsrfField />
              <input type="hidden" name="intent" value="restore" />
              <p>{t("putBack")}</p>
              <button type="submit" className="secondary" disabled={busy}>
                {t("restore")}
              </button>
            </Form>
          ) : (
            <Form method="post" noValidate>
              <CsrfField />
              <input type="hidden" name="intent" value="exclude" />
              <Field label={t("reason")} name="reason" error={excl.errors.reason}>
                <select id="f-reason" name="reason" defaultValue={excl.values.reason ?? "facilitator_error"}>
                  {Object.keys(EXCLUSION_REASONS).map((value) => (
                    <option key={value} value={value}>
                      {t(`exclusion.${value}` as keyof ResponsesWords)}
                    </option>
                  ))}
                </select>
              </Field>
              <Field label={t("note")} name="exclusion-note" error={excl.errors.note}>
                <input id="f-exclusion-note" name="note" defaultValue={excl.values.note ?? ""} aria-invalid={excl.errors.note ? true : undefined} />
              </Field>
              <button type="submit" className="secondary" disabled={busy}>
                {t("exclude")}
              </button>
            </Form>
          )}
        </section>
      </div>
    </div>
  );
}
