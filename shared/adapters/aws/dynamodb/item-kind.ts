import * as z from "#validation/zod-mini.ts";

export type Item = Record<string, unknown>;
export type Key = { PK: string; SK: string };

/** The table's own attributes, beside every kind's: what an item is, where, and in which shape. */
const tableAttributes = new Set(["PK", "SK", "GSI1PK", "GSI1SK", "kind", "schemaVersion"]);

/**
 * A stored item that does not match its kind's schema. It names the kind, the schema version
 * and the attributes at fault, never their values: items hold people's details.
 */
export class MalformedItemError extends Error {
  override readonly name = "MalformedItemError";
  constructor(
    readonly kind: string,
    readonly schemaVersion: number,
    readonly paths: string[],
  ) {
    super(`malformed ${kind} item (schema version ${schemaVersion}) at ${paths.join(", ")}`);
  }
}

/** Where an issue is, with zod's code for what is wrong there (codes carry no values). */
const pathsOf = (error: z.core.$ZodError): string[] =>
  error.issues.flatMap((issue) => {
    const at = issue.path.join(".") || "(item)";
    // An attribute a strict schema does not name: its names are the paths.
    if (issue.code === "unrecognized_keys")
      return issue.keys.map((name) => (at === "(item)" ? name : `${at}.${name}`) + " (unrecognized)");
    return [`${at} (${issue.code})`];
  });

/**
 * One kind of item in the single table: its `kind` attribute, the schema its attributes are
 * checked against when written and when read, and the schema version written beside them.
 * An item stored without `schemaVersion` (written before versions) is version 1; an item of an
 * older version is lifted by `upgrades` (the i-th lifts version i + 1 to i + 2) before the check;
 * one of a newer version than this code knows fails, rather than being read half-understood.
 */
export interface ItemKind<Out, In = Out> {
  readonly name: string;
  readonly version: number;
  /** The attributes to read back when a query projects this kind's `fields` only. */
  readonly fields?: readonly string[];
  /** The item to store for `value` under `key`; throws MalformedItemError if it breaks the schema. */
  item(key: Partial<Key> & Item, value: In): Item;
  /** The value of a stored item, without the table's attributes; throws MalformedItemError. */
  read(item: Item): Out;
  /** The same kind read from a projection of these fields only. */
  pick<F extends keyof Out & string>(...fields: F[]): ItemKind<Pick<Out, F>, never>;
}

/** Intersections as one object type, at every depth, so that they compare with a schema's output. */
type Flat<T> = T extends readonly (infer E)[]
  ? Flat<E>[]
  : T extends object
    ? { [K in keyof T]: Flat<T[K]> }
    : T;

/** True when A and B are the same type, optional fields and all (not just assignable). */
type Same<A, B> =
  (<G>() => G extends Flat<A> ? 1 : 2) extends <G>() => G extends Flat<B> ? 1 : 2 ? true : false;

type ObjectSchema = z.ZodMiniObject<z.core.$ZodLooseShape, z.core.$ZodObjectConfig>;

/**
 * Declares an item kind whose schema reads exactly the type `T`: `itemKind<Member>()(…)` fails
 * to compile when the schema leaves out a field of Member or adds one, so an attribute cannot be
 * written and then dropped on the way back.
 */
export const itemKind =
  <T>() =>
  <S extends ObjectSchema>(
    name: string,
    schema: Same<z.output<S>, T> extends true ? S : { schemaDoesNotReadExactly: T },
    upgrades: readonly ((item: Item) => Item)[] = [],
  ): ItemKind<z.output<S>, z.input<S>> =>
    kindOf(name, schema as S, upgrades);

const kindOf = <S extends ObjectSchema>(
  name: string,
  schema: S,
  upgrades: readonly ((item: Item) => Item)[],
  fields?: readonly string[],
): ItemKind<z.output<S>, z.input<S>> => {
  const version = upgrades.length + 1;
  const check = (value: unknown, at: number) => {
    const result = schema.safeParse(value);
    if (!result.success) throw new MalformedItemError(name, at, pathsOf(result.error));
    return result.data;
  };
  return {
    name,
    version,
    fields,
    item: (key, value) => ({ ...key, kind: name, schemaVersion: version, ...check(value, version) }),
    read: (item) => {
      const stored = item.schemaVersion ?? 1;
      if (typeof stored !== "number" || !Number.isInteger(stored) || stored < 1 || stored > version)
        throw new MalformedItemError(name, version, [`schemaVersion (not one of 1 to ${version})`]);
      if (item.kind !== name) throw new MalformedItemError(name, stored, ["kind (invalid_value)"]);
      let attributes: Item = {};
      for (const [attribute, value] of Object.entries(item))
        if (!tableAttributes.has(attribute)) attributes[attribute] = value;
      for (let at = stored; at < version; at++) attributes = upgrades[at - 1]!(attributes);
      return check(attributes, stored);
    },
    pick: (...picked) =>
      kindOf(
        name,
        z.object(Object.fromEntries(picked.map((f) => [f, schema.def.shape[f]!]))),
        upgrades,
        picked,
      ) as never,
  };
};
