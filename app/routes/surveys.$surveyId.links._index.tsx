// A survey's collection links: facilitators create and revoke them; managers see them. Each link
// shows its address, a QR code, its response count and state, when its response quota last
// refused responses (a facilitator can lift it), and leads to a printable poster.
import { useEffect, useState } from "react";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { data, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { readForm } from "~/auth.server";
import { parseForm } from "~/forms.server";
import { requireSurvey } from "~/survey-access.server";
import { canAuthor } from "~/models/surveys.server";
import { createLink, listLinks, revokeLink } from "~/models/collection-links.server";
import { listRounds } from "~/models/rounds.server";
import { linkFormSchema, defaultCapFor, expiryOf, linkState } from "~/links/link-form";
import { DEFAULT_COMMUNITY_CAP, LIFT_HOURS } from "~/links/quota-rules";
import { liftLinkQuotas, quotaLimits, quotaStatusOfLinks } from "~/models/quotas.server";
import { qrPath } from "~/links/qr.server";
import { publicAddress, publicUrlWarning, typedAddress } from "~/links/public-url.server";
import { formatShortCode } from "~/links/short-code";
import { QrCode } from "~/links/QrCode";
import linksStylesHref from "~/links/links.css?url";
import { CsrfField, Field, Notice, formFeedback, useResetKey } from "~/ui/forms";
import { refuse } from "~/refusal.server";
import { wordsFor } from "~/i18n/staff.server";
import { BundleSize } from "~/ui/voices/BundleSize";
import { offlineBundleSize } from "~/voices/bundle-size.server";
import { voices as voicesCatalog } from "~/i18n/staff/voices";
import { linksPage, type LinksWords } from "~/i18n/staff/links";
import { useWords } from "~/i18n/staff";
import type { Translate } from "~/i18n/core";

type T = Translate<LinksWords>;

export const links: LinksFunction = () => [{ rel: "stylesheet", href: linksStylesHref }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? data.words.pageTitle.replace("{title}", data.survey.title) : "Collection links" }];

