import { badRequest } from "./status.js";

/** One requirement of a label selector (apimachinery `labels.Requirement`). */
export type LabelRequirement =
  | { key: string; op: "=" | "!="; value: string }
  | { key: string; op: "in" | "notin"; values: string[] }
  | { key: string; op: "exists" | "!" };

/**
 * Parses the `labelSelector` query string with the grammar kube-apiserver accepts:
 * `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a` (exists) and `!a` (does not exist),
 * joined by commas (commas inside parentheses belong to the set).
 *
 * @example
 * ```ts
 * const selector = parseLabelSelector("app=sandbox,tier in (a,b),!legacy");
 * matchesLabels(selector, { app: "sandbox", tier: "a" }); // true
 * ```
 */
export function parseLabelSelector(text: string | null | undefined): LabelRequirement[] {
  if (text === null || text === undefined || text.trim() === "") return [];
  return splitTopLevel(text).map((part) => parseRequirement(part.trim(), text));
}

/** Whether every requirement holds for `labels` (an empty selector matches everything). */
export function matchesLabels(
  selector: LabelRequirement[],
  labels: Record<string, string> | undefined,
): boolean {
  const set = labels ?? {};
  return selector.every((req) => {
    const has = Object.hasOwn(set, req.key);
    const value = set[req.key];
    switch (req.op) {
      case "=":
        return has && value === req.value;
      case "!=":
        // As in apimachinery: a missing key satisfies `!=`.
        return !has || value !== req.value;
      case "in":
        return has && req.values.includes(value as string);
      case "notin":
        return !has || !req.values.includes(value as string);
      case "exists":
        return has;
      default:
        return !has;
    }
  });
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const char of text) {
    if (char === "(") depth++;
    if (char === ")") depth--;
    if (char === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else current += char;
  }
  parts.push(current);
  return parts;
}

const KEY = String.raw`(?:[a-z0-9A-Z.\-]+/)?[a-zA-Z0-9](?:[-a-zA-Z0-9_.]*[a-zA-Z0-9])?`;
const VALUE = `(?:[a-zA-Z0-9](?:[-a-zA-Z0-9_.]*[a-zA-Z0-9])?)?`;
const EQUALITY = new RegExp(`^(${KEY})\\s*(==|=|!=)\\s*(${VALUE})$`);
const SET = new RegExp(`^(${KEY})\\s+(in|notin)\\s*\\(([^()]*)\\)$`);
const EXISTS = new RegExp(`^(!?)\\s*(${KEY})$`);

function parseRequirement(part: string, whole: string): LabelRequirement {
  const equality = EQUALITY.exec(part);
  if (equality) {
    const [, key, op, value] = equality as unknown as [string, string, string, string];
    return { key, op: op === "!=" ? "!=" : "=", value };
  }
  const set = SET.exec(part);
  if (set) {
    const [, key, op, list] = set as unknown as [string, string, "in" | "notin", string];
    const values = list.split(",").map((value) => value.trim());
    if (values.some((value) => !new RegExp(`^${VALUE}$`).test(value))) {
      throw badRequest(`unable to parse requirement: invalid label value in "${part}"`);
    }
    return { key, op, values };
  }
  const exists = EXISTS.exec(part);
  if (exists) {
    const [, bang, key] = exists as unknown as [string, string, string];
    return { key, op: bang === "!" ? "!" : "exists" };
  }
  throw badRequest(`unable to parse requirement: found '${part}' in label selector "${whole}"`);
}
