// Password hashing with argon2id at OWASP's recommended minimum (19 MiB, 2 iterations, 1 lane), and
// the policy every new password meets: long enough, and not guessable from zxcvbn-ts's lists of
// common and breached passwords, keyboard patterns, repeats, sequences and dates (offline).
import { hash, verify, type Algorithm } from "@node-rs/argon2";
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { adjacencyGraphs, dictionary } from "@zxcvbn-ts/language-common";
import type { z } from "zod";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "./password-rules";
import { translator, type Translate } from "~/i18n/core";
import { passwords as passwordWords, type PasswordWords } from "~/i18n/staff/passwords";

export { MIN_PASSWORD_LENGTH };

// Algorithm.Argon2id; the enum is ambient, so its value is written out.
const ARGON2ID = 2 as Algorithm;

const OWASP_ARGON2ID = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, OWASP_ARGON2ID);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash of nothing, verified against when the email is unknown so timing does not reveal accounts. */
let decoy: Promise<string> | undefined;
export async function verifyAgainstDecoy(password: string): Promise<void> {
  decoy ??= hashPassword("decoy password that nobody has");
  await verifyPassword(await decoy, password);
}

let estimator: ZxcvbnFactory | undefined;
/** Words an attacker of this installation would try first. */
const APP_WORDS = ["safety", "perception", "survey", "surveys", "programme", "community", "sps"];
/** zxcvbn score 3: about 10⁸ guesses or more, out of reach of online guessing and slow to crack offline. */
const MIN_SCORE = 3;

/** zxcvbn's warnings we have words for (app/i18n/staff/passwords.ts); others read as "pattern". */
const WARNINGS = new Set<string>(Object.keys(passwordWords.en).filter((k) => !["hint", "empty", "spaces", "tooShort", "tooLong", "tooEasy"].includes(k)));
const english = translator("en", passwordWords.en, passwordWords.en);

/**
 * What is wrong with a new password, in words for the person choosing it (naming the field), or null
 * when it may be used. `personal` holds the account's email and name, which a password must not lean on.
 */
export function passwordProblem(password: string, personal: string[] = [], t: Translate<PasswordWords> = english): string | null {
  if (password.length === 0) return t("empty");
  if (password.trim().length === 0) return t("spaces");
  if (password.length < MIN_PASSWORD_LENGTH) return t("tooShort", { min: MIN_PASSWORD_LENGTH });
  if (password.length > MAX_PASSWORD_LENGTH) return t("tooLong", { max: MAX_PASSWORD_LENGTH });
  estimator ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs, useLevenshteinDistance: true });
  const inputs = [...APP_WORDS, ...personal.flatMap((p) => [p, ...p.split(/[@.\s]+/)]).filter((p) => p.length >= 3)];
  const result = estimator.check(password, inputs);
  if (result.score >= MIN_SCORE) return null;
  const warning = result.feedback.warning;
  const why = t(warning && WARNINGS.has(warning) ? (warning as keyof PasswordWords) : "pattern");
  return t("tooEasy", { why });
}

/**
 * A zod refinement for forms that set a password: checks `field` against the policy and the
 * account's own details (`personal`), reporting the problem on that field.
 */
export function checkNewPassword<T extends Record<string, unknown>>(
  field: keyof T & string,
  personal: (values: T) => string[] = () => [],
  t: Translate<PasswordWords> = english,
) {
  return (values: T, ctx: z.RefinementCtx) => {
    const problem = passwordProblem(String(values[field] ?? ""), personal(values), t);
    if (problem) ctx.addIssue({ code: "custom", path: [field], message: problem });
  };
}
