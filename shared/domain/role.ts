import { invalid, conflict } from "./errors.ts";
import { dutyKinds, type DutyKind } from "./session.ts";

/**
 * Roles that share out the running of a group. Pure: no clock, no
 * store, no ids minted here.
 *
 * A role is defined once per organisation (the catalogue, which the umbrella can extend) and
 * taken up by a group as a GroupRole with its holders. Words used throughout:
 * - an open place: the role has fewer holders than maxHolders (a shared role may have several);
 * - vacant: the role has no holder at all, so a session that needs it lacks it. `vacantSince`
 *   is set when the last holder goes and cleared when someone takes the role.
 */

export type RolePay = "paid" | "voluntary";

/** One entry of an organisation's role catalogue. */
export interface RoleDefinition {
  /** Stable, URL-safe, lower-case words joined by hyphens, e.g. "venue-and-bookings". */
  id: string;
  name: string;
  /** What the role involves; the welcome email quotes it. */
  description: string;
  pay: RolePay;
  /** A session needs it filled: a vacancy escalates to the umbrella admins. */
  critical: boolean;
  /** Training a holder must have, current, to take the role (or an admin override). */
  requiredTrainingIds: string[];
  /** A holder's default term; absent: no term, held until they step down. */
  termMonths?: number;
  /** The session duty its holders default to (session.ts). */
  duty?: DutyKind;
}

/** An umbrella admin let a member take a role without its current training; kept on the holder. */
export interface TrainingOverride {
  /** The umbrella admin's id, from the verified token: the handler checks the claim. */
  by: string;
  reason: string;
  /** ISO UTC instant of the assignment. */
  at: string;
  /** The trainings that were missing then. */
  trainingIds: string[];
}

export interface RoleHolder {
  memberId: string;
  /** ISO UTC instant. */
  since: string;
  /** ISO UTC instant; absent: no term. */
  termEndsAt?: string;
  trainingOverride?: TrainingOverride;
}

/** A role as a group has taken it up, with who holds it now. */
export interface GroupRole {
  organisationId: string;
  groupId: string;
  roleId: string;
  holders: RoleHolder[];
  /** 1 for a role one person holds; more where the group shares it. */
  maxHolders: number;
  /** ISO UTC instant the role last lost its only holder (or was added empty); absent while held. */
  vacantSince?: string;
}

export const maxSharedHolders = 10;
const maxTermMonths = 120;
const maxNameLength = 100;
const maxDescriptionLength = 1_000;
const slug = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** The roles every new organisation starts with; an umbrella extends them with extendCatalogue. */
export function defaultRoleCatalogue(): RoleDefinition[] {
  return [
    {
      id: "facilitator",
      name: "Facilitator",
      description: "Opens and leads each session, keeps the group's agreements and the time.",
      pay: "voluntary",
      critical: true,
      requiredTrainingIds: ["facilitation-basics", "safeguarding"],
      termMonths: 12,
      duty: "facilitation",
    },
    {
      id: "co-facilitator",
      name: "Co-facilitator",
      description: "Supports the facilitator in sessions and stands in when they cannot come.",
      pay: "voluntary",
      critical: false,
      requiredTrainingIds: ["facilitation-basics"],
      termMonths: 12,
    },
    {
      id: "venue-and-bookings",
      name: "Venue and bookings",
      description: "Books the room, holds the key or door code, and tells the group of changes.",
      pay: "voluntary",
      critical: true,
      requiredTrainingIds: [],
      duty: "venue-booking",
    },
    {
      id: "reminders",
      name: "Reminders",
      description: "Checks that members are reminded of sessions and follows up anyone missed.",
      pay: "voluntary",
      critical: false,
      requiredTrainingIds: [],
      duty: "reminders",
    },
    {
      id: "refreshments",
      name: "Refreshments",
      description: "Brings tea, coffee and biscuits, and keeps the kitty.",
      pay: "voluntary",
      critical: false,
      requiredTrainingIds: [],
      duty: "refreshments",
    },
    {
      id: "welfare-and-safety",
      name: "Welfare and safety",
      description: "Looks after anyone in distress during a session and follows safeguarding procedures.",
      pay: "voluntary",
      critical: false,
      requiredTrainingIds: ["safeguarding"],
      termMonths: 12,
      duty: "welfare",
    },
    {
      id: "signposting",
      name: "Signposting",
      description: "Keeps the list of local services and crisis lines up to date and shares it.",
      pay: "voluntary",
      critical: false,
      requiredTrainingIds: [],
      duty: "signposting",
    },
    {
      id: "treasurer",
      name: "Treasurer",
      description: "Keeps the group's accounts, pays the venue and reports to the group.",
      pay: "voluntary",
      critical: false,
      requiredTrainingIds: [],
      termMonths: 12,
    },
  ];
}

