/**
 * A local matcher for Amazon EventBridge event patterns, so the embedded bus routes events as the rules
 * deployed to AWS would. Semantics follow the EventBridge User Guide ("Amazon EventBridge event
 * patterns", "Content filtering", "Comparison operators"); where the guide is silent we follow its
 * engine, aws/event-ruler.
 *
 * A pattern is compiled once into closures; matching an event walks only the fields the pattern names.
 * Anything this matcher cannot honour is rejected at compile time rather than silently never matching.
 */

/** JSON of an EventBridge event pattern. */
export type EventPattern = Record<string, unknown>;

/** A pattern uses an operator or shape this matcher does not support, or is malformed. */
export class UnsupportedEventPatternError extends Error {
  constructor(
    /** The operator (or "field", "$or", "pattern") at fault. */
    readonly operator: string,
    /** JSONPath of the offending part of the pattern, e.g. `$.detail["c-count"][0].numeric`. */
    readonly path: string,
    reason: string,
  ) {
    super(`Unsupported event pattern: "${operator}" at ${path}: ${reason}`);
    this.name = "UnsupportedEventPatternError";
  }
}

/** Compiles `pattern` once (throwing on anything unsupported) into a fast predicate over events. */
export function compileEventPattern(pattern: EventPattern): (event: unknown) => boolean {
  if (!isObject(pattern))
    fail("pattern", "$", `an event pattern must be a JSON object, got ${kindOf(pattern)}`);
  return compileNested(pattern, "$");
}

/** One-off match; prefer `compileEventPattern` for anything matched more than once. */
export function matchesEventPattern(pattern: EventPattern, event: unknown): boolean {
  return compileEventPattern(pattern)(event);
}

// ---------------------------------------------------------------------------------------------------------
// Types and small helpers

type JsonObject = Readonly<Record<string, unknown>>;
/** A leaf value of an event: the only values that match values and operators. */
type Scalar = string | number | boolean | null;
type ScalarTest = (value: Scalar) => boolean;
type StringTest = (value: string) => boolean;
type ObjectTest = (object: JsonObject) => boolean;
type ValueTest = (value: unknown) => boolean;

/** What one element of a field's list of match values contributes. */
type Clause =
  | { readonly kind: "equals"; readonly value: Scalar }
  | { readonly kind: "test"; readonly test: ScalarTest }
  | { readonly kind: "absent" };

/** A compiled list of match values: `test` for present leaves, `matchesAbsent` for `exists: false`. */
interface LeafMatcher {
  readonly test: ScalarTest;
  readonly matchesAbsent: boolean;
}

/** Stands in for a missing or non-object value, so only `exists: false` can match beneath it. */
const NO_FIELDS: JsonObject = Object.freeze({});

