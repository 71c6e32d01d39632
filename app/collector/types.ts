// The shapes the collector keeps on the device and sends to the sync API (the API's own body format).
import type { Answers, SurveyDefinition } from "../survey/definition";
import type { SealedItem, SealingKey } from "./seal";
import type { BundledVoice } from "../voices/prompts";

export interface LinkBundle {
  link: {
    /** Absent from bundles saved before it was added. */
    id?: string;
    mode: "kiosk" | "self";
    label: string;
    communityId: string | null;
    roundId: string | null;
    /**
     * Whether the link has a facilitator PIN. Its check value is never in the bundle (anyone with
     * the link reads it): a facilitator arms the tablet to get it (GET … /arming, see arming.ts).
     */
    hasPin: boolean;
    surveyStatus: "open" | "closed";
  };
  survey: { id: string; version: number; definition: SurveyDefinition };
  /** The programme's public key: responses are sealed to it the moment they are saved. */
  sealing: SealingKey;
  communities: { id: string; name: string }[];
  rounds: { id: string; name: string; startsOn: string | null; endsOn: string | null }[];
  /** The recorded voices the survey's version carries (absent from bundles saved before voices existed). */
  voices?: BundledVoice[];
}

/** One response exactly as POST /api/v1/links/{token}/responses takes it. */
export interface OutgoingResponse {
  id: string;
  surveyVersion: number;
  collectedAt: string;
  language: string;
  sessionId?: string;
  answers: Answers;
}

/** A focus-group session exactly as POST /api/v1/links/{token}/sessions takes it. */
export interface OutgoingSession {
  id: string;
  communityId: string | null;
  roundId: string | null;
  heldOn: string;
  groupDescription: string;
  /** The group label may be shown to respondents (kiosk bar); otherwise it is the facilitator's note. Absent: no. */
  groupPublic?: boolean;
  participantCount: number | null;
  notes: string;
  updatedAt: string;
  /** The tablet's name from arming, and the facilitator who ran the session (tablets armed before these send none). */
  deviceName?: string;
  facilitatorId?: string;
}

export interface OutgoingRefusal {
  id: string;
  sessionId: string | null;
  recordedOn: string;
}

/** The "Save queue to file" format: the sync API bodies, merged (responses sealed, as the tablet sends them). */
export interface QueueFile {
  /** The link the tablet collects through (absent in files saved before it was added). */
  link?: { id: string; label: string };
  responses: SealedItem[];
  sessions: OutgoingSession[];
  refusals: OutgoingRefusal[];
}