/**
 * Checks a catalogue entry; throws DomainError "invalid" naming the first field at fault.
 * 1. id: lower-case words joined by hyphens, at most 100 characters.
 * 2. name: 1–100 characters; description: at most 1,000 (both trimmed).
 * 3. pay: paid or voluntary.
 * 4. requiredTrainingIds: distinct, each shaped like an id.
 * 5. termMonths: a whole number of months, 1–120.
 * 6. duty: one of the session's duty kinds.
 */
export function validateRoleDefinition(definition: RoleDefinition): RoleDefinition {
  if (!isSlug(definition.id)) throw invalid("id", "use lower-case letters and digits joined by hyphens");
  const name = definition.name.trim();
  if (name === "" || [...name].length > maxNameLength)
    throw invalid("name", `the name must have 1 to ${maxNameLength} characters`);
  const description = definition.description.trim();
  if ([...description].length > maxDescriptionLength)
    throw invalid("description", `the description must be at most ${maxDescriptionLength} characters`);
  if (definition.pay !== "paid" && definition.pay !== "voluntary")
    throw invalid("pay", "a role is paid or voluntary");
  const seen = new Set<string>();
  definition.requiredTrainingIds.forEach((trainingId, at) => {
    if (!isSlug(trainingId)) throw invalid(`requiredTrainingIds.${at}`, "not a training id");
    if (seen.has(trainingId)) throw invalid(`requiredTrainingIds.${at}`, "the training is listed twice");
    seen.add(trainingId);
  });
  const { termMonths, duty } = definition;
  if (
    termMonths !== undefined &&
    (!Number.isInteger(termMonths) || termMonths < 1 || termMonths > maxTermMonths)
  )
    throw invalid("termMonths", `the term must be a whole number of months, 1 to ${maxTermMonths}`);
  if (duty !== undefined && !(dutyKinds as readonly string[]).includes(duty))
    throw invalid("duty", `the duty must be one of ${dutyKinds.join(", ")}`);
  return { ...definition, name, description };
}

/** The catalogue with one more role; throws "invalid" for a bad entry, "conflict" for a taken id. */
export function extendCatalogue(
  catalogue: readonly RoleDefinition[],
  definition: RoleDefinition,
): RoleDefinition[] {
  const checked = validateRoleDefinition(definition);
  if (catalogue.some((existing) => existing.id === checked.id))
    throw conflict(`the catalogue already has a role "${checked.id}"`);
  return [...catalogue, checked];
}

/**
 * A group takes up a catalogue role, empty (so vacant from now). Throws "invalid" on
 * maxHolders unless it is a whole number from 1 to 10.
 */
export function newGroupRole(
  place: { organisationId: string; groupId: string; roleId: string; maxHolders?: number },
  now: Date,
): GroupRole {
  const maxHolders = place.maxHolders ?? 1;
  requireMaxHolders(maxHolders);
  return {
    organisationId: place.organisationId,
    groupId: place.groupId,
    roleId: place.roleId,
    holders: [],
    maxHolders,
    vacantSince: now.toISOString(),
  };
}

/**
 * Checks a group role read from outside (API, event); throws "invalid" naming the field:
 * maxHolders 1–10, no more holders than that, each member at most once, and vacantSince
 * present exactly when there is no holder.
 */
export function validateGroupRole(role: GroupRole): GroupRole {
  requireMaxHolders(role.maxHolders);
  if (role.holders.length > role.maxHolders) throw invalid("holders", "more holders than the role allows");
  const seen = new Set<string>();
  role.holders.forEach(({ memberId }, at) => {
    if (seen.has(memberId)) throw invalid(`holders.${at}.memberId`, "the member holds the role twice");
    seen.add(memberId);
  });
  if ((role.holders.length === 0) !== (role.vacantSince !== undefined))
    throw invalid("vacantSince", "a role is vacant exactly when it has no holder");
  return role;
}

/** Places still open: 0 when the role is full. */
export const openPlaces = (role: Pick<GroupRole, "holders" | "maxHolders">): number =>
  Math.max(0, role.maxHolders - role.holders.length);

/** Nobody holds the role: a session that needs it lacks it. */
export const isVacant = (role: Pick<GroupRole, "holders">): boolean => role.holders.length === 0;

export const holdsRole = (role: Pick<GroupRole, "holders">, memberId: string): boolean =>
  role.holders.some((holder) => holder.memberId === memberId);

export function findDefinition(
  catalogue: readonly RoleDefinition[],
  roleId: string,
): RoleDefinition | undefined {
  return catalogue.find((definition) => definition.id === roleId);
}

function isSlug(value: string): boolean {
  return value.length <= maxNameLength && slug.test(value);
}

function requireMaxHolders(maxHolders: number): void {
  if (!Number.isInteger(maxHolders) || maxHolders < 1 || maxHolders > maxSharedHolders)
    throw invalid("maxHolders", `a role has 1 to ${maxSharedHolders} holders`);
}