function fail(operator: string, path: string, reason: string): never {
  throw new UnsupportedEventPatternError(operator, path, reason);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isScalar(value: unknown): value is Scalar {
  return (
    value === null ||
    typeof value === "string" ||
    typeof value === "boolean" ||
    (typeof value === "number" && Number.isFinite(value))
  );
}

function isString(value: unknown): value is string {
  return typeof value === "string";
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  return Array.isArray(value) ? "array" : typeof value;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function childPath(path: string, key: string): string {
  return IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** Own properties only, so a pattern field named "constructor" never sees Object.prototype. */
function fieldOf(object: JsonObject, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** The single `[name, operand]` of an operator object such as `{ "prefix": "us-" }`. */
function soleEntry(object: JsonObject, path: string): readonly [string, unknown] {
  const entries = Object.entries(object);
  const entry = entries[0];
  if (entries.length !== 1 || entry === undefined) {
    const names = entries.map(([name]) => name).join(", ") || "{}";
    fail(names, path, `an operator object must have exactly one key, got ${entries.length}`);
  }
  return entry;
}

// ---------------------------------------------------------------------------------------------------------
// Matching an event: arrays in the event match if any element matches

/** "empty" means the array held nothing of the kind looked for (so the field counts as absent). */
type ArrayOutcome = "match" | "miss" | "empty";

function scan<T>(
  values: readonly unknown[],
  accepts: (value: unknown) => value is T,
  test: (value: T) => boolean,
): ArrayOutcome {
  let outcome: ArrayOutcome = "empty";
  for (const value of values) {
    const result: ArrayOutcome = accepts(value)
      ? test(value)
        ? "match"
        : "miss"
      : Array.isArray(value)
        ? scan(value, accepts, test)
        : "empty";
    if (result === "match") return "match";
    if (result === "miss") outcome = "miss";
  }
  return outcome;
}

/** Objects are not leaves: `exists: false` matches them, per the "Exists matching" examples. */
function matchLeaf(value: unknown, leaf: LeafMatcher): boolean {
  if (isScalar(value)) return leaf.test(value);
  const outcome = Array.isArray(value) ? scan(value, isScalar, leaf.test) : "empty";
  return outcome === "empty" ? leaf.matchesAbsent : outcome === "match";
}

/** One array element must satisfy the whole sub-pattern, as event-ruler's rulesForJSONEvent does. */
function matchNested(value: unknown, test: ObjectTest): boolean {
  if (isObject(value)) return test(value);
  const outcome = Array.isArray(value) ? scan(value, isObject, test) : "empty";
  return outcome === "empty" ? test(NO_FIELDS) : outcome === "match";
}

// ---------------------------------------------------------------------------------------------------------
// Objects: every field must match (AND); `$or` needs one of its sub-patterns (OR)

function compileNested(pattern: JsonObject, path: string): ValueTest {
  const test = compileObject(pattern, path);
  return (value) => matchNested(value, test);
}

function compileObject(pattern: JsonObject, path: string): ObjectTest {
  const entries = Object.entries(pattern);
  if (entries.length === 0) fail("field", path, "a pattern object must name at least one field");
  const tests = entries.map(([key, value]) =>
    key === "$or" ? compileOr(value, childPath(path, key)) : compileField(key, value, childPath(path, key)),
  );
  return (object) => tests.every((test) => test(object));
}

function compileOr(branches: unknown, path: string): ObjectTest {
  if (!Array.isArray(branches) || branches.length < 2) {
    fail("$or", path, `must be an array of at least two pattern objects, got ${kindOf(branches)}`);
  }
  const tests = branches.map((branch: unknown, index) =>
    isObject(branch)
      ? compileObject(branch, `${path}[${index}]`)
      : fail("$or", `${path}[${index}]`, `each alternative must be a pattern object, got ${kindOf(branch)}`),
  );
  return (object) => tests.some((test) => test(object));
}

function compileField(key: string, value: unknown, path: string): ObjectTest {
  if (Array.isArray(value)) {
    const leaf = compileLeaf(value, path);
    return (object) => matchLeaf(fieldOf(object, key), leaf);
  }
  if (isObject(value)) {
    const nested = compileNested(value, path);
    return (object) => nested(fieldOf(object, key));
  }
  return fail("field", path, `must be an array of match values or a nested object, got ${kindOf(value)}`);
}

// ---------------------------------------------------------------------------------------------------------
// Leaves: a list of match values matches if ANY element matches

function compileLeaf(values: readonly unknown[], path: string): LeafMatcher {
  if (values.length === 0) fail("field", path, "a list of match values must not be empty");
  const clauses = values.map((value, index) => compileClause(value, `${path}[${index}]`));
  // Exact values go in a Set: one lookup however many there are; SameValueZero gives numeric equality.
  const exact = new Set(clauses.flatMap((clause) => (clause.kind === "equals" ? [clause.value] : [])));
  const tests = clauses.flatMap((clause) => (clause.kind === "test" ? [clause.test] : []));
  return {
    test: (value) => exact.has(value) || tests.some((test) => test(value)),
    matchesAbsent: clauses.some((clause) => clause.kind === "absent"),
  };
}

function compileClause(value: unknown, path: string): Clause {
  if (isScalar(value)) return { kind: "equals", value };
  if (!isObject(value)) {
    fail(
      "field",
      path,
      `match values must be strings, numbers, booleans, null or operators, got ${kindOf(value)}`,
    );
  }
  const [name, operand] = soleEntry(value, path);
  const operatorPath = childPath(path, name);
  const compile = Object.hasOwn(OPERATORS, name) ? OPERATORS[name] : undefined;
  if (compile === undefined) {
    return fail(
      name,
      operatorPath,
      `unknown or unsupported operator (supported: ${Object.keys(OPERATORS).join(", ")})`,
    );
  }
  return compile(operand, operatorPath);
}

type OperatorCompiler = (operand: unknown, path: string) => Clause;

const onStrings =
  (test: StringTest): ScalarTest =>
  (value) =>
    typeof value === "string" && test(value);

const testClause = (test: ScalarTest): Clause => ({ kind: "test", test });

/** `cidr` is deliberately absent: Convene events carry no IP addresses. */
const OPERATORS: Readonly<Record<string, OperatorCompiler>> = {
  prefix: (operand, path) => testClause(onStrings(compileAffix("prefix", operand, path))),
  suffix: (operand, path) => testClause(onStrings(compileAffix("suffix", operand, path))),
  "equals-ignore-case": (operand, path) =>
    testClause(onStrings(compileEqualsIgnoreCase(requireString("equals-ignore-case", operand, path)))),
  wildcard: (operand, path) =>
    testClause(onStrings(compileWildcard(requireString("wildcard", operand, path), path))),
  "anything-but": (operand, path) => testClause(compileAnythingBut(operand, path)),
  numeric: (operand, path) => testClause(compileNumeric(operand, path)),
  exists: (operand, path) => {
    if (typeof operand !== "boolean") fail("exists", path, `must be true or false, got ${kindOf(operand)}`);
    // exists: true matches any leaf value, null included; exists: false only a missing leaf.
    return operand ? testClause(() => true) : { kind: "absent" };
  },
};

function requireString(operator: string, operand: unknown, path: string): string {
  if (!isString(operand)) fail(operator, path, `must be a string, got ${kindOf(operand)}`);
  return operand;
}

// ---------------------------------------------------------------------------------------------------------
// String operators (they only ever match string values)

function compileEqualsIgnoreCase(expected: string): StringTest {
  const folded = expected.toLowerCase();
  return (value) => value.toLowerCase() === folded;
}

/** `"us-"` or `{ "equals-ignore-case": "EventB" }`. */
function compileAffix(operator: "prefix" | "suffix", operand: unknown, path: string): StringTest {
  const has =
    operator === "prefix"
      ? (value: string, affix: string) => value.startsWith(affix)
      : (value: string, affix: string) => value.endsWith(affix);
  if (isString(operand)) return (value) => has(value, operand);
  if (!isObject(operand)) fail(operator, path, `must be a string or { "equals-ignore-case": ... }`);
  const [name, inner] = soleEntry(operand, path);
  if (name !== "equals-ignore-case")
    fail(operator, childPath(path, name), `"${name}" cannot qualify ${operator}`);
  const folded = requireString(`${operator}.equals-ignore-case`, inner, childPath(path, name)).toLowerCase();
  return (value) => has(value.toLowerCase(), folded);
}

/**
 * `*` matches any run of characters (including "/" and none at all); `\*` is a literal star and `\\` a
 * literal backslash, as the guide documents. Matching is anchored at both ends. Literal segments are
 * found left to right with indexOf, which is exact for `*`-only globs and cannot backtrack exponentially.
 */
function compileWildcard(glob: string, path: string): StringTest {
  const segments = parseGlob(glob, path);
  const first = segments[0] ?? "";
  if (segments.length === 1) return (value) => value === first;
  const last = segments[segments.length - 1] ?? "";
  const middle = segments.slice(1, -1);
  const minLength = segments.reduce((length, segment) => length + segment.length, 0);
  return (value) => {
    if (value.length < minLength || !value.startsWith(first) || !value.endsWith(last)) return false;
    let cursor = first.length;
    const end = value.length - last.length;
    for (const segment of middle) {
      const found = value.indexOf(segment, cursor);
      if (found < 0 || found + segment.length > end) return false;
      cursor = found + segment.length;
    }
    return true;
  };
}

/** Splits a glob into the literal text between its unescaped stars. */
function parseGlob(glob: string, path: string): readonly string[] {
  const segments: string[] = [];
  let current = "";
  let previousWasStar = false;
  for (let index = 0; index < glob.length; index += 1) {
    const char = glob.charAt(index);
    if (char === "*") {
      // EventBridge rejects "**"; it would mean the same as "*" anyway.
      if (previousWasStar) fail("wildcard", path, `consecutive wildcard characters at position ${index}`);
      segments.push(current);
      current = "";
      previousWasStar = true;
      continue;
    }
    previousWasStar = false;
    if (char === "\\") {
      const escaped = glob.charAt(index + 1);
      if (escaped !== "*" && escaped !== "\\") {
        fail("wildcard", path, `a backslash may only escape "*" or "\\" (position ${index})`);
      }
      current += escaped;
      index += 1;
      continue;
    }
    current += char;
  }
  segments.push(current);
  return segments;
}

// ---------------------------------------------------------------------------------------------------------
// anything-but: matches a present leaf that is none of the given values (never a missing field)

function compileAnythingBut(operand: unknown, path: string): ScalarTest {
  if (isString(operand) || isFiniteNumber(operand)) return (value) => value !== operand;
  if (Array.isArray(operand)) {
    const excluded = new Set<Scalar>(requireUniformList(operand, path));
    return (value) => !excluded.has(value);
  }
  if (!isObject(operand)) {
    return fail(
      "anything-but",
      path,
      `must be a string, a number, a list or an operator, got ${kindOf(operand)}`,
    );
  }
  // The nested forms are string operators negated; like their positive forms they match only strings.
  const [name, inner] = soleEntry(operand, path);
  const innerPath = childPath(path, name);
  const excludes = compileAnythingButOperator(name, inner, innerPath);
  return onStrings((value) => !excludes(value));
}

/** The guide allows lists "that contain only strings, or only numbers". */
function requireUniformList(values: readonly unknown[], path: string): readonly (string | number)[] {
  if (values.length === 0) fail("anything-but", path, "the list of excluded values must not be empty");
  if (values.every(isString)) return values;
  if (values.every(isFiniteNumber)) return values;
  return fail("anything-but", path, "the list must contain only strings or only numbers");
}

/** prefix and suffix take a single string (the guide: "only works with a single prefix, not a list"). */
function compileAnythingButOperator(name: string, operand: unknown, path: string): StringTest {
  switch (name) {
    case "prefix":
    case "suffix":
      return compileAffix(name, requireString(`anything-but.${name}`, operand, path), path);
    case "equals-ignore-case":
      return anyOf(requireStrings(`anything-but.${name}`, operand, path).map(compileEqualsIgnoreCase));
    case "wildcard": {
      const globs = requireStrings(`anything-but.${name}`, operand, path);
      const globPath = (index: number) => (Array.isArray(operand) ? `${path}[${index}]` : path);
      return anyOf(globs.map((glob, index) => compileWildcard(glob, globPath(index))));
    }
    default:
      return fail(
        `anything-but.${name}`,
        path,
        "anything-but only nests prefix, suffix, equals-ignore-case or wildcard",
      );
  }
}

function requireStrings(operator: string, operand: unknown, path: string): readonly string[] {
  if (isString(operand)) return [operand];
  if (Array.isArray(operand) && operand.length > 0 && operand.every(isString)) return operand;
  return fail(operator, path, "must be a string or a non-empty list of strings");
}

function anyOf(tests: readonly StringTest[]): StringTest {
  return (value) => tests.some((test) => test(value));
}

// ---------------------------------------------------------------------------------------------------------
// numeric: ["=", 5], ["<", 10] or a range [">", 0, "<=", 5]; only JSON numbers match

const COMPARISONS = {
  "=": (value: number, bound: number) => value === bound,
  "<": (value: number, bound: number) => value < bound,
  "<=": (value: number, bound: number) => value <= bound,
  ">": (value: number, bound: number) => value > bound,
  ">=": (value: number, bound: number) => value >= bound,
} as const;

type Comparison = keyof typeof COMPARISONS;

function isComparison(value: unknown): value is Comparison {
  return isString(value) && Object.hasOwn(COMPARISONS, value);
}

function compileNumeric(operand: unknown, path: string): ScalarTest {
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) {
    fail("numeric", path, `must be [operator, number] or [lower operator, number, upper operator, number]`);
  }
  const terms = readComparisons(operand, path);
  const [lower, upper] = terms;
  if (upper !== undefined && lower !== undefined) requireRange(lower, upper, path);
  const checks = terms.map(
    ([comparison, bound]) =>
      (value: number) =>
        COMPARISONS[comparison](value, bound),
  );
  return (value) => typeof value === "number" && checks.every((check) => check(value));
}

function readComparisons(
  operand: readonly unknown[],
  path: string,
): readonly (readonly [Comparison, number])[] {
  const terms: (readonly [Comparison, number])[] = [];
  for (let index = 0; index < operand.length; index += 2) {
    const comparison = operand[index];
    const bound = operand[index + 1];
    if (!isComparison(comparison)) {
      fail(
        "numeric",
        `${path}[${index}]`,
        `unknown comparison ${JSON.stringify(comparison) ?? kindOf(comparison)}`,
      );
    }
    if (!isFiniteNumber(bound))
      fail("numeric", `${path}[${index + 1}]`, `must be a number, got ${kindOf(bound)}`);
    terms.push([comparison, bound]);
  }
  return terms;
}

/** A two-sided range must be a lower bound (> or >=) below an upper bound (< or <=). */
function requireRange(
  [lowerComparison, lowerBound]: readonly [Comparison, number],
  [upperComparison, upperBound]: readonly [Comparison, number],
  path: string,
): void {
  if (lowerComparison !== ">" && lowerComparison !== ">=") {
    fail("numeric", `${path}[0]`, `a range must start with ">" or ">=", got "${lowerComparison}"`);
  }
  if (upperComparison !== "<" && upperComparison !== "<=") {
    fail("numeric", `${path}[2]`, `a range must end with "<" or "<=", got "${upperComparison}"`);
  }
  if (lowerBound >= upperBound)
    fail("numeric", path, `the lower bound ${lowerBound} must be below ${upperBound}`);
}
