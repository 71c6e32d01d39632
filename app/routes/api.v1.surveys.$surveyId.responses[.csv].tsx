// GET /api/v1/surveys/{id}/responses.csv[?labels=<lang>&bom=1] — raw responses, streamed; audited.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { rawResponsesDownload } from "~/exchange/downloads.server";

export const loader = ({ request, context, params }: LoaderFunctionArgs) => rawResponsesDownload(request, context, params.surveyId!);