async function programmeChoices(context: LoaderFunctionArgs["context"], programmeId: string) {
  const communities = await context.db.selectFrom("communities").select(["id", "name"]).where("programme_id", "=", programmeId).orderBy("name").execute();
  const rounds = (await listRounds(context.db, programmeId)).map((r) => ({ id: r.id, name: r.name }));
  return { communities, rounds };
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { viewer, survey } = await requireSurvey(request, context, params.surveyId!);
  const { words, t } = await wordsFor(context.db, request, viewer.id, linksPage);
  // QR codes and addresses use PUBLIC_URL, the address respondents' phones reach, not this browser's.
  const address = publicAddress(request);
  const now = new Date().toISOString();
  const quotas = await quotaStatusOfLinks(context.db, survey.id);
  const list = (await listLinks(context.db, survey.id)).map((l) => {
    const { token, ...rest } = l;
    const url = `${address.base}/c/${token}`;
    const typed = l.shortCode ? typedAddress(address.base, formatShortCode(l.shortCode)) : null;
    return { ...rest, url, typed, state: linkState(l, now), qr: qrPath(url), quota: quotas.get(l.id) ?? { refusals: null, lift: null } };
  });
  return {
    survey: { id: survey.id, title: survey.title, programmeId: survey.programmeId, programmeName: survey.programmeName, latestVersion: survey.latestVersion, status: survey.status },
    canAuthor: canAuthor(survey.role),
    words,
    publicUrl: { problem: address.problem, warning: publicUrlWarning(t, address) },
    links: list,
    limits: quotaLimits(),
    ...(await programmeChoices(context, survey.programmeId)),
    // What a tablet downloads for the survey, recorded voices included (voices engineer's line).
    bundle: { size: await offlineBundleSize(context.db, survey), words: (await wordsFor(context.db, request, viewer.id, voicesCatalog)).words },
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { viewer, survey } = await requireSurvey(request, context, params.surveyId!, "author");
  const form = await readForm(request, context);
  const intent = form.get("intent");
  const { t } = await wordsFor(context.db, request, viewer.id, linksPage);
  if (intent === "revoke") {
    await revokeLink(context.db, survey.id, String(form.get("linkId") ?? ""));
    return { ok: t("revokedOk") };
  }
  if (intent === "lift-quota") {
    const lifted = await liftLinkQuotas(context.db, viewer, { surveyId: survey.id, programmeId: survey.programmeId, linkId: String(form.get("linkId") ?? "") });
    if (!lifted) throw refuse("refused.noActiveLink", 404);
    return {
      ok: t("liftedOk", { until: whenUtc(lifted.until) }),
    };
  }
  if (intent !== "create") throw refuse("refused.unknownAction", 400, { intent: String(intent) });
  if (survey.latestVersion === 0) return data({ errors: { form: t("publishFirst") }, values: {} }, { status: 400 });
  const parsed = parseForm(linkFormSchema((key) => t(key)), form);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const v = parsed.data;
  const { communities, rounds } = await programmeChoices(context, survey.programmeId);
  const errors: Record<string, string> = {};
  if (v.communityId && !communities.some((c) => c.id === v.communityId)) errors.communityId = t("chooseCommunity");
  if (v.roundId && !rounds.some((r) => r.id === v.roundId)) errors.roundId = t("chooseRound");
  const expiresAt = expiryOf(v.expiresOn);
  if (expiresAt && expiresAt <= new Date().toISOString()) errors.expiresOn = t("expiryPassed");
  if (Object.keys(errors).length) return data({ errors, values: parsed.values }, { status: 400 });
  await createLink(context.db, {
    surveyId: survey.id,
    mode: v.mode,
    label: v.label,
    communityId: v.communityId,
    roundId: v.roundId,
    expiresAt,
    maxResponses: v.maxResponses,
    pin: v.mode === "kiosk" ? v.pin : null,
    createdBy: viewer.id,
  });
  return { ok: t("createdOk", { label: v.label }) };
}

const whenUtc = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

export default function CollectionLinks() {
  const d = useLoaderData<typeof loader>();
  const t = useWords(d.words);
  const result = useActionData<typeof action>();
  const resetKey = useResetKey(result);
  const { errors, values } = formFeedback(result);
  const published = d.survey.latestVersion > 0;
  return (
    <>
      <p className="breadcrumbs">
        <Link to="/">{t("programmes")}</Link> › <Link to={`/programmes/${d.survey.programmeId}`}>{d.survey.programmeName}</Link> ›{" "}
        <Link to={`/surveys/${d.survey.id}`}>{d.survey.title}</Link> ›
      </p>
      <h1>{t("heading")}</h1>
      <p className="lede">{t("lede")}</p>
      <p className="muted">
        {quotaWords(t, d.limits)} {t("quotaLift", { hours: LIFT_HOURS })}
      </p>
      <BundleSize words={d.bundle.words} size={d.bundle.size} surveyId={d.survey.id} />
      {d.publicUrl.problem ? (
        <p className="notice notice-warning" data-public-url={d.publicUrl.problem}>
          {d.publicUrl.warning}
        </p>
      ) : null}
      {result && "ok" in result ? <Notice kind="success">{result.ok}</Notice> : null}
      {d.survey.status === "closed" ? <Notice kind="info">{t("surveyClosed")}</Notice> : null}

      <section aria-labelledby="links-h" className="link-list">
        <h2 id="links-h">{t("linksN", { n: d.links.length })}</h2>
        {d.links.length === 0 ? <p className="empty">{t("noLinks")}</p> : null}
        {d.links.map((l) => (
          <article key={l.id} className={`card link-card link-${l.state}`} aria-labelledby={`link-${l.id}`}>
            <QrCode qr={l.qr} label={t("qrFor", { label: l.label })} className="qr link-qr" />
            <div className="link-body">
              <h3 id={`link-${l.id}`}>
                {l.label} <span className={`tag${l.state === "active" ? "" : " off"}`}>{t(`state.${l.state}`)}</span>
              </h3>
              <p className="link-url">
                <code>{l.url}</code>
              </p>
              {l.typed ? (
                <p className="link-short">
                  {t("toType")} <code data-short-code>{l.typed}</code>
                </p>
              ) : null}
              <dl className="link-facts">
                <div>
                  <dt>{t("usedOn")}</dt>
                  <dd>{t(`mode.${l.mode}`)}</dd>
                </div>
                <div>
                  <dt>{t("responses")}</dt>
                  <dd data-responses={l.responseCount}>
                    {l.responseCount}
                    {l.maxResponses !== null ? ` ${t("ofAtMost", { max: l.maxResponses })}` : ""}
                  </dd>
                </div>
                <div>
                  <dt>{t("communityRound")}</dt>
                  <dd>
                    {l.communityName ?? t("any")} · {l.roundName ?? t("any")}
                  </dd>
                </div>
                <div>
                  <dt>{t("expires")}</dt>
                  <dd>{l.expiresAt ? l.expiresAt.slice(0, 10) : t("never")}</dd>
                </div>
              </dl>
              {l.quota.refusals || l.quota.lift ? (
                <div className="link-quota" data-quota-refused={l.quota.refusals?.responses ?? 0}>
                  {l.quota.refusals ? (
                    <p>
                      <strong>{t("quotaRefused")}</strong>{" "}
                      {t("quotaRefusedText", { n: l.quota.refusals.responses, day: l.quota.refusals.day, last: whenUtc(l.quota.refusals.lastAt), addresses: l.quota.refusals.addresses })}
                    </p>
                  ) : null}
                  {l.quota.lift ? (
                    <p>
                      {l.quota.lift.byName
                        ? t("liftedUntilBy", { until: whenUtc(l.quota.lift.until), name: l.quota.lift.byName })
                        : t("liftedUntil", { until: whenUtc(l.quota.lift.until) })}
                    </p>
                  ) : null}
                </div>
              ) : null}
              <div className="actions">
                <Link to={`${l.id}/poster`} className="button secondary">
                  {t("poster")}
                </Link>
                {d.canAuthor && l.state !== "revoked" ? (
                  <Form method="post" className="inline">
                    <CsrfField />
                    <input type="hidden" name="linkId" value={l.id} />
                    <button type="submit" name="intent" value="revoke" className="danger">
                      {t("revoke", { label: l.label })}
                    </button>
                  </Form>
                ) : null}
                {d.canAuthor && l.state !== "revoked" && l.quota.refusals && !l.quota.lift ? (
                  <Form method="post" className="inline">
                    <CsrfField />
                    <input type="hidden" name="linkId" value={l.id} />
                    <button type="submit" name="intent" value="lift-quota" className="secondary">
                      {t("lift", { label: l.label, hours: LIFT_HOURS })}
                    </button>
                  </Form>
                ) : null}
              </div>
            </div>
          </article>
        ))}
      </section>

      {d.canAuthor ? (
        <section className="card" aria-labelledby="new-link-h">
          <h2 id="new-link-h">{t("newLink")}</h2>
          {!published ? (
            <p>{t("publishFirst")}</p>
          ) : (
            <Form method="post" key={resetKey} noValidate>
              <CsrfField />
              {errors.form ? <Notice kind="error">{errors.form}</Notice> : null}
              <ModeAndCap t={t} mode={values.mode} maxResponses={values.maxResponses} modeError={errors.mode} capError={errors.maxResponses} />
              <Field label={t("name")} name="label" defaultValue={values.label} error={errors.label} hint={t("nameHint")} required />
              <Field label={t("community")} name="communityId" error={errors.communityId} hint={t("communityHint")}>
                <select id="f-communityId" name="communityId" defaultValue={values.communityId ?? ""}>
                  <option value="">{t("anyCommunity")}</option>
                  {d.communities.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
                </select>
              </Field>
              <Field label={t("round")} name="roundId" error={errors.roundId}>
                <select id="f-roundId" name="roundId" defaultValue={values.roundId ?? ""}>
                  <option value="">{t("anyRound")}</option>
                  {d.rounds.map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.name}
                    </option>
                  ))}
                </select>
              </Field>
              <Field label={t("expiresOn")} name="expiresOn" type="date" defaultValue={values.expiresOn} error={errors.expiresOn} hint={t("expiresHint")} />
              <Field
                label={t("pin")}
                name="pin"
                error={errors.pin}
                hint={t("pinHint")}
                autoComplete="off"
              />
              <button type="submit" name="intent" value="create" className="primary">
                {t("create")}
              </button>
            </Form>
          )}
        </section>
      ) : null}
    </>
  );
}

