// A programme's home: its communities and its people. Administrators manage both here.
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { z } from "zod";
import { readForm, requireViewer } from "~/auth.server";
import { parseForm } from "~/forms.server";
import {
  createCommunity,
  DuplicateCommunityError,
  getProgramme,
  listCommunities,
  listMembers,
  MinCellSizeError,
  removeMembership,
  setMembership,
  setMinCellSize,
  setSampling,
  SamplingError,
  updateProgramme,
} from "~/models/programmes.server";
import { findUserByEmail } from "~/models/users.server";
import { canAuthor, listSurveys } from "~/models/surveys.server";
import { createRound, deleteRound, listRounds, RoundNameTakenError } from "~/models/rounds.server";
import { CsrfField, Field, Notice, formFeedback, useResetKey } from "~/ui/forms";
import { MIN_CELL_SIZE_FLOOR, MIN_CELL_SIZE_WITHOUT_ADMIN, MinCellSizeSchema, ProgrammeSchema, SAMPLING_LABELS, SamplingSchema } from "~/models/programme-forms";
import { recordAudit } from "~/models/audit.server";
import { listArrivalTotals } from "~/models/arrivals.server";
import { arrivalsShort } from "~/ui/dashboard/arrivals-text";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.programme.name ?? "Programme"} · Safety perception surveys` },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const viewer = await requireViewer(request, context);
  const programme = await getProgramme(context.db, viewer, params.programmeId!);
  if (!programme) throw data({ message: "There is no programme here, or you are not a member of it." }, { status: 404 });
  const [communities, members, surveys, rounds] = await Promise.all([
    listCommunities(context.db, viewer, programme.id),
    listMembers(context.db, programme.id),
    listSurveys(context.db, viewer, programme.id),
    listRounds(context.db, programme.id),
  ]);
  const role = viewer.isAdmin ? "admin" : programme.role;
  // "Responses received" per survey: managers cannot open the Data page, this tells them collection runs.
  const totals = await listArrivalTotals(context.db, viewer, programme.id);
  const received = Object.fromEntries(surveys.map((s) => [s.id, arrivalsShort(totals.get(s.id) ?? { total: 0, excluded: 0, lastReceivedAt: null })]));
  return { programme, communities, members, surveys, received, rounds, isAdmin: viewer.isAdmin, canAuthor: canAuthor(role) };
}

const CommunitySchema = z.object({
  name: z.string().trim().min(1, "Enter the community's name.").max(120),
  region: z.string().trim().max(120).default(""),
});
const MemberSchema = z.object({
  email: z.string().trim().email("Enter the email of an existing account."),
  role: z.enum(["facilitator", "manager"], { message: "Choose facilitator or manager." }),
});

const RoundSchema = z
  .object({
    name: z.string().trim().min(1, "Name the round, e.g. “Baseline 2026”.").max(80),
    kind: z.enum(["baseline", "midline", "endline", "custom"], { message: "Choose the kind of round." }),
    startsOn: z.iso.date("Enter the first day of the round."),
    endsOn: z.iso.date("Enter the last day of the round."),
  })
  .refine((r) => r.endsOn >= r.startsOn, { path: ["endsOn"], message: "The round cannot end before it starts." });

export async function action({ request, context, params }: ActionFunctionArgs) {
  const viewer = await requireViewer(request, context);
  const form = await readForm(request, context);
  const programme = await getProgramme(context.db, viewer, params.programmeId!);
  if (!programme) throw data({ message: "No such programme." }, { status: 404 });
  const intent = form.get("intent");

  // Facilitators define rounds; everything else on this page is for administrators.
  if (intent === "add-round" || intent === "delete-round") {
    if (!canAuthor(viewer.isAdmin ? "admin" : programme.role))
      throw data({ message: "Only the programme's facilitators can change its rounds." }, { status: 403 });
    if (intent === "delete-round") {
      const roundId = String(form.get("roundId"));
      const round = (await listRounds(context.db, programme.id)).find((r) => r.id === roundId);
      await deleteRound(context.db, programme.id, roundId);
      if (round)
        await recordAudit(context.db, viewer, { action: "round.delete", programmeId: programme.id, target: `round “${round.name}”`, details: { startsOn: round.startsOn, endsOn: round.endsOn } });
      return { intent, ok: "Round removed." };
    }
    const parsed = parseForm(RoundSchema, form);
    if (!parsed.ok) return data({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
    try {
      await createRound(context.db, { programmeId: programme.id, ...parsed.data });
      await recordAudit(context.db, viewer, { action: "round.create", programmeId: programme.id, target: `round “${parsed.data.name}”`, details: { kind: parsed.data.kind, startsOn: parsed.data.startsOn, endsOn: parsed.data.endsOn } });
    } catch (e) {
      if (e instanceof RoundNameTakenError)
        return data({ intent, errors: { name: e.message }, values: parsed.values }, { status: 400 });
      throw e;
    }
    return { intent, ok: `Added the round ${parsed.data.name}.` };
  }
  // Facilitators may raise the minimum cell size or keep it at 5 or more; administrators down to 3.
  if (intent === "set-min-cell-size") {
    if (!canAuthor(viewer.isAdmin ? "admin" : programme.role))
      throw data({ message: "Only the programme's facilitators and administrators can change the minimum cell size." }, { status: 403 });
    const parsed = parseForm(MinCellSizeSchema, form);
    if (!parsed.ok) return data({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
    try {
      const { from, to } = await setMinCellSize(context.db, viewer, programme.id, parsed.data.minCellSize);
      return { intent, ok: from === to ? `The minimum cell size stays ${to}.` : `The minimum cell size is now ${to} (was ${from}).` };
    } catch (e) {
      if (e instanceof MinCellSizeError) return data({ intent, errors: { [e.field]: e.message }, values: parsed.values }, { status: 400 });
      throw e;
    }
  }
  if (intent === "set-sampling") {
    if (!canAuthor(viewer.isAdmin ? "admin" : programme.role))
      throw data({ message: "Only the programme's facilitators and administrators can change how its sample is described." }, { status: 403 });
    const parsed = parseForm(SamplingSchema, form);
    if (!parsed.ok) return data({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
    try {
      const { to } = await setSampling(context.db, viewer, programme.id, parsed.data.sampling);
      return { intent, ok: `Sampling: ${SAMPLING_LABELS[to]}.` };
    } catch (e) {
      if (e instanceof SamplingError) return data({ intent, errors: { [e.field]: e.message }, values: parsed.values }, { status: 400 });
      throw e;
    }
  }
  if (!viewer.isAdmin) throw data({ message: "Only administrators can change this." }, { status: 403 });

  if (intent === "add-community") {
    const parsed = parseForm(CommunitySchema, form);
    if (!parsed.ok) return data({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
    try {
      await createCommunity(context.db, { programmeId: programme.id, ...parsed.data });
      await recordAudit(context.db, viewer, { action: "community.create", programmeId: programme.id, target: `community “${parsed.data.name}”`, details: { ...parsed.data } });
    } catch (e) {
      if (e instanceof DuplicateCommunityError)
        return data({ intent, errors: { name: e.message }, values: parsed.values }, { status: 400 });
      throw e;
    }
    return { intent, ok: `Added ${parsed.data.name}.` };
  }
  if (intent === "set-member") {
    const parsed = parseForm(MemberSchema, form);
    if (!parsed.ok) return data({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
    const user = await findUserByEmail(context.db, parsed.data.email);
    if (!user)
      return data(
        { intent, errors: { email: "No account has this email. Create the account first under Administration." }, values: parsed.values },
        { status: 400 },
      );
    await setMembership(context.db, { userId: user.id, programmeId: programme.id, role: parsed.data.role });
    await recordAudit(context.db, viewer, { action: "membership.set", programmeId: programme.id, target: `user ${user.email}`, details: { role: parsed.data.role } });
    return { intent, ok: `${user.display_name} is now a ${parsed.data.role}.` };
  }
  if (intent === "remove-member") {
    const userId = String(form.get("userId"));
    const member = (await listMembers(context.db, programme.id)).find((m) => m.userId === userId);
    await removeMembership(context.db, userId, programme.id);
    if (member)
      await recordAudit(context.db, viewer, { action: "membership.remove", programmeId: programme.id, target: `user ${member.email}`, details: { role: member.role } });
    return { intent, ok: "Removed from the programme." };
  }
  if (intent === "update-programme") {
    const parsed = parseForm(ProgrammeSchema, form);
    if (!parsed.ok) return data({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
    try {
      await updateProgramme(context.db, viewer, programme.id, parsed.data);
    } catch (e) {
      if (e instanceof MinCellSizeError) return data({ intent, errors: { [e.field]: e.message }, values: parsed.values }, { status: 400 });
      throw e;
    }
    return { intent, ok: "Programme saved." };
  }
  throw data({ message: `Unknown action "${String(intent)}".` }, { status: 400 });
}

export default function ProgrammePage() {
  const { programme, communities, members, surveys, received, rounds, isAdmin, canAuthor } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const resetKey = useResetKey(result);
  const busy = useNavigation().state !== "idle";
  const errorsFor = (intent: string) => formFeedback(result, intent).errors;
  const valuesFor = (intent: string) => formFeedback(result, intent).values;
  return (
    <>
      <p className="breadcrumbs">
        <Link to="/">Programmes</Link> ›
      </p>
      <h1>{programme.name}</h1>
      <p className="lede">
        {[programme.country, programme.description].filter(Boolean).join(" · ") || "No description yet."}
      </p>
      <p>
        <Link to="dashboard" className="button primary">
          Open the indicator dashboard
        </Link>
      </p>
      {result && "ok" in result ? <Notice kind="success">{result.ok}</Notice> : null}
      <section className="card" aria-labelledby="surveys-h">
        <div className="card-head">
          <h2 id="surveys-h">Surveys</h2>
          {canAuthor ? (
            <Link to="surveys/new" className="button primary">
              New survey
            </Link>
          ) : null}
        </div>
        {surveys.length === 0 ? (
          <p className="empty">No surveys yet.{canAuthor ? " Start one from a ready template in a few minutes." : ""}</p>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Survey</th>
                  <th scope="col">Published</th>
                  <th scope="col">Status</th>
                  <th scope="col">Responses received</th>
                </tr>
              </thead>
              <tbody>
                {surveys.map((s) => (
                  <tr key={s.id}>
                    <td>
                      <Link to={`/surveys/${s.id}`}>{s.title}</Link>
                    </td>
                    <td>
                      {s.latestVersion > 0 ? `Version ${s.latestVersion}` : "Not yet"}
                      {s.hasDraft ? <span className="tag warn">draft</span> : null}
                    </td>
                    <td>{s.status === "open" ? <span className="tag">open</span> : <span className="tag off">closed</span>}</td>
                    <td className="received">{received[s.id]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <div className="split">
        <section className="card" aria-labelledby="communities-h">
          <h2 id="communities-h">Communities</h2>
          {communities.length === 0 ? (
            <p className="empty">No communities yet.</p>
          ) : (
            <div className="table-wrap">
              <table className="data">
                <thead>
                  <tr>
                    <th scope="col">Community</th>
                    <th scope="col">Region / district</th>
                  </tr>
                </thead>
                <tbody>
                  {communities.map((c) => (
                    <tr key={c.id}>
                      <td>{c.name}</td>
                      <td>{c.region || "—"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {isAdmin ? (
            <Form key={resetKey} method="post" className="add-form">
              <h3>Add a community</h3>
              <CsrfField />
              <input type="hidden" name="intent" value="add-community" />
              <div className="form-row">
                <Field label="Name" name="name" defaultValue={valuesFor("add-community").name} error={errorsFor("add-community").name} required />
                <Field label="Region / district" name="region" defaultValue={valuesFor("add-community").region} error={errorsFor("add-community").region} />
              </div>
              <button type="submit" className="primary" disabled={busy}>
                Add community
              </button>
            </Form>
          ) : null}
        </section>

        <aside>
          <section className="card" aria-labelledby="rounds-h">
            <h2 id="rounds-h">Rounds</h2>
            <p className="muted">The periods dashboards compare: baseline, midline, endline or your own.</p>
            {rounds.length === 0 ? <p className="empty">No rounds yet.</p> : null}
            <ul className="member-list">
              {rounds.map((r) => (
                <li key={r.id}>
                  <span>
                    <strong>{r.name}</strong> <span className="tag">{r.kind}</span>
                    <br />
                    <span className="muted">
                      {r.startsOn} to {r.endsOn}
                    </span>
                  </span>
                  {canAuthor ? (
                    <Form method="post" className="inline">
                      <CsrfField />
                      <input type="hidden" name="intent" value="delete-round" />
                      <input type="hidden" name="roundId" value={r.id} />
                      <button type="submit" className="danger small" aria-label={`Remove round ${r.name}`}>
                        Remove
                      </button>
                    </Form>
                  ) : null}
                </li>
              ))}
            </ul>
            {canAuthor ? (
              <Form key={resetKey} method="post">
                <h3>Add a round</h3>
                <CsrfField />
                <input type="hidden" name="intent" value="add-round" />
                <Field label="Round name" name="roundName" error={errorsFor("add-round").name}>
                  <input id="f-roundName" name="name" defaultValue={valuesFor("add-round").name} aria-invalid={errorsFor("add-round").name ? true : undefined} />
                </Field>
                <Field label="Kind" name="kind" error={errorsFor("add-round").kind}>
                  <select id="f-kind" name="kind" defaultValue={valuesFor("add-round").kind ?? "baseline"}>
                    <option value="baseline">Baseline</option>
                    <option value="midline">Midline</option>
                    <option value="endline">Endline</option>
                    <option value="custom">Other (monthly, follow-up…)</option>
                  </select>
                </Field>
                <div className="form-row">
                  <Field label="Starts on" name="startsOn" type="date" defaultValue={valuesFor("add-round").startsOn} error={errorsFor("add-round").startsOn} />
                  <Field label="Ends on" name="endsOn" type="date" defaultValue={valuesFor("add-round").endsOn} error={errorsFor("add-round").endsOn} />
                </div>
                <button type="submit" className="secondary" disabled={busy}>
                  Add round
                </button>
              </Form>
            ) : null}
          </section>
          <section className="card" aria-labelledby="people-h">
            <h2 id="people-h">People</h2>
            {members.length === 0 ? <p className="empty">No members yet.</p> : null}
            <ul className="member-list">
              {members.map((m) => (
                <li key={m.userId}>
                  <span>
                    {m.displayName} <span className="muted">({m.email})</span> <span className="tag">{m.role}</span>
                    {!m.active ? <span className="tag off">deactivated</span> : null}
                  </span>
                  {isAdmin ? (
                    <Form key={resetKey} method="post" className="inline">
                      <CsrfField />
                      <input type="hidden" name="intent" value="remove-member" />
                      <input type="hidden" name="userId" value={m.userId} />
                      <button type="submit" className="danger small" aria-label={`Remove ${m.displayName}`}>
                        Remove
                      </button>
                    </Form>
                  ) : null}
                </li>
              ))}
            </ul>
            {isAdmin ? (
              <Form key={resetKey} method="post">
                <h3>Add a person</h3>
                <CsrfField />
                <input type="hidden" name="intent" value="set-member" />
                <Field label="Email of their account" name="email" type="email" defaultValue={valuesFor("set-member").email} error={errorsFor("set-member").email} required />
                <Field label="Role" name="role" error={errorsFor("set-member").role}>
                  <select id="f-role" name="role" defaultValue={valuesFor("set-member").role ?? "facilitator"}>
                    <option value="facilitator">Facilitator — authors surveys, collects responses</option>
                    <option value="manager">Manager — reads dashboards, exports aggregates</option>
                  </select>
                </Field>
                <button type="submit" className="secondary" disabled={busy}>
                  Add to programme
                </button>
              </Form>
            ) : null}
          </section>
          <section className="card" aria-labelledby="settings-h">
            <h2 id="settings-h">Disclosure control</h2>
            <p>
              Figures standing on fewer than <strong>{programme.minCellSize}</strong> respondents are hidden everywhere
              they leave the server.
            </p>
            {canAuthor ? (
              <Form key={`${resetKey}-${programme.minCellSize}`} method="post" noValidate>
                <CsrfField />
                <input type="hidden" name="intent" value="set-min-cell-size" />
                <Field
                  label="Minimum cell size"
                  name="minCellSize"
                  type="number"
                  min={isAdmin ? MIN_CELL_SIZE_FLOOR : MIN_CELL_SIZE_WITHOUT_ADMIN}
                  max={100}
                  defaultValue={valuesFor("set-min-cell-size").minCellSize ?? programme.minCellSize}
                  error={errorsFor("set-min-cell-size").minCellSize}
                  hint={
                    isAdmin
                      ? `At least ${MIN_CELL_SIZE_FLOOR}. Below ${MIN_CELL_SIZE_WITHOUT_ADMIN} only administrators may set it. Every change is written to the audit log.`
                      : `At least ${MIN_CELL_SIZE_WITHOUT_ADMIN}; ask an administrator for less. Every change is written to the audit log.`
                  }
                />
                <button type="submit" className="secondary small" disabled={busy}>
                  Save
                </button>
              </Form>
            ) : null}
          </section>
          <section className="card" aria-labelledby="sampling-h">
            <h2 id="sampling-h">Sampling</h2>
            <p>
              Intervals follow how respondents were chosen: <strong>{SAMPLING_LABELS[programme.sampling]}</strong>. People of one community answer
              alike, so a clustered sample's intervals are wider, and a figure for one community alone has none.
            </p>
            {canAuthor ? (
              <Form key={`${resetKey}-${programme.sampling}`} method="post" noValidate>
                <CsrfField />
                <input type="hidden" name="intent" value="set-sampling" />
                <Field label="How respondents were sampled" name="sampling" error={errorsFor("set-sampling").sampling}>
                  <select id="f-sampling" name="sampling" defaultValue={valuesFor("set-sampling").sampling ?? programme.sampling}>
                    {Object.entries(SAMPLING_LABELS).map(([value, label]) => (
                      <option key={value} value={value}>
                        {label}
                      </option>
                    ))}
                  </select>
                </Field>
                <button type="submit" className="secondary small" disabled={busy}>
                  Save
                </button>
              </Form>
            ) : null}
          </section>
        </aside>
      </div>
    </>
  );
}
