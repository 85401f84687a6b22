import { maxHeadcount } from "./session.ts";

/**
 * Who came to a session, as its facilitator ticked them, in a group that records attendance by
 * name. Kept apart from the session, whose headcount is set to the number of names in the same
 * write: the names fade at `expiresAt` (the table's TTL attribute, epoch seconds) and the count
 * stays.
 */
export interface NamedAttendance {
  organisationId: string;
  groupId: string;
  sessionId: string;
  memberIds: string[];
  recordedAt: string;
  expiresAt: number;
}

/**
 * Whether the names are still kept at `now`. DynamoDB's TTL deletes an expired item only some
 * time later (up to days), so every read asks this rather than trusting the item's presence.
 */
export const namesKept = (expiresAt: number, now: Date): boolean => now.getTime() < expiresAt * 1000;

/**
 * What is wrong with a list of who came, as a field and a message, or undefined: each must be a
 * member of the group, named once. Nothing is said about anyone beyond the list's own positions.
 */
export const attendeesProblem = (
  memberIds: readonly string[],
  groupMemberIds: ReadonlySet<string>,
): { field: string; message: string } | undefined => {
  if (memberIds.length > maxHeadcount)
    return { field: "memberIds", message: `at most ${maxHeadcount} people may be named` };
  const seen = new Set<string>();
  for (const [i, id] of memberIds.entries()) {
    if (seen.has(id)) return { field: `memberIds.${i}`, message: "is named twice" };
    if (!groupMemberIds.has(id)) return { field: `memberIds.${i}`, message: "is not a member of this group" };
    seen.add(id);
  }
  return undefined;
};

/** The same people, in whatever order they were ticked. */
export const sameAttendees = (a: readonly string[], b: readonly string[]): boolean => {
  const first = new Set(a);
  const second = new Set(b);
  return first.size === second.size && b.every((id) => first.has(id));
};
