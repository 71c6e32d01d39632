// `npm run create-admin [-- --email … --name … --password …]`: creates an administrator from the
// server's own shell, asking for what the flags do not give (the password without echo). This is
// how the first administrator is made without opening the setup page to the network.
import { parseArgs } from "node:util";
import readline from "node:readline/promises";
import { Writable } from "node:stream";
import { openDatabase } from "~db/connect";
import { recordAudit } from "~/models/audit.server";
import { createUser, EmailTakenError } from "~/models/users.server";
import { passwordProblem } from "~/models/passwords.server";
import { issueSetupCode } from "~/models/setup-code.server";

const USAGE = "Usage: npm run create-admin [-- --email you@example.org --name \"Your Name\" --password \"…\"]";

/** Typed answers come from the terminal; a password is read without echo when the terminal allows. */
function asker() {
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stdout.write(chunk);
      done();
    },
  });
  const rl = readline.createInterface({ input: process.stdin, output, terminal: Boolean(process.stdin.isTTY) });
  const lines: string[] = [];
  const waiting: ((line: string | null) => void)[] = [];
  let closed = false;
  rl.on("line", (line) => (waiting.length ? waiting.shift()!(line) : lines.push(line)));
  rl.on("close", () => {
    closed = true;
    for (const w of waiting.splice(0)) w(null);
  });
  const next = () =>
    lines.length ? Promise.resolve(lines.shift()!) : closed ? Promise.resolve(null) : new Promise<string | null>((r) => waiting.push(r));
  return {
    async ask(question: string, secret = false): Promise<string> {
      process.stdout.write(question);
      muted = secret && Boolean(process.stdin.isTTY);
      const answer = await next();
      if (muted) process.stdout.write("\n");
      muted = false;
      if (answer === null) throw new Error(`No answer to "${question.trim()}". ${USAGE}`);
      return answer.trim();
    },
    close: () => rl.close(),
  };
}

async function main() {
  const { values } = parseArgs({
    options: { email: { type: "string" }, name: { type: "string" }, password: { type: "string" }, help: { type: "boolean" } },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const prompt = asker();
  const database = await openDatabase();
  try {
    const email = values.email ?? (await prompt.ask("Email: "));
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new Error(`--email: "${email}" is not an email address.`);
    const displayName = values.name ?? (await prompt.ask("Name: "));
    if (!displayName) throw new Error("--name: enter the administrator's name.");
    let password = values.password;
    if (password === undefined) {
      // Asked again until it meets the policy (a flag that does not is an error).
      for (;;) {
        password = await prompt.ask("Password: ", true);
        const problem = passwordProblem(password, [email, displayName]);
        if (!problem && (await prompt.ask("Password again: ", true)) === password) break;
        console.error(problem ?? "The two passwords differ.");
      }
    }
    const problem = passwordProblem(password, [email, displayName]);
    if (problem) throw new Error(`--password: ${problem}`);
    const user = await createUser(database.db, { email, displayName, password, isAdmin: true });
    await recordAudit(database.db, null, { action: "user.create", target: user.email, details: { isAdmin: true, via: "npm run create-admin" } });
    await issueSetupCode(database.db); // with an account now, the setup page's code is void
    console.log(`Created administrator ${user.displayName} <${user.email}>. Sign in at /login.`);
  } catch (err) {
    if (err instanceof EmailTakenError) throw new Error(`--email: ${err.message}`);
    throw err;
  } finally {
    prompt.close();
    await database.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
