// A printable poster for a community link: the survey's title in each of its languages, a big QR
// code, short instructions and the address. Print CSS drops the site header and the buttons.
import { Link, useLoaderData } from "@remix-run/react";
import { type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { requireSurvey } from "~/survey-access.server";
import { getVersion } from "~/models/surveys.server";
import { listLinks } from "~/models/collection-links.server";
import type { SurveyDefinition } from "~/survey";
import { linkState } from "~/links/link-form";
import { posterWords } from "~/i18n/poster";
import { qrPath } from "~/links/qr.server";
import { publicAddress, publicUrlWarning, typedAddress } from "~/links/public-url.server";
import { formatShortCode } from "~/links/short-code";
import { QrCode } from "~/links/QrCode";
import linksStylesHref from "~/links/links.css?url";
import { refuse } from "~/refusal.server";
import { wordsFor } from "~/i18n/staff.server";
import { linksPage } from "~/i18n/staff/links";
import { useWords } from "~/i18n/staff";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: linksStylesHref }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? data.words.posterTitle.replace("{label}", data.label) : "Poster" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { viewer, survey } = await requireSurvey(request, context, params.surveyId!);
  const { words, t } = await wordsFor(context.db, request, viewer.id, linksPage);
  const link = (await listLinks(context.db, survey.id)).find((l) => l.id === params.linkId);
  if (!link) throw refuse("refused.noLink", 404);
  const def = (await getVersion(context.db, survey.id, survey.latestVersion)) as SurveyDefinition | null;
  const address = publicAddress(request);
  const url = `${address.base}/c/${link.token}`;
  // What a respondent types: the short code's address, or the full one for a link without a code.
  const typed = link.shortCode ? typedAddress(address.base, formatShortCode(link.shortCode)) : url;
  const languages = (def?.languages ?? [{ code: "en", name: "English", direction: "ltr" as const }]).map((l) => ({
    code: l.code,
    direction: l.direction,
    title: def?.title[l.code] ?? survey.title,
    words: posterWords(l.code),
  }));
  return { surveyId: survey.id, label: link.label, mode: link.mode, state: linkState(link), url, typed, publicUrlProblem: address.problem, publicUrlWarning: publicUrlWarning(t, address), qr: qrPath(url), languages, words };
}

export default function Poster() {
  const d = useLoaderData<typeof loader>();
  const t = useWords(d.words);
  return (
    <div className="poster">
      <div className="poster-bar no-print">
        <Link to={`/surveys/${d.surveyId}/links`}>{t("backToLinks")}</Link>
        <button type="button" className="primary" onClick={() => window.print()}>
          {t("print")}
        </button>
      </div>
      {d.state !== "active" ? (
        <p className="notice notice-error no-print">{t("posterDead", { state: t(`state.${d.state}`).toLowerCase() })}</p>
      ) : null}
      {d.publicUrlProblem ? (
        <p className="notice notice-warning no-print" data-public-url={d.publicUrlProblem}>
          {d.publicUrlWarning}
        </p>
      ) : null}
      {d.mode === "kiosk" ? <p className="notice notice-info no-print">{t("posterKiosk")}</p> : null}
      <header className="poster-titles">
        {d.languages.map((l, i) =>
          i === 0 ? (
            <h1 key={l.code} lang={l.code} dir={l.direction}>
              {l.title}
            </h1>
          ) : (
            <p key={l.code} lang={l.code} dir={l.direction}>
              {l.title}
            </p>
          ),
        )}
      </header>
      <QrCode qr={d.qr} label={t("qrCode", { url: d.url })} className="qr poster-qr" />
      <div className="poster-steps">
        {d.languages.map((l) => (
          <p key={l.code} lang={l.code} dir={l.direction}>
            {l.words.scan} {l.words.anonymous}
          </p>
        ))}
      </div>
      <div className="poster-or-type">
        {d.languages.map((l) => (
          <p key={l.code} lang={l.code} dir={l.direction}>
            {l.words.orType}
          </p>
        ))}
      </div>
      <p className="poster-url">
        <code>{d.typed}</code>
      </p>
    </div>
  );
}
