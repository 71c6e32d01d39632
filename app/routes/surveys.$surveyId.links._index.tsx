// A survey's collection links: facilitators create and revoke them; managers see them. Each link
// shows its address, a QR code, its response count and state, and leads to a printable poster.
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { data, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { readForm } from "~/auth.server";
import { parseForm } from "~/forms.server";
import { requireSurvey } from "~/survey-access.server";
import { canAuthor } from "~/models/surveys.server";
import { createLink, listLinks, revokeLink } from "~/models/collection-links.server";
import { listRounds } from "~/models/rounds.server";
import { LinkFormSchema, STATE_WORDS, expiryOf, linkState } from "~/links/link-form";
import { qrPath } from "~/links/qr.server";
import { QrCode } from "~/links/QrCode";
import linksStylesHref from "~/links/links.css?url";
import { CsrfField, Field, Notice, formFeedback, useResetKey } from "~/ui/forms";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: linksStylesHref }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Collection links · ${data?.survey.title ?? "Survey"}` }];

async function programmeChoices(context: LoaderFunctionArgs["context"], programmeId: string) {
  const communities = await context.db.selectFrom("communities").select(["id", "name"]).where("programme_id", "=", programmeId).orderBy("name").execute();
  const rounds = (await listRounds(context.db, programmeId)).map((r) => ({ id: r.id, name: r.name }));
  return { communities, rounds };
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { survey } = await requireSurvey(request, context, params.surveyId!);
  const origin = new URL(request.url).origin;
  const now = new Date().toISOString();
  const list = (await listLinks(context.db, survey.id)).map((l) => {
    const { token, ...rest } = l;
    const url = `${origin}/c/${token}`;
    return { ...rest, url, state: linkState(l, now), qr: qrPath(url) };
  });
  return {
    survey: { id: survey.id, title: survey.title, programmeId: survey.programmeId, programmeName: survey.programmeName, latestVersion: survey.latestVersion, status: survey.status },
    canAuthor: canAuthor(survey.role),
    links: list,
    ...(await programmeChoices(context, survey.programmeId)),
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
              <fieldset className="field">
                <legend>Used on</legend>
                {(["kiosk", "self"] as const).map((m) => (
                  <label key={m} className="radio">
                    <input type="radio" name="mode" value={m} defaultChecked={(values.mode ?? "kiosk") === m} /> {MODE_WORDS[m]}
                  </label>
                ))}
                {errors.mode ? <p className="error">{errors.mode}</p> : null}
              </fieldset>
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
              <Field label="Response cap (optional)" name="maxResponses" type="number" min={1} defaultValue={values.maxResponses} error={errors.maxResponses} hint="Stop accepting after this many responses." />
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
