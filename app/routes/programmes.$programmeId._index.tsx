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
import { MIN_CELL_SIZE_FLOOR, MIN_CELL_SIZE_WITHOUT_ADMIN, ProgrammeSchema, SAMPLING_LABELS, SamplingSchema } from "~/models/programme-forms";
import { recordAudit } from "~/models/audit.server";
import { listArrivalTotals } from "~/models/arrivals.server";
import { parseNameTranslations } from "~/models/name-translations";
import { programmeNameTranslations, setNameTranslations } from "~/models/name-translations.server";
import { NameTranslationsForm } from "~/ui/NameTranslationsForm";
import { wordsFor } from "~/i18n/staff.server";
import { programme as programmeWords, type ProgrammeWords } from "~/i18n/staff/programme";
import type { Translate } from "~/i18n/core";
import { useWords } from "~/i18n/staff";
import { refuse } from "~/refusal.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? data.words.pageTitle.replace("{name}", data.programme.name) : "Programme" }];

/** "12, the last on 1 Dec 2026, 09:50 UTC (2 excluded)", in the page's language. */
function receivedLine(t: Translate<ProgrammeWords>, locale: string, a: { total: number; excluded: number; lastReceivedAt: string | null }): string {
  const tag = locale === "en" ? "en-GB" : locale;
  const time = (iso: string) =>
    `${new Date(iso).toLocaleString(tag, { timeZone: "UTC", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" })} UTC`;
  const text = a.total === 0 ? t("receivedNone") : a.lastReceivedAt ? t("receivedSome", { n: a.total, time: time(a.lastReceivedAt) }) : String(a.total);
  return a.excluded ? t("receivedExcluded", { text, n: a.excluded }) : text;
}

/** A sampling description in the page's language. */
const samplingWord = (t: Translate<ProgrammeWords>, s: keyof typeof SAMPLING_LABELS) =>
  t(s === "auto" ? "samplingAuto" : s === "simple" ? "samplingSimple" : "samplingCommunity");

/** Why a minimum cell size was refused, from the rule in programme-forms.ts. */
const cellSizeProblem = (t: Translate<ProgrammeWords>, value: number) =>
  !Number.isInteger(value) || value < MIN_CELL_SIZE_FLOOR ? t("cellFloor", { floor: MIN_CELL_SIZE_FLOOR }) : value > 100 ? t("cellMax") : t("cellAdmin", { limit: MIN_CELL_SIZE_WITHOUT_ADMIN });

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const viewer = await requireViewer(request, context);
  const programme = await getProgramme(context.db, viewer, params.programmeId!);
  if (!programme) throw refuse("refused.noProgramme", 404);
  const [communities, members, surveys, rounds, names] = await Promise.all([
    listCommunities(context.db, viewer, programme.id),
    listMembers(context.db, programme.id),
    listSurveys(context.db, viewer, programme.id),
    listRounds(context.db, programme.id),
    programmeNameTranslations(context.db, programme.id),
  ]);
  const role = viewer.isAdmin ? "admin" : programme.role;
  // "Responses received" per survey: managers cannot open the Data page, this tells them collection runs.
  const totals = await listArrivalTotals(context.db, viewer, programme.id);
  const { locale, words, t } = await wordsFor(context.db, request, viewer.id, programmeWords);
  const received = Object.fromEntries(surveys.map((s) => [s.id, receivedLine(t, locale, totals.get(s.id) ?? { total: 0, excluded: 0, lastReceivedAt: null })]));
  return { programme, communities, members, surveys, received, rounds, names, isAdmin: viewer.isAdmin, canAuthor: canAuthor(role), words };
}

// The forms' schemas speak the person's language: made per request with its words.
const communitySchema = (t: Translate<ProgrammeWords>) =>
  z.object({
    name: z.string().trim().min(1, t("communityRequired")).max(120, t("tooLong", { max: 120 })),
    region: z.string().trim().max(120, t("tooLong", { max: 120 })).default(""),
  });
