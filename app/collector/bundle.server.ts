// What a tablet or phone needs to collect offline for one link: the link, the survey's latest
// published version, the programme's public key for sealing responses, and the communities and
// rounds a focus-group session can be recorded in. Nothing secret: anyone with the link may read it.
// Served as JSON by GET /api/v1/links/{token} and as loader data by the collector page /c/{token}.
import type { AppLoadContext } from "@remix-run/node";
import { requireLink } from "~/api/link-api.server";
import { getVersion } from "~/models/surveys.server";
import { listRounds } from "~/models/rounds.server";
import { programmeSealingKey } from "~/models/programme-keys.server";
import { versionVoices } from "~/models/voices.server";
import type { LinkBundle } from "./types";

export async function linkBundle(token: string, context: AppLoadContext): Promise<LinkBundle> {
  const link = await requireLink(token, context, { forSubmitting: false });
  const definition = await getVersion(context.db, link.surveyId, link.latestVersion);
  const communities = await context.db
    .selectFrom("communities")
    .select(["id", "name"])
    .where("programme_id", "=", link.programmeId)
    .orderBy("name")
    .execute();
  const rounds = (await listRounds(context.db, link.programmeId)).map((r) => ({ id: r.id, name: r.name, startsOn: r.startsOn, endsOn: r.endsOn }));
  return {
    link: {
      // Not a secret (the token is): a saved queue file names its link with it, so an import can
      // bring the file's sessions and refusals in with the link that made them.
      id: link.id,
      mode: link.mode,
      label: link.label,
      communityId: link.communityId,
      roundId: link.roundId,
      // Never the PIN's check value: this bundle goes to anyone holding the link (see the arming route).
      hasPin: link.mode === "kiosk" && link.kioskPin !== null,
      surveyStatus: link.surveyStatus,
    },
    survey: { id: link.surveyId, version: link.latestVersion, definition: definition as LinkBundle["survey"]["definition"] },
    sealing: await programmeSealingKey(context.db, link.programmeId),
    communities: link.communityId ? communities.filter((c) => c.id === link.communityId) : communities,
    rounds: link.roundId ? rounds.filter((r) => r.id === link.roundId) : rounds,
    // Clips by content hash, fetched through the link (see linkVoiceUrl) and precached with the page. Only
    // what the tablet uses: this list travels in the collection page itself.
    voices: (await versionVoices(context.db, link.surveyId, link.latestVersion)).map(({ prompt, language, hash }) => ({ prompt, language, hash })),
  };
}
