// XLSForm `relevant` and `constraint` expressions (the XPath subset real forms use) read into the
// survey core's conditions, and conditions written back as expressions. Pure: no I/O.
import { COMPARISONS, SELF, isChoice, type Comparison, type Condition, type Question } from "~/survey";

type Token =
  | { t: "ref"; name: string }
  | { t: "self" }
  | { t: "str"; value: string }
  | { t: "num"; value: number }
  | { t: "op"; value: Comparison }
  | { t: "word"; value: string }
  | { t: "("; } | { t: ")" } | { t: "," };

/** Why an expression could not be read: a construct the model cannot hold, or a typing mistake. */
export class ExpressionError extends Error {
  constructor(
    message: string,
    /** "unsupported" for a valid XLSForm construct the model lacks (regex(), today()…). */
    readonly kind: "unsupported" | "syntax" | "reference",
  ) {
    super(message);
  }
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "$" && text[i + 1] === "{") {
      const end = text.indexOf("}", i);
      if (end < 0) throw new ExpressionError("A ${…} reference is not closed.", "syntax");
      out.push({ t: "ref", name: text.slice(i + 2, end).trim() });
      i = end + 1;
      continue;
    }
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) throw new ExpressionError("A quoted text is not closed.", "syntax");
      out.push({ t: "str", value: text.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === "!=" || two === "<=" || two === ">=") {
      out.push({ t: "op", value: two });
      i += 2;
      continue;
    }
    if (c === "=" || c === "<" || c === ">") {
      out.push({ t: "op", value: c });
      i++;
      continue;
    }
    if (c === "(" || c === ")" || c === ",") {
      out.push({ t: c });
      i++;
      continue;
    }
    const num = /^-?\d+(\.\d+)?/.exec(text.slice(i));
    if (num && (c !== "-" || !out.length || out[out.length - 1].t === "op" || out[out.length - 1].t === "(" || out[out.length - 1].t === ",")) {
      out.push({ t: "num", value: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    if (c === "." && !/[A-Za-z0-9_]/.test(text[i + 1] ?? "")) {
      out.push({ t: "self" });
      i++;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_:.-]*/.exec(text.slice(i));
    if (word) {
      out.push({ t: "word", value: word[0] });
      i += word[0].length;
      continue;
    }
    throw new ExpressionError(`"${text.slice(i, i + 10)}" cannot be read here.`, "syntax");
  }
  return out;
}

type Node =
  | { k: "and" | "or"; items: Node[] }
  | { k: "not"; item: Node }
  | { k: "cmp"; op: Comparison; left: Node; right: Node }
  | { k: "call"; name: string; args: Node[] }
  | { k: "ref"; name: string }
  | { k: "self" }
  | { k: "lit"; value: string | number }
  | { k: "group"; item: Node };

function parseTokens(tokens: Token[]): Node {
  let at = 0;
  const peek = () => tokens[at];
  const isWord = (w: string) => peek()?.t === "word" && (peek() as { value: string }).value === w;
  const expect = (t: Token["t"]) => {
    if (peek()?.t !== t) throw new ExpressionError(`Expected "${t}" ${peek() ? "here" : "at the end"}.`, "syntax");
    at++;
  };
  const chain = (k: "and" | "or", next: () => Node): Node => {
    const items = [next()];
    while (isWord(k)) {
      at++;
      items.push(next());
    }
    return items.length === 1 ? items[0] : { k, items };
  };
  const orExpr = (): Node => chain("or", andExpr);
  const andExpr = (): Node => chain("and", comparison);
  function comparison(): Node {
    const left = primary();
    const op = peek();
    if (op?.t !== "op") return left;
    at++;
    return { k: "cmp", op: op.value, left, right: primary() };
  }
  function primary(): Node {
    const tok = peek();
    if (!tok) throw new ExpressionError("The expression ends too early.", "syntax");
    at++;
    switch (tok.t) {
      case "(": {
        const item = orExpr();
        expect(")");
        return { k: "group", item };
      }
      case "ref":
        return { k: "ref", name: tok.name };
      case "self":
        return { k: "self" };
      case "str":
      case "num":
        return { k: "lit", value: tok.value };
      case "word": {
        if (peek()?.t !== "(") {
          if (tok.value === "true" || tok.value === "false") throw new ExpressionError(`"${tok.value}" without () is an XPath path, not a value.`, "unsupported");
          throw new ExpressionError(`"${tok.value}" is not a \${name} reference, a quoted text or a number.`, "syntax");
        }
        at++;
        const args: Node[] = [];
        if (peek()?.t !== ")") {
          args.push(orExpr());
          while (peek()?.t === ",") {
            at++;
            args.push(orExpr());
          }
        }
        expect(")");
        if (tok.value === "not") {
          if (args.length !== 1) throw new ExpressionError("not() takes one condition.", "syntax");
          return { k: "not", item: args[0] };
        }
        return { k: "call", name: tok.value, args };
      }
      default:
        throw new ExpressionError(`"${tok.t === "op" ? tok.value : tok.t}" cannot start a condition.`, "syntax");
    }
  }
  const node = orExpr();
  if (at < tokens.length) throw new ExpressionError("Something follows the end of the condition.", "syntax");
  return node;
}

/** Finds a question by the name a form uses; `self` is the question a constraint belongs to. */
export interface ExpressionScope {
  question(name: string): Question | undefined;
  self?: Question;
}

const FLIP: Record<Comparison, Comparison> = { "=": "=", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<=" };

/** Reads one expression into a condition, or throws ExpressionError saying what cannot be held. */
export function parseExpression(text: string, scope: ExpressionScope): Condition {
  return toCondition(parseTokens(tokenize(text)), scope);
}

function target(node: Node, scope: ExpressionScope): { id: string; q: Question } | null {
  if (node.k === "self") {
    if (!scope.self) throw new ExpressionError('"." (this question) only has a meaning in a constraint.', "syntax");
    return { id: SELF, q: scope.self };
  }
  if (node.k !== "ref") return null;
  const q = scope.question(node.name);
  if (!q) throw new ExpressionError(`\${${node.name}} is not a question of this form that the survey keeps.`, "reference");
  return { id: scope.self && q === scope.self ? SELF : q.id, q };
}

function toCondition(node: Node, scope: ExpressionScope): Condition {
  switch (node.k) {
    case "group":
      return toCondition(node.item, scope);
    case "and":
    case "or":
      return collapse(node.k === "and" ? "all" : "any", node.items.map((n) => toCondition(n, scope)));
    case "not":
      return { op: "not", condition: toCondition(node.item, scope) };
    case "call":
      if (node.name === "selected") {
        const ref = node.args[0] && target(node.args[0], scope);
        const value = node.args[1];
        if (!ref || node.args.length !== 2 || value.k !== "lit") throw new ExpressionError("selected() takes a question and a quoted option code.", "syntax");
        return { op: "equals", question: ref.id, value: String(value.value) };
      }
      throw new ExpressionError(`The function ${node.name}() is not supported.`, "unsupported");
    case "cmp":
      return comparisonOf(node, scope);
    default:
      throw new ExpressionError("A condition must compare something (${q} = 'code', selected(), count-selected()).", "syntax");
  }
}

function comparisonOf(node: Extract<Node, { k: "cmp" }>, scope: ExpressionScope): Condition {
  let { left, right, op } = node;
  for (const side of [left, right]) {
    if (side.k === "call" && side.name !== "count-selected") throw new ExpressionError(`The function ${side.name}() is not supported.`, "unsupported");
  }
  if (left.k === "lit") {
    [left, right] = [right, left];
    op = FLIP[op];
  }
  if (right.k !== "lit") throw new ExpressionError("A comparison must have a quoted text or a number on one side.", "unsupported");
  const value = right.value;
  if (left.k === "call" && left.name === "count-selected") {
    const ref = left.args.length === 1 ? target(left.args[0], scope) : null;
    if (!ref || typeof value !== "number") throw new ExpressionError("count-selected() takes one question and compares with a number.", "syntax");
    return { op: "countSelected", question: ref.id, cmp: op, value };
  }
  if (left.k === "call") throw new ExpressionError(`The function ${left.name}() is not supported.`, "unsupported");
  const ref = target(left, scope);
  if (!ref) throw new ExpressionError("A comparison needs a question (${name} or .) on one side.", "syntax");
  if (value === "" && (op === "=" || op === "!=")) {
    const answered: Condition = { op: "answered", question: ref.id };
    return op === "!=" ? answered : { op: "not", condition: answered };
  }
  if (isChoice(ref.q) && ref.q.type !== "multiple" && ref.q.type !== "ranking" && (op === "=" || op === "!=")) {
    const equals: Condition = { op: "equals", question: ref.id, value: String(value) };
    return op === "=" ? equals : { op: "not", condition: equals };
  }
  if (ref.q.type === "multiple" || ref.q.type === "ranking") throw new ExpressionError(`\${${ref.q.id}} holds several options: use selected() or count-selected().`, "unsupported");
  return { op: "compare", question: ref.id, cmp: op, value };
}

/** `a or b` over the same question's codes is one "is one of" condition, as the editor builds it. */
function collapse(op: "all" | "any", conditions: Condition[]): Condition {
  if (op === "any" && conditions.length > 1 && conditions.every((c) => c.op === "equals" && c.question === (conditions[0] as { question: string }).question)) {
    return { op: "oneOf", question: (conditions[0] as { question: string }).question, values: conditions.map((c) => (c as { value: string | number }).value) };
  }
  return { op, conditions };
}

// ---- writing back ----

const literal = (v: string | number) => (typeof v === "number" ? String(v) : v.includes("'") ? `"${v}"` : `'${v}'`);

/** A condition as an XLSForm expression; `byId` gives the referred question (for its type). */
export function writeExpression(c: Condition, byId: (id: string) => Question | undefined): string {
  const ref = (id: string) => (id === SELF ? "." : `\${${id}}`);
  const multi = (id: string) => {
    const t = byId(id)?.type;
    return t === "multiple" || t === "ranking";
  };
  const grouped = (x: Condition) => x.op === "all" || x.op === "any" || (x.op === "oneOf" && x.values.length > 1);
  const sub = (x: Condition) => (grouped(x) ? `(${writeExpression(x, byId)})` : writeExpression(x, byId));
  switch (c.op) {
    case "equals":
      return multi(c.question) ? `selected(${ref(c.question)}, ${literal(String(c.value))})` : `${ref(c.question)} = ${literal(String(c.value))}`;
    case "oneOf":
      return c.values.map((v) => writeExpression({ op: "equals", question: c.question, value: v }, byId)).join(" or ");
    case "compare":
      return `${ref(c.question)} ${c.cmp} ${literal(c.value)}`;
    case "countSelected":
      return `count-selected(${ref(c.question)}) ${c.cmp} ${c.value}`;
    case "answered":
      return `${ref(c.question)} != ''`;
    case "not":
      return `not(${writeExpression(c.condition, byId)})`;
    case "all":
      return c.conditions.map(sub).join(" and ");
    case "any":
      return c.conditions.map(sub).join(" or ");
  }
}

export { COMPARISONS };
