// Pre-aggregated figures that dashboards read, kept up to date in the same transaction as each
// response is stored or excluded (no nightly batch).
import type { Transaction } from "kysely";
import type { Database } from "~db/schema";
import type { Answers, SurveyDefinition } from "~/survey";

export interface AggregateInput {
  id: string;
  surveyId: string;
  surveyVersion: number;
  definition: SurveyDefinition;
  answers: Answers;
  communityId: string | null;
  roundId: string | null;
  sessionId: string | null;
  collectedAt: string;
}

/**
 * Adds (sign 1) or removes (sign -1, for exclusions) responses from the aggregates.
 * The dashboards issue fills this in; until then responses are stored and aggregates are empty.
 */
export async function applyResponsesToAggregates(
  _trx: Transaction<Database>,
  _responses: AggregateInput[],
  _sign: 1 | -1,
): Promise<void> {}
