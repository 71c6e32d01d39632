// GET /api/v1/surveys/{id}/codebook.csv[?bom=1] — the codebook as a spreadsheet.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { codebookDownload } from "~/exchange/downloads.server";

export const loader = ({ request, context, params }: LoaderFunctionArgs) => codebookDownload(request, context, params.surveyId!, "csv");
