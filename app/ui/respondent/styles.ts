// The respondent flow's stylesheet URL, for a route's `links` export:
//   export const links: LinksFunction = () => [{ rel: "stylesheet", href: respondentStylesHref }];
// Kept apart from RespondentFlow.tsx so that module exports components only.
export { default as respondentStylesHref } from "./respondent.css?url";
