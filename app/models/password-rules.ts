// Password rules, shown in forms (this module reaches the browser) and enforced on the server by
// passwords.server.ts.
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 200;

export const PASSWORD_HINT = `At least ${MIN_PASSWORD_LENGTH} characters, and not a common password: a short sentence of unrelated words is easy to remember and hard to guess.`;
