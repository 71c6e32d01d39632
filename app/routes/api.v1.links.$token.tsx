// GET /api/v1/links/{token} — what a tablet needs to collect offline: the link, the survey's latest
// published version, and the communities and rounds a focus-group session can be recorded in.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { rateLimit, requireLink } from "~/api/link-api.server";
import { getVersion } from "~/models/surveys.server";
import { listRounds } from "~/models/rounds.server";

export async function loader({ context, params }: LoaderFunctionArgs) {
  const token = params.token!;
  rateLimit(token, context);
  const link = await requireLink(token, context, { forSubmitting: false });
  const definition = await getVersion(context.db, link.surveyId, link.latestVersion);
  const communities = await context.db
    .selectFrom("communities")
    .select(["id", "name"])
    .where("programme_id", "=", link.programmeId)
    .orderBy("name")
    .execute();
  const rounds = (await listRounds(context.db, link.programmeId)).map((r) => ({ id: r.id, name: r.name, startsOn: r.startsOn, endsOn: r.endsOn }));
  return Response.json(
    {
      link: {
        mode: link.mode,
        label: link.label,
        communityId: link.communityId,
        roundId: link.roundId,
        kioskPin: link.mode === "kiosk" ? link.kioskPin : null,
        surveyStatus: link.surveyStatus,
      },
      survey: { id: link.surveyId, version: link.latestVersion, definition },
      communities: link.communityId ? communities.filter((c) => c.id === link.communityId) : communities,
      rounds: link.roundId ? rounds.filter((r) => r.id === link.roundId) : rounds,
    },
    { headers: { "Cache-Control": "no-store" } },
  );
}
