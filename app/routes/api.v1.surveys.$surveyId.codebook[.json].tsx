// GET /api/v1/surveys/{id}/codebook.json — questions, types, labels, codes and versions.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { codebookDownload } from "~/exchange/downloads.server";

export const loader = ({ request, context, params }: LoaderFunctionArgs) => codebookDownload(request, context, params.surveyId!, "json");
