import type { ActivityItem, VoteOutcomeKind } from "#read-models/group-activity.ts";
import { formatLocal } from "../ui/format.ts";

/**
 * Names for the ids in the log, from what the page can read (the group's members, sessions,
 * votes and roles); undefined where it cannot name one, for a member who has left, say.
 */
export interface ActivityNames {
  member(id: string): string | undefined;
  /** A session's title. */
  session(id: string): string | undefined;
  /** A vote's question. */
  vote(id: string): string | undefined;
  /** A role's name. */
  role(id: string): string | undefined;
}

/** One row of the Activity tab: what happened, and whom or what it concerns. */
export interface ActivityLine {
  what: string;
  concerns: string[];
}

/** A catalogue id in words, for a role or training the page cannot name: "venue-booker" → "Venue booker". */
export const fromSlug = (slug: string): string => {
  const words = slug.replaceAll("-", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
};

const outcomes: Record<VoteOutcomeKind, string> = {
  passed: "passed",
  rejected: "rejected",
  "no-quorum": "no quorum",
  "no-votes": "nobody voted",
  "no-majority": "no majority",
  elected: "someone was elected",
  chosen: "an option was chosen",
  tie: "a tie",
};

const filled = {
  appointed: "Appointed to a role",
  confirmed: "Confirmed in a role, nobody having objected",
  elected: "Elected to a role",
  "offered-and-accepted": "Took up a role offered in turn",
  assigned: "Assigned to a role",
} as const;

const vacated = {
  "stepped-down": "Stepped down from a role",
  "left-group": "Left a role on leaving the group",
  "term-ended": "Came to the end of a role's term",
} as const;

const plural = (headcount: number | undefined): string =>
  headcount === undefined ? "count not recorded" : headcount === 1 ? "1 person" : `${headcount} people`;

/** Compiles only while every type the log records has a case above its default. */
const unknownType = (_type: never): void => {};

/**
 * An item of the log in plain words, its session times on the group's clock (`timeZone`).
 * Names come only from `names`: the log itself holds ids, so whatever it says of a person is
 * what the caller could read of them anyway.
 */
export const describeActivity = (
  item: ActivityItem,
  names: ActivityNames,
  timeZone: string,
): ActivityLine => {
  const member = () => (item.memberId ? [names.member(item.memberId) ?? "A former member"] : []);
  const role = () => (item.roleId ? [names.role(item.roleId) ?? fromSlug(item.roleId)] : []);
  const vote = () => (item.voteId ? [names.vote(item.voteId) ?? "A vote"] : []);
  const session = () => (item.sessionId ? [names.session(item.sessionId) ?? "A session"] : []);
  const start = item.startLocal ? formatLocal(item.startLocal, timeZone) : "a date not recorded";

  switch (item.type) {
    case "SessionScheduled":
      return { what: `Session scheduled for ${start}`, concerns: session() };
    case "SessionRescheduled":
      return {
        what: item.previousStartLocal
          ? `Session moved from ${formatLocal(item.previousStartLocal, timeZone)} to ${start}`
          : `Session moved to ${start}`,
        concerns: session(),
      };
    case "SessionCancelled":
      return { what: `Session on ${start} cancelled`, concerns: session() };
    case "SessionAttendanceRecorded":
      return {
        what:
          item.previousHeadcount === undefined
            ? `Attendance at the session on ${start} recorded: ${plural(item.headcount)}`
            : `Attendance at the session on ${start} corrected from ${item.previousHeadcount} to ${plural(item.headcount)}`,
        concerns: session(),
      };
    case "MemberJoinedGroup":
      return { what: "Joined the group", concerns: member() };
    case "MemberLeftGroup":
      return { what: "Left the group", concerns: member() };
    case "MemberUnsubscribed":
      return {
        what: item.channel === "sms" ? "Unsubscribed from text messages" : "Unsubscribed from email",
        concerns: member(),
      };
    case "MemberEmailUndeliverable":
      return {
        what:
          item.emailProblem === "complained"
            ? "Reported our email as spam: nothing more is emailed until their address changes"
            : "Email to them bounced: nothing more is emailed until their address changes",
        concerns: member(),
      };
    case "MemberRemindersChanged":
      return { what: "Changed their reminder settings", concerns: member() };
    case "VoteOpened":
      return {
        what:
          item.voteKind === "election"
            ? "Election opened"
            : item.voteKind === "choice"
              ? "Vote opened on a choice"
              : "Vote opened on a proposal",
        concerns: [...vote(), ...role()],
      };
    case "BallotCast":
      return {
        what: item.replaced ? "A ballot was replaced by a later reply" : "A ballot was counted",
        concerns: vote(),
      };
    case "VoteClosed":
      return {
        what: `Vote closed${item.closedEarly ? " early, everyone having voted" : ""}: ${
          item.outcome ? outcomes[item.outcome] : "result not recorded"
        }`,
        concerns: [...vote(), ...role()],
      };
    case "VoteCancelled":
      return { what: "Vote cancelled", concerns: vote() };
    case "RoleVacated":
      return { what: item.reason ? vacated[item.reason] : "Left a role", concerns: [...member(), ...role()] };
    case "RoleFilled":
      return { what: item.how ? filled[item.how] : "Took up a role", concerns: [...member(), ...role()] };
    case "VolunteerOffered":
      return { what: "Volunteered for a role", concerns: [...member(), ...role()] };
    case "RoleVacancyEscalated":
      return { what: "Role still vacant: the umbrella admins were alerted", concerns: role() };
    case "TrainingRecorded":
      return {
        what: `Training recorded: ${item.trainingId ? fromSlug(item.trainingId) : "not named"}`,
        concerns: member(),
      };
    default:
      // A kind of event this page does not know yet (a newer API): its type, in words.
      unknownType(item.type);
      return {
        what: fromSlug((item as { type: string }).type.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase()),
        concerns: [...member(), ...session(), ...vote(), ...role()],
      };
  }
};