const memberSchema = (t: Translate<ProgrammeWords>) =>
  z.object({
    email: z.string().trim().email(t("emailInvalid")),
    role: z.enum(["facilitator", "manager"], { message: t("roleInvalid") }),
  });
const roundSchema = (t: Translate<ProgrammeWords>) =>
  z
    .object({
      name: z.string().trim().min(1, t("roundRequired")).max(80, t("tooLong", { max: 80 })),
      kind: z.enum(["baseline", "midline", "endline", "custom"], { message: t("kindInvalid") }),
      startsOn: z.iso.date(t("startsInvalid")),
      endsOn: z.iso.date(t("endsInvalid")),
    })
    .refine((r) => r.endsOn >= r.startsOn, { path: ["endsOn"], message: t("endsBeforeStart") });
const cellSizeSchema = (t: Translate<ProgrammeWords>) =>
  z.object({
    minCellSize: z.coerce
      .number({ message: t("wholeNumber") })
      .int(t("wholeNumber"))
      .min(MIN_CELL_SIZE_FLOOR, t("cellFloor", { floor: MIN_CELL_SIZE_FLOOR }))
      .max(100, t("cellMax")),
  });

export async function action({ request, context, params }: ActionFunctionArgs) {
  const viewer = await requireViewer(request, context);
  const form = await readForm(request, context);
  const programme = await getProgramme(context.db, viewer, params.programmeId!);
  if (!programme) throw refuse("refused.noProgramme", 404);
  const intent = form.get("intent");
  const { t } = await wordsFor(context.db, request, viewer.id, programmeWords);

  // Names in other languages: of rounds by those who define rounds, of communities by administrators.
  if (intent === "set-names") {
    const kind = form.get("kind") === "rounds" ? "rounds" : "communities";
    const allowed = kind === "rounds" ? canAuthor(viewer.isAdmin ? "admin" : programme.role) : viewer.isAdmin;
    if (!allowed) throw refuse("refused.namesNotYours", 403);
    const id = String(form.get("id") ?? "");
    const parsed = parseNameTranslations(String(form.get("translations") ?? ""));
    if (!parsed.ok) {
      const key = ({ format: "namesFormat", code: "namesCode", long: "namesLong", twice: "namesTwice" } as const)[parsed.problem];
      return data({ intent, errors: { [`names-${id}`]: t(key, { line: parsed.line }) } }, { status: 400 });
    }
    if (!(await setNameTranslations(context.db, programme.id, kind, id, parsed.value))) throw refuse("refused.noNamed", 404);
    await recordAudit(context.db, viewer, { action: kind === "rounds" ? "round.names" : "community.names", programmeId: programme.id, target: `${kind === "rounds" ? "round" : "community"} ${id}`, details: parsed.value });
    return { intent, ok: t("namesSaved") };
  }

  // Facilitators define rounds; everything else on this page is for administrators.
  if (intent === "add-round" || intent === "delete-round") {
    if (!canAuthor(viewer.isAdmin ? "admin" : programme.role))
      throw refuse("refused.authorsRounds", 403);
    if (intent === "delete-round") {
      const roundId = String(form.get("roundId"));
      const round = (await listRounds(context.db, programme.id)).find((r) => r.id === roundId);
      await deleteRound(context.db, programme.id, roundId);
      if (round)
        await recordAudit(context.db, viewer, { action: "round.delete", programmeId: programme.id, target: `round “${round.name}”`, details: { startsOn: round.startsOn, endsOn: round.endsOn } });
      return { intent, ok: t("roundRemoved") };
    }
    const parsed = parseForm(roundSchema(t), form);
    if (!parsed.ok) return data({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
    try {
      await createRound(context.db, { programmeId: programme.id, ...parsed.data });
      await recordAudit(context.db, viewer, { action: "round.create", programmeId: programme.id, target: `round “${parsed.data.name}”`, details: { kind: parsed.data.kind, startsOn: parsed.data.startsOn, endsOn: parsed.data.endsOn } });
    } catch (e) {
      if (e instanceof RoundNameTakenError)
        return data({ intent, errors: { name: t("roundTaken", { name: parsed.data.name }) }, values: parsed.values }, { status: 400 });
      throw e;
    }
    return { intent, ok: t("roundAdded", { name: parsed.data.name }) };
  }
  // Facilitators may raise the minimum cell size or keep it at 5 or more; administrators down to 3.
  if (intent === "set-min-cell-size") {
    if (!canAuthor(viewer.isAdmin ? "admin" : programme.role))
      throw refuse("refused.authorsCellSize", 403);
    const parsed = parseForm(cellSizeSchema(t), form);
    if (!parsed.ok) return data({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
    try {
      const { from, to } = await setMinCellSize(context.db, viewer, programme.id, parsed.data.minCellSize);
      return { intent, ok: from === to ? t("cellStays", { n: to }) : t("cellChanged", { to, from }) };
    } catch (e) {
      if (e instanceof MinCellSizeError)
        return data({ intent, errors: { [e.field]: cellSizeProblem(t, parsed.data.minCellSize) }, values: parsed.values }, { status: 400 });
      throw e;
    }
  }
  if (intent === "set-sampling") {
    if (!canAuthor(viewer.isAdmin ? "admin" : programme.role))
      throw refuse("refused.authorsSampling", 403);
    const parsed = parseForm(SamplingSchema, form);
    if (!parsed.ok) return data({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
    try {
      const { to } = await setSampling(context.db, viewer, programme.id, parsed.data.sampling);
      return { intent, ok: t("samplingSaved", { how: samplingWord(t, to) }) };
    } catch (e) {
      if (e instanceof SamplingError) return data({ intent, errors: { [e.field]: e.message }, values: parsed.values }, { status: 400 });
      throw e;
    }
  }
  if (!viewer.isAdmin) throw refuse("refused.adminsChange", 403);

  if (intent === "add-community") {
    const parsed = parseForm(communitySchema(t), form);
    if (!parsed.ok) return data({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
    try {
      await createCommunity(context.db, { programmeId: programme.id, ...parsed.data });
      await recordAudit(context.db, viewer, { action: "community.create", programmeId: programme.id, target: `community “${parsed.data.name}”`, details: { ...parsed.data } });
    } catch (e) {
      if (e instanceof DuplicateCommunityError)
        return data({ intent, errors: { name: t("communityTaken", { name: parsed.data.name }) }, values: parsed.values }, { status: 400 });
      throw e;
    }
    return { intent, ok: t("communityAdded", { name: parsed.data.name }) };
  }
  if (intent === "set-member") {
    const parsed = parseForm(memberSchema(t), form);
    if (!parsed.ok) return data({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
    const user = await findUserByEmail(context.db, parsed.data.email);
    if (!user)
      return data(
        { intent, errors: { email: t("noAccount") }, values: parsed.values },
        { status: 400 },
      );
    await setMembership(context.db, { userId: user.id, programmeId: programme.id, role: parsed.data.role });
    await recordAudit(context.db, viewer, { action: "membership.set", programmeId: programme.id, target: `user ${user.email}`, details: { role: parsed.data.role } });
    return { intent, ok: t("memberSet", { name: user.display_name, role: t(parsed.data.role) }) };
  }
  if (intent === "remove-member") {
    const userId = String(form.get("userId"));
    const member = (await listMembers(context.db, programme.id)).find((m) => m.userId === userId);
    await removeMembership(context.db, userId, programme.id);
    if (member)
      await recordAudit(context.db, viewer, { action: "membership.remove", programmeId: programme.id, target: `user ${member.email}`, details: { role: member.role } });
    return { intent, ok: t("memberRemoved") };
  }
  if (intent === "update-programme") {
    const parsed = parseForm(ProgrammeSchema, form);
    if (!parsed.ok) return data({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
    try {
      await updateProgramme(context.db, viewer, programme.id, parsed.data);
    } catch (e) {
      if (e instanceof MinCellSizeError)
        return data({ intent, errors: { [e.field]: cellSizeProblem(t, parsed.data.minCellSize) }, values: parsed.values }, { status: 400 });
      throw e;
    }
    return { intent, ok: t("programmeSaved") };
  }
  throw refuse("refused.unknownAction", 400, { intent: String(intent) });
}

export default function ProgrammePage() {
  const { programme, communities, members, surveys, received, rounds, names, isAdmin, canAuthor, words } = useLoaderData<typeof loader>();
  const t = useWords(words);
  const samplingLabel = (s: keyof typeof SAMPLING_LABELS) => samplingWord(t, s);
  const namesWords = { summary: t("namesSummary"), hint: t("namesHint"), save: t("saveNames"), label: (name: string) => t("namesLabel", { name }) };
  const result = useActionData<typeof action>();
  const resetKey = useResetKey(result);
  const busy = useNavigation().state !== "idle";
  const errorsFor = (intent: string) => formFeedback(result, intent).errors;
  const valuesFor = (intent: string) => formFeedback(result, intent).values;
  return (
    <>
      <p className="breadcrumbs">
        <Link to="/">{t("crumbProgrammes")}</Link> ›
      </p>
      <h1>{programme.name}</h1>
      <p className="lede">
        {[programme.country, programme.description].filter(Boolean).join(" · ") || t("noDescription")}
      </p>
      <p>
        <Link to="dashboard" className="button primary">
          {t("openDashboard")}
        </Link>{" "}
        <Link to="tracking" className="button">
          {t("openTracking")}
        </Link>
      </p>
      {result && "ok" in result ? <Notice kind="success">{result.ok}</Notice> : null}
      <section className="card" aria-labelledby="surveys-h">
        <div className="card-head">
          <h2 id="surveys-h">{t("surveys")}</h2>
          {canAuthor ? (
            <Link to="surveys/new" className="button primary">
              {t("newSurvey")}
            </Link>
          ) : null}
        </div>
        {surveys.length === 0 ? (
          <p className="empty">{canAuthor ? t("noSurveysAuthor") : t("noSurveys")}</p>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">{t("colSurvey")}</th>
                  <th scope="col">{t("colPublished")}</th>
                  <th scope="col">{t("colStatus")}</th>
                  <th scope="col">{t("colReceived")}</th>
                </tr>
              </thead>
              <tbody>
                {surveys.map((s) => (
                  <tr key={s.id}>
                    <td>
                      <Link to={`/surveys/${s.id}`}>{s.title}</Link>
                    </td>
                    <td>
                      {s.latestVersion > 0 ? t("version", { n: s.latestVersion }) : t("notYet")}
                      {s.hasDraft ? <span className="tag warn">{t("draft")}</span> : null}
                    </td>
                    <td>{s.status === "open" ? <span className="tag">{t("open")}</span> : <span className="tag off">{t("closed")}</span>}</td>
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
          <h2 id="communities-h">{t("communities")}</h2>
          {communities.length === 0 ? (
            <p className="empty">{t("noCommunities")}</p>
          ) : (
            <div className="table-wrap">
              <table className="data">
                <thead>
                  <tr>
                    <th scope="col">{t("colCommunity")}</th>
                    <th scope="col">{t("colRegion")}</th>
                    <th scope="col">{t("colOtherLanguages")}</th>
                  </tr>
                </thead>
                <tbody>
                  {communities.map((c) => (
                    <tr key={c.id}>
                      <td>{c.name}</td>
                      <td>{c.region || "—"}</td>
                      <td>
                        {isAdmin ? (
                          <NameTranslationsForm words={namesWords} kind="communities" id={c.id} name={c.name} translations={names.communities[c.id] ?? {}} error={errorsFor("set-names")[`names-${c.id}`]} busy={busy} />
                        ) : (
                          Object.values(names.communities[c.id] ?? {}).join(" · ") || "—"
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {isAdmin ? (
            <Form key={resetKey} method="post" className="add-form">
              <h3>{t("addCommunityHeading")}</h3>
              <CsrfField />
              <input type="hidden" name="intent" value="add-community" />
              <div className="form-row">
                <Field label={t("name")} name="name" defaultValue={valuesFor("add-community").name} error={errorsFor("add-community").name} required />
                <Field label={t("colRegion")} name="region" defaultValue={valuesFor("add-community").region} error={errorsFor("add-community").region} />
              </div>
              <button type="submit" className="primary" disabled={busy}>
                {t("addCommunity")}
              </button>
            </Form>
          ) : null}
        </section>

        <aside>
          <section className="card" aria-labelledby="rounds-h">
            <h2 id="rounds-h">{t("rounds")}</h2>
            <p className="muted">{t("roundsIntro")}</p>
            {rounds.length === 0 ? <p className="empty">{t("noRounds")}</p> : null}
            <ul className="member-list">
              {rounds.map((r) => (
                <li key={r.id}>
                  <span>
                    <strong>{r.name}</strong> <span className="tag">{t(r.kind)}</span>
                    <br />
                    <span className="muted">
                      {t("roundDates", { from: r.startsOn, to: r.endsOn })}
                    </span>
                    {canAuthor ? (
                      <NameTranslationsForm words={namesWords} kind="rounds" id={r.id} name={r.name} translations={names.rounds[r.id] ?? {}} error={errorsFor("set-names")[`names-${r.id}`]} busy={busy} />
                    ) : null}
                  </span>
                  {canAuthor ? (
                    <Form method="post" className="inline">
                      <CsrfField />
                      <input type="hidden" name="intent" value="delete-round" />
                      <input type="hidden" name="roundId" value={r.id} />
                      <button type="submit" className="danger small" aria-label={t("removeRound", { name: r.name })}>
                        {t("remove")}
                      </button>
                    </Form>
                  ) : null}
                </li>
              ))}
            </ul>
            {canAuthor ? (
              <Form key={resetKey} method="post">
                <h3>{t("addRoundHeading")}</h3>
                <CsrfField />
                <input type="hidden" name="intent" value="add-round" />
                <Field label={t("roundName")} name="roundName" error={errorsFor("add-round").name}>
                  <input id="f-roundName" name="name" defaultValue={valuesFor("add-round").name} aria-invalid={errorsFor("add-round").name ? true : undefined} />
                </Field>
                <Field label={t("kind")} name="kind" error={errorsFor("add-round").kind}>
                  <select id="f-kind" name="kind" defaultValue={valuesFor("add-round").kind ?? "baseline"}>
                    <option value="baseline">{t("baseline")}</option>
                    <option value="midline">{t("midline")}</option>
                    <option value="endline">{t("endline")}</option>
                    <option value="custom">{t("custom")}</option>
                  </select>
                </Field>
                <div className="form-row">
                  <Field label={t("startsOn")} name="startsOn" type="date" defaultValue={valuesFor("add-round").startsOn} error={errorsFor("add-round").startsOn} />
                  <Field label={t("endsOn")} name="endsOn" type="date" defaultValue={valuesFor("add-round").endsOn} error={errorsFor("add-round").endsOn} />
                </div>
                <button type="submit" className="secondary" disabled={busy}>
                  {t("addRound")}
                </button>
              </Form>
            ) : null}
          </section>
          <section className="card" aria-labelledby="people-h">
            <h2 id="people-h">{t("people")}</h2>
            {members.length === 0 ? <p className="empty">{t("noMembers")}</p> : null}
            <ul className="member-list">
              {members.map((m) => (
                <li key={m.userId}>
                  <span>
                    {m.displayName} <span className="muted">({m.email})</span> <span className="tag">{t(m.role)}</span>
                    {!m.active ? <span className="tag off">{t("deactivated")}</span> : null}
                  </span>
                  {isAdmin ? (
                    <Form key={resetKey} method="post" className="inline">
                      <CsrfField />
                      <input type="hidden" name="intent" value="remove-member" />
                      <input type="hidden" name="userId" value={m.userId} />
                      <button type="submit" className="danger small" aria-label={t("removePerson", { name: m.displayName })}>
                        {t("remove")}
                      </button>
                    </Form>
                  ) : null}
                </li>
              ))}
            </ul>
            {isAdmin ? (
              <Form key={resetKey} method="post">
                <h3>{t("addPersonHeading")}</h3>
                <CsrfField />
                <input type="hidden" name="intent" value="set-member" />
                <Field label={t("memberEmail")} name="email" type="email" defaultValue={valuesFor("set-member").email} error={errorsFor("set-member").email} required />
                <Field label={t("role")} name="role" error={errorsFor("set-member").role}>
                  <select id="f-role" name="role" defaultValue={valuesFor("set-member").role ?? "facilitator"}>
                    <option value="facilitator">{t("roleFacilitator")}</option>
                    <option value="manager">{t("roleManager")}</option>
                  </select>
                </Field>
                <button type="submit" className="secondary" disabled={busy}>
                  {t("addPerson")}
                </button>
              </Form>
            ) : null}
          </section>
          <section className="card" aria-labelledby="settings-h">
            <h2 id="settings-h">{t("disclosure")}</h2>
            <p>{t("disclosureText", { n: programme.minCellSize })}</p>
            {canAuthor ? (
              <Form key={`${resetKey}-${programme.minCellSize}`} method="post" noValidate>
                <CsrfField />
                <input type="hidden" name="intent" value="set-min-cell-size" />
                <Field
                  label={t("minCellSize")}
                  name="minCellSize"
                  type="number"
                  min={isAdmin ? MIN_CELL_SIZE_FLOOR : MIN_CELL_SIZE_WITHOUT_ADMIN}
                  max={100}
                  defaultValue={valuesFor("set-min-cell-size").minCellSize ?? programme.minCellSize}
                  error={errorsFor("set-min-cell-size").minCellSize}
                  hint={
                    isAdmin
                      ? t("minCellHintAdmin", { floor: MIN_CELL_SIZE_FLOOR, limit: MIN_CELL_SIZE_WITHOUT_ADMIN })
                      : t("minCellHintOther", { limit: MIN_CELL_SIZE_WITHOUT_ADMIN })
                  }
                />
                <button type="submit" className="secondary small" disabled={busy}>
                  {t("save")}
                </button>
              </Form>
            ) : null}
          </section>
          <section className="card" aria-labelledby="sampling-h">
            <h2 id="sampling-h">{t("samplingTitle")}</h2>
            <p>{t("samplingLead", { how: samplingLabel(programme.sampling) })}</p>
            {canAuthor ? (
              <Form key={`${resetKey}-${programme.sampling}`} method="post" noValidate>
                <CsrfField />
                <input type="hidden" name="intent" value="set-sampling" />
                <Field label={t("samplingField")} name="sampling" error={errorsFor("set-sampling").sampling}>
                  <select id="f-sampling" name="sampling" defaultValue={valuesFor("set-sampling").sampling ?? programme.sampling}>
                    {(Object.keys(SAMPLING_LABELS) as (keyof typeof SAMPLING_LABELS)[]).map((value) => (
                      <option key={value} value={value}>
                        {samplingLabel(value)}
                      </option>
                    ))}
                  </select>
                </Field>
                <button type="submit" className="secondary small" disabled={busy}>
                  {t("save")}
                </button>
              </Form>
            ) : null}
          </section>
        </aside>
      </div>
    </>
  );
}
