// One indicator's headline: the latest value with its interval and n, the change since baseline
// in plain words, progress towards the target, and the answers left out of the denominator.
import type { HeadlineView } from "~/dashboard/dashboard.server";
import { translator, type Translate } from "~/i18n/core";
import { dashboardEn, type DashboardWords } from "~/i18n/staff/dashboard";

const english = translator("en", dashboardEn, dashboardEn);


/**
 * hiddenReason: why there is no figure, in the words of what arrived (see hiddenFigureReason);
 * without it an empty headline only names the minimum group size. `t`: the page's words (English
 * where a page sends none).
 */
export function HeadlineCard({
  h,
  href,
  large = false,
  hiddenReason,
  t = english,
}: {
  h: HeadlineView;
  href?: string;
  large?: boolean;
  hiddenReason?: string | null;
  t?: Translate<DashboardWords>;
}) {
  const title = href ? <a href={href}>{h.label}</a> : h.label;
  return (
    <article className={`headline card${large ? " large" : ""}`} aria-label={h.label}>
      <h3 className="headline-title">{title}</h3>
      {h.empty ? (
        <p className="muted">{hiddenReason ? t("noFigureBecause", { reason: hiddenReason }) : h.n ? `${t("noFigure").replace(/\.$/, "")}: ${h.n.toLowerCase()}.` : t("noFigure")}</p>
      ) : (
        <>
          <p className="headline-value">
            <span className="big">{h.value}</span> <span className="muted">{h.period}</span>
          </p>
          <p className="headline-meta">
            {h.interval} · {h.n}
            {h.indicative ? ` · ${t("indicative")}` : ""}
          </p>
          {h.design ? <p className="headline-design muted">{h.design}</p> : null}
          {h.linked ? <p className="headline-linked muted">{h.linked}</p> : null}
          {h.change ? (
            <p className="headline-change">
              <span className={`verdict ${h.tone ?? "neutral"}`}>{h.verdict}</span> {h.change}
            </p>
          ) : (
            <p className="headline-change muted">{t("changeNeedsTwo")}</p>
          )}
          {h.target ? (
            <div className="target">
              <p>{h.target}</p>
              {h.targetProgress !== null ? (
                <div className="progress" role="img" aria-label={t("towardsTarget", { pct: Math.round(h.targetProgress * 100) })}>
                  <span style={{ width: `${Math.round(h.targetProgress * 100)}%` }} />
                </div>
              ) : null}
            </div>
          ) : null}
          {h.plan ? <p className={`headline-plan ${h.planReached ? "plan-reached" : "plan-short"}`}>{h.plan}</p> : null}
          {h.special ? <p className="headline-special">{t("latestAnswered", { special: h.special })}</p> : null}
        </>
      )}
    </article>
  );
}
