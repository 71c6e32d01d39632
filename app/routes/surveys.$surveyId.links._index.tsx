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
import { LinkFormSchema, STATE_WORDS, defaultCapFor, expiryOf, linkState } from "~/links/link-form";
import { DEFAULT_COMMUNITY_CAP, LIFT_HOURS } from "~/links/quota-rules";
import { liftLinkQuotas, quotaLimits, quotaStatusOfLinks } from "~/models/quotas.server";
import { qrPath } from "~/links/qr.server";
import { publicAddress, publicUrlWarning, typedAddress } from "~/links/public-url.server";
import { formatShortCode } from "~/links/short-code";
import { QrCode } from "~/links/QrCode";
import linksStylesHref from "~/links/links.css?url";
import { CsrfField, Field, Notice, formFeedback, useResetKey } from "~/ui/forms";
import { BundleSize } from "~/ui/voices/BundleSize";
import { offlineBundleSize } from "~/voices/bundle-size.server";
import { wordsFor } from "~/i18n/staff.server";
import { voices as voicesCatalog } from "~/i18n/staff/voices";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: linksStylesHref }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Collection links · ${data?.survey.title ?? "Survey"}` }];

async function programmeChoices(context: LoaderFunctionArgs["context"], programmeId: string) {
  const communities = await context.db.selectFrom("communities").select(["id", "name"]).where("programme_id", "=", programmeId).orderBy("name").execute();
  const rounds = (await listRounds(context.db, programmeId)).map((r) => ({ id: r.id, name: r.name }));
  return { communities, rounds };
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { survey, viewer } = await requireSurvey(request, context, params.surveyId!);
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
    publicUrl: { problem: address.problem, warning: publicUrlWarning(address) },
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
  if (intent === "revoke") {
    await revokeLink(context.db, survey.id, String(form.get("linkId") ?? ""));
    return { ok: "The link is revoked: it accepts nothing more. Tablets keep what they have not sent and say so." };
  }
  if (intent === "lift-quota") {
    const lifted = await liftLinkQuotas(context.db, viewer, { surveyId: survey.id, programmeId: survey.programmeId, linkId: String(form.get("linkId") ?? "") });
    if (!lifted) throw data({ message: "There is no such active link on this survey." }, { status: 404 });
    return {
      ok: `The limits on this link are lifted until ${whenUtc(lifted.until)}. On the tablets, press “Sync now” to send what waits (they also retry within 15 minutes).`,
    };
  }
  if (intent !== "create") throw data({ message: `Unknown action "${String(intent)}".` }, { status: 400 });
  if (survey.latestVersion === 0) return data({ errors: { form: "Publish the survey before creating a link." }, values: {} }, { status: 400 });
  const parsed = parseForm(LinkFormSchema, form);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const v = parsed.data;
  const { communities, rounds } = await programmeChoices(context, survey.programmeId);
  const errors: Record<string, string> = {};
  if (v.communityId && !communities.some((c) => c.id === v.communityId)) errors.communityId = "Choose a community of this programme.";
  if (v.roundId && !rounds.some((r) => r.id === v.roundId)) errors.roundId = "Choose a round of this programme.";
  const expiresAt = expiryOf(v.expiresOn);
  if (expiresAt && expiresAt <= new Date().toISOString()) errors.expiresOn = "The expiry date has already passed.";
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
  return { ok: `The link “${v.label}” is ready. Open it once on each device while connected; it then works offline.` };
}

const whenUtc = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
const count = (n: number) => n.toLocaleString("en");

const MODE_WORDS = { kiosk: "Facilitator's tablet (kiosk)", self: "Community self-response (own phones)" } as const;

export default function CollectionLinks() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const resetKey = useResetKey(result);
  const { errors, values } = formFeedback(result);
  const published = d.survey.latestVersion > 0;
  return (
    <>
      <p className="breadcrumbs">
        <Link to="/">Programmes</Link> › <Link to={`/programmes/${d.survey.programmeId}`}>{d.survey.programmeName}</Link> ›{" "}
        <Link to={`/surveys/${d.survey.id}`}>{d.survey.title}</Link> ›
      </p>
      <h1>Collection links</h1>
      <p className="lede">
        A link lets a tablet or phone submit responses to this survey and nothing else. Anyone with the address can answer, so
        revoke a link you no longer use.
      </p>
      <p className="muted">
        {quotaWords(d.limits)} Devices keep what is refused and send it later; a facilitator can lift the limits of a link for {LIFT_HOURS} hours.
      </p>
      <BundleSize words={d.bundle.words} size={d.bundle.size} surveyId={d.survey.id} />
      {d.publicUrl.problem ? (
        <p className="notice notice-warning" data-public-url={d.publicUrl.problem}>
          {d.publicUrl.warning}
        </p>
      ) : null}
      {result && "ok" in result ? <Notice kind="success">{result.ok}</Notice> : null}
      {d.survey.status === "closed" ? <Notice kind="info">The survey is closed: no link accepts responses until it is reopened.</Notice> : null}

      <section aria-labelledby="links-h" className="link-list">
        <h2 id="links-h">Links ({d.links.length})</h2>
        {d.links.length === 0 ? <p className="empty">No links yet.</p> : null}
        {d.links.map((l) => (
          <article key={l.id} className={`card link-card link-${l.state}`} aria-labelledby={`link-${l.id}`}>
            <QrCode qr={l.qr} label={`QR code for ${l.label}`} className="qr link-qr" />
            <div className="link-body">
              <h3 id={`link-${l.id}`}>
                {l.label} <span className={`tag${l.state === "active" ? "" : " off"}`}>{STATE_WORDS[l.state]}</span>
              </h3>
              <p className="link-url">
                <code>{l.url}</code>
              </p>
              {l.typed ? (
                <p className="link-short">
                  To type: <code data-short-code>{l.typed}</code>
                </p>
              ) : null}
              <dl className="link-facts">
                <div>
                  <dt>Used on</dt>
                  <dd>{MODE_WORDS[l.mode]}</dd>
                </div>
                <div>
                  <dt>Responses</dt>
                  <dd data-responses={l.responseCount}>
                    {l.responseCount}
                    {l.maxResponses !== null ? ` of at most ${l.maxResponses}` : ""}
                  </dd>
                </div>
                <div>
                  <dt>Community · round</dt>
                  <dd>
                    {l.communityName ?? "any"} · {l.roundName ?? "any"}
                  </dd>
                </div>
                <div>
                  <dt>Expires</dt>
                  <dd>{l.expiresAt ? l.expiresAt.slice(0, 10) : "never"}</dd>
                </div>
              </dl>
              {l.quota.refusals || l.quota.lift ? (
                <div className="link-quota" data-quota-refused={l.quota.refusals?.responses ?? 0}>
                  {l.quota.refusals ? (
                    <p>
                      <strong>Responses refused by the quota:</strong> {count(l.quota.refusals.responses)} on {l.quota.refusals.day} (last at{" "}
                      {whenUtc(l.quota.refusals.lastAt)}), from {count(l.quota.refusals.addresses)} {l.quota.refusals.addresses === 1 ? "address" : "addresses"}. The
                      devices kept them and send them again later.
                    </p>
                  ) : null}
                  {l.quota.lift ? (
                    <p>
                      Limits lifted until {whenUtc(l.quota.lift.until)}
                      {l.quota.lift.byName ? ` by ${l.quota.lift.byName}` : ""}.
                    </p>
                  ) : null}
                </div>
              ) : null}
              <div className="actions">
                <Link to={`${l.id}/poster`} className="button secondary">
                  Poster to print
                </Link>
                {d.canAuthor && l.state !== "revoked" ? (
                  <Form method="post" className="inline">
                    <CsrfField />
                    <input type="hidden" name="linkId" value={l.id} />
                    <button type="submit" name="intent" value="revoke" className="danger">
                      Revoke “{l.label}”
                    </button>
                  </Form>
                ) : null}
                {d.canAuthor && l.state !== "revoked" && l.quota.refusals && !l.quota.lift ? (
                  <Form method="post" className="inline">
                    <CsrfField />
                    <input type="hidden" name="linkId" value={l.id} />
                    <button type="submit" name="intent" value="lift-quota" className="secondary">
                      Lift the limits on “{l.label}” for {LIFT_HOURS} hours
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
          <h2 id="new-link-h">New link</h2>
          {!published ? (
            <p>Publish the survey before creating a link.</p>
          ) : (
            <Form method="post" key={resetKey} noValidate>
              <CsrfField />
              {errors.form ? <Notice kind="error">{errors.form}</Notice> : null}
              <ModeAndCap mode={values.mode} maxResponses={values.maxResponses} modeError={errors.mode} capError={errors.maxResponses} />
              <Field label="Name" name="label" defaultValue={values.label} error={errors.label} hint="For you, e.g. “Tablet 1” or “Market poster”. Respondents do not see it." required />
              <Field label="Community" name="communityId" error={errors.communityId} hint="Bind the link to one community, or let the facilitator choose per session.">
                <select id="f-communityId" name="communityId" defaultValue={values.communityId ?? ""}>
                  <option value="">Any community</option>
                  {d.communities.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
                </select>
              </Field>
              <Field label="Round" name="roundId" error={errors.roundId}>
                <select id="f-roundId" name="roundId" defaultValue={values.roundId ?? ""}>
                  <option value="">Any round</option>
                  {d.rounds.map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.name}
                    </option>
                  ))}
                </select>
              </Field>
              <Field label="Expires on (optional)" name="expiresOn" type="date" defaultValue={values.expiresOn} error={errors.expiresOn} hint="The link stops working after this day (UTC)." />
              <Field
                label="Facilitator PIN (tablets only)"
                name="pin"
                error={errors.pin}
                hint="6 to 8 digits. The facilitator types it to leave the survey screen; respondents cannot. A facilitator signs in once on the tablet to arm it; then the PIN is checked on the tablet, so it works offline."
                autoComplete="off"
              />
              <button type="submit" name="intent" value="create" className="primary">
                Create link
              </button>
            </Form>
          )}
        </section>
      ) : null}
    </>
  );
}

function quotaWords({ perMinute, perDay }: { perMinute: number; perDay: number }): string {
  const limits =
    perMinute && perDay
      ? `${count(perMinute)} responses a minute and ${count(perDay)} a day`
      : perMinute
        ? `${count(perMinute)} responses a minute`
        : perDay
          ? `${count(perDay)} responses a day`
          : null;
  return limits ? `Each link takes at most ${limits} from one address.` : "Links take responses without a per-address limit.";
}

/**
 * The mode and the response cap: a community link starts with a cap (a poster's address can leak),
 * a tablet link with none; switching the mode changes the cap until the facilitator types one.
 * Before the page's script runs the cap shows the community default, so a form sent without
 * scripts never creates an uncapped community link by accident.
 */
function ModeAndCap(props: { mode?: string; maxResponses?: string; modeError?: string; capError?: string }) {
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
        <legend>Used on</legend>
        {(["kiosk", "self"] as const).map((m) => (
          <label key={m} className="radio">
            <input type="radio" name="mode" value={m} checked={mode === m} onChange={() => setMode(m)} /> {MODE_WORDS[m]}
          </label>
        ))}
        {props.modeError ? <p className="error">{props.modeError}</p> : null}
      </fieldset>
      <div className={`field${props.capError ? " has-error" : ""}`}>
        <label htmlFor="f-maxResponses">Response cap</label>
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
          The link stops accepting after this many responses. Community links start at {count(DEFAULT_COMMUNITY_CAP)}, so a poster&apos;s
          address cannot flood the figures; change it to what you expect, or empty it for no cap.
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
