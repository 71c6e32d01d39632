// Where a response counts: the community and round it is stored with. One rule for responses as
// they arrive and for responses already stored when their session changes. (Which round a response
// without one counts in, by its date, is `roundFor` in aggregates.server.ts.) Pure.

export interface Place {
  communityId: string | null;
  roundId: string | null;
}

/**
 * A response collected in a focus-group session is placed where the session was held; the
 * collection link's binding, where set, wins (the tablet's session form already enforces it).
 */
export function placeInSession(link: Place, session: Place | null): Place {
  return {
    communityId: link.communityId ?? session?.communityId ?? null,
    roundId: link.roundId ?? session?.roundId ?? null,
  };
}

/**
 * The `updated_at` of a session row made bare because a response named it before the session
 * itself arrived: older than anything a tablet sends, so the tablet's own record always replaces it.
 */
export const BARE_SESSION_UPDATED_AT = "1970-01-01T00:00:00.000Z";
