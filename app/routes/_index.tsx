// Home: the programmes the signed-in person belongs to (all of them for administrators).
import { Link, useLoaderData } from "@remix-run/react";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { requireViewer } from "~/auth.server";
import { listProgrammes } from "~/models/programmes.server";
import { wordsFor } from "~/i18n/staff.server";
import { programmes as programmesWords } from "~/i18n/staff/programmes";
import { useWords } from "~/i18n/staff";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.words.pageTitle ?? "Programmes" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = await requireViewer(request, context);
  const { words } = await wordsFor(context.db, request, viewer.id, programmesWords);
  return { programmes: await listProgrammes(context.db, viewer), isAdmin: viewer.isAdmin, words };
}

export default function Home() {
  const { programmes, isAdmin, words } = useLoaderData<typeof loader>();
  const t = useWords(words);
  return (
    <>
      <h1>{t("heading")}</h1>
      <p className="lede">{t("lede")}</p>
      {programmes.length === 0 ? (
        <div className="card">
          <p>{t("none")}</p>
          {isAdmin ? (
            <p>
              <Link to="/admin" className="button primary">
                {t("create")}
              </Link>
            </p>
          ) : (
            <p className="muted">{t("askAdmin")}</p>
          )}
        </div>
      ) : (
        <div className="grid">
          {programmes.map((p) => (
            <Link key={p.id} to={`/programmes/${p.id}`} className="card programme-card">
              <h2>{p.name}</h2>
              <p className="muted">{p.country || t("noCountry")}</p>
              <p>
                {t("communities", { n: p.communityCount })}{" "}
                {p.role ? <span className="tag">{t(p.role)}</span> : <span className="tag warn">{t("administrator")}</span>}
              </p>
            </Link>
          ))}
        </div>
      )}
    </>
  );
}