function quotaWords(t: T, { perMinute, perDay }: { perMinute: number; perDay: number }): string {
  if (perMinute && perDay) return t("quotaBoth", { perMinute, perDay });
  if (perMinute) return t("quotaMinute", { perMinute });
  if (perDay) return t("quotaDay", { perDay });
  return t("quotaNone");
}

/**
 * The mode and the response cap: a community link starts with a cap (a poster's address can leak),
 * a tablet link with none; switching the mode changes the cap until the facilitator types one.
 * Before the page's script runs the cap shows the community default, so a form sent without
 * scripts never creates an uncapped community link by accident.
 */
function ModeAndCap(props: { t: T; mode?: string; maxResponses?: string; modeError?: string; capError?: string }) {
  const { t } = props;
  const initialMode = props.mode === "self" ? "self" : "kiosk";
  const [mode, setMode] = useState<"kiosk" | "self">(initialMode);
  const [cap, setCap] = useState(props.maxResponses ?? String(DEFAULT_COMMUNITY_CAP));
  const [typed, setTyped] = useState(props.maxResponses !== undefined);
  useEffect(() => {
    if (!typed) setCap(defaultCapFor(mode));
  }, [mode, typed]);
  return (
    <>
      <fieldset className="field">
        <legend>{t("usedOn")}</legend>
        {(["kiosk", "self"] as const).map((m) => (
          <label key={m} className="radio">
            <input type="radio" name="mode" value={m} checked={mode === m} onChange={() => setMode(m)} /> {t(`mode.${m}`)}
          </label>
        ))}
        {props.modeError ? <p className="error">{props.modeError}</p> : null}
      </fieldset>
      <div className={`field${props.capError ? " has-error" : ""}`}>
        <label htmlFor="f-maxResponses">{t("cap")}</label>
        <input
          id="f-maxResponses"
          name="maxResponses"
          type="number"
          min={1}
          value={cap}
          onChange={(e) => {
            setCap(e.target.value);
            setTyped(true);
          }}
          aria-invalid={props.capError ? true : undefined}
          aria-describedby={`f-maxResponses-hint${props.capError ? " f-maxResponses-error" : ""}`}
        />
        <p className="hint" id="f-maxResponses-hint">
          {t("capHint", { n: DEFAULT_COMMUNITY_CAP })}
        </p>
        {props.capError ? (
          <p className="error" id="f-maxResponses-error" role="alert">
            {props.capError}
          </p>
        ) : null}
      </div>
    </>
  );
}
