// Unknown API paths answer JSON, not an HTML page.
import { jsonError } from "~/auth.server";

export const loader = () => jsonError(404, "No such API endpoint.");
export const action = () => jsonError(404, "No such API endpoint.");
