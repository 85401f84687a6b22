import type { FunctionName } from "#functions/port-needs.ts";

export interface TableAccess {
  /** DynamoDB actions on the table, for the Store methods the function calls. */
  actions: readonly string[];
  /** Whether it queries the GSI1 index (upcoming sessions). */
  queriesIndex: boolean;
}

const read = ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:BatchGetItem"] as const;
/** deliverOnce: a claim (conditional PutItem), its release (DeleteItem), its mark "sent" (BatchWriteItem). */
const deliveries = ["dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"] as const;

/**
 * Which table actions each function's use of the Store needs, and no more (transactions are
 * authorised item by item: a TransactWriteItems Put needs PutItem, a ConditionCheck needs
 * ConditionCheckItem).
 * - plan-session-reminders: getSession, getMember, listGroupMembers, and listUpcomingSessions
 *   (GSI1) for a member who joined or changed preferences (reads only).
 * - send-session-reminders, notify-session-change: those, getGroup, and claimDelivery /
 *   releaseDelivery (a conditional PutItem, a DeleteItem); when the session asks who is coming,
 *   its places (GetItem) and each member's RSVP token (a transaction of PutItems, once).
 * - Every function that sends (those above and below with deliveries) marks its claims "sent"
 *   with markDelivered: BatchWriteItem, a fan-out's marks up to 25 a request.
 * - send-ballots, remind-voters, announce-vote-outcome: the vote audience (reads), ballot reply
 *   tokens (a transaction of PutItems), the ballots (Query), deliveries (PutItem, DeleteItem).
 * - confirm-ballot: those, and closing the vote once everyone has voted: endVote is an
 *   UpdateItem with its outbox PutItem in a transaction.
 * - close-vote: the vote and its ballots (reads) and endVote (UpdateItem, PutItem).
 * - escalate-vacancy: the role, catalogue, group and organisation (GetItem only); escalating
 *   once (a transaction: ConditionCheckItem on the role, the conditional escalation PutItem,
 *   the outbox PutItem); the admins' emails through deliverOnce (PutItem, DeleteItem).
 * - check-facilitator: the session and the named facilitator's membership (GetItem); only
 *   when nobody named facilitates, the group, organisation, catalogue and coordinators
 *   (GetItem), the group's roles and members (Query, BatchGetItem); deliveries (PutItem,
 *   DeleteItem); when a member leaves or a facilitation role falls vacant, the catalogue
 *   (GetItem) and the group's upcoming sessions (GSI1); a day before a session that asks for
 *   RSVPs, its places, answers, the group's privacy and name opt-ins (GetItem, Query) for the
 *   facilitator's summary.
 * - remind-training-expiry: the member's training and a member's groups (Query; GSI1 for the
 *   groups), their roles and groups (Query, GetItem); deliveries (PutItem, DeleteItem).
 * - end-role-terms: the role and group (GetItem); applyRoleChange (a transaction: PutItem on
 *   the role, a ConditionCheckItem per remaining holder's membership, the outbox PutItem).
 * - api: the directory and sessions use cases: creates and replaces (PutItem), unsubscribe
 *   (UpdateItem in a transaction), memberships (ConditionCheckItem, DeleteItem), a member's
 *   email claim (PutItem, and DeleteItem when the address moves, in the member's transaction),
 *   and the GSI1 queries (upcoming sessions, a member's groups); a group's activity log is one
 *   Query.
 * - call-for-volunteers: the vacancy's facts (reads), reply tokens (a transaction of PutItems),
 *   declines (a conditional PutItem), deliveries (PutItem, DeleteItem).
 * - fill-vacancy: those, and filling the role (a transaction: PutItem on the role, a
 *   ConditionCheckItem per holder's membership, the outbox PutItem) or opening a vote
 *   (ConditionCheckItem on the group, PutItems).
 * - welcome-role-holder: the role, group and member (reads) and the delivery claim.
 * - track-group-health: the group's members (Query, BatchGetItem), upcoming and past sessions
 *   (GSI1) and one session (GetItem), votes and ballots, roles, the catalogue and holders'
 *   training, a member's groups (GSI1), held sessions' places and series' RSVP settings
 *   (GetItem); writes a health section (a conditional UpdateItem) and the trend
 *   counts (a transaction: the event's marker PutItem, an UpdateItem per month). No delete.
 * - record-activity: one conditional PutItem per event into the group's log; it reads nothing.
 *   (It has no store: the activity port grants this; the API's log reads are its Query.)
 * - receive-reply: resolveBallotToken, getVote, getMember, getGroup and getBallot (GetItem
 *   only); castBallot (a transaction: ConditionCheckItem on the vote, PutItems for the
 *   message id, the ballot and the outbox record; a lone conditional PutItem for a superseded
 *   message); explaining a reply not counted through deliverOnce (claimDelivery, a conditional
 *   PutItem; releaseDelivery, a DeleteItem). Answers about a vacancy also read the group's
 *   members, volunteers and training (Query, BatchGetItem), record them (PutItem, and a
 *   transaction with ConditionCheckItems to volunteer or take the role), and a declined offer
 *   may call the group (deliveries, reply tokens). No UpdateItem.
 * - planning-api: the routes of roles, leadership and training (the API's role writes: PutItem,
 *   UpdateItem, DeleteItem, ConditionCheckItem, the index for a member's groups) and of series:
 *   the group, a named holder's membership and the series (GetItem), a group's series (Query);
 *   making a series (a transaction: ConditionCheckItem on the group, PutItem of the series and
 *   its outbox record) and ending one (a conditional PutItem with its outbox record).
 * - extend-series-windows: the series (GetItem), the group's members, roles and catalogue
 *   (Query, BatchGetItem, GetItem), the due series (a GSI1 Query); each occurrence (a
 *   transaction: ConditionCheckItem on the series, PutItem of the session and its outbox
 *   record), the window's edge (a conditional UpdateItem); an ended series' sessions (GetItem)
 *   cancelled (a conditional PutItem with its outbox record); after an edit, the group's
 *   sessions to come (a GSI1 Query, then GetItem) brought in line (a transaction:
 *   ConditionCheckItem on the series, a conditional PutItem of the session and its outbox
 *   record). No delete.
 * - planning-api also keeps the calendar feeds' settings and members' feed tokens: PutItem with a
 *   ConditionCheckItem on the group or member, and DeleteItem of a replaced token.
 * - calendar-feeds: reads only (see its row).
 * - receive-sms: the members with the sending number and each member's groups (GSI1 Query only:
 *   the base table is never queried), their organisations (GetItem); a change of SMS consent
 *   (a transaction: the inbound text's mark PutItem, the member's conditional UpdateItem, the
 *   consent record's PutItem, the outbox PutItems), and when its condition fails, GetItem to say
 *   why; an answer kept (a conditional PutItem with its outbox PutItem); the keyword reply
 *   through deliverOnce (PutItem, DeleteItem, BatchWriteItem). No BatchGetItem, no
 *   ConditionCheckItem.
 * - record-delivery-problem: markEmailUndeliverable (a transaction: the conditional UpdateItem
 *   on the member, the outbox PutItem) and, when its condition fails, getMember (GetItem) to
 *   tell "already marked" from "no such member". No Query, no delete.
 */
/** The HTTP API's writes: items, their updates and deletes, in transactions with checks. */
const apiAccess: TableAccess = {
  actions: [
    ...read,
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:ConditionCheckItem",
  ],
  queriesIndex: true,
};

export const tableAccess: Record<FunctionName, TableAccess | undefined> = {
  "plan-session-reminders": { actions: read, queriesIndex: true },
  "send-session-reminders": {
    actions: [...read, ...deliveries],
    queriesIndex: false,
  },
  "notify-session-change": {
    actions: [...read, ...deliveries],
    queriesIndex: false,
  },
  "send-ballots": {
    actions: [...read, ...deliveries],
    queriesIndex: false,
  },
  "confirm-ballot": {
    actions: [...read, ...deliveries, "dynamodb:UpdateItem"],
    queriesIndex: false,
  },
  "remind-voters": {
    actions: [...read, ...deliveries],
    queriesIndex: false,
  },
  "close-vote": { actions: [...read, "dynamodb:PutItem", "dynamodb:UpdateItem"], queriesIndex: false },
  "announce-vote-outcome": {
    actions: [...read, ...deliveries],
    queriesIndex: false,
  },
  "escalate-vacancy": {
    actions: ["dynamodb:GetItem", ...deliveries, "dynamodb:ConditionCheckItem"],
    queriesIndex: false,
  },
  "check-facilitator": {
    actions: [...read, ...deliveries],
    queriesIndex: true,
  },
  "remind-training-expiry": {
    actions: ["dynamodb:GetItem", "dynamodb:Query", ...deliveries],
    queriesIndex: true,
  },
  "end-role-terms": {
    actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:ConditionCheckItem"],
    queriesIndex: false,
  },
  api: apiAccess,
  // Serves the roles' routes (the same writes as the API's) and the series'.
  "planning-api": apiAccess,
  // The calendar feeds read and never write: a token's lookup item, a member (GetItem), the
  // member's groups (GSI1 Query), each group, its feed settings (GetItem), its series and
  // sessions (Query).
  "calendar-feeds": { actions: ["dynamodb:GetItem", "dynamodb:Query"], queriesIndex: true },
  "extend-series-windows": {
    actions: [...read, "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:ConditionCheckItem"],
    queriesIndex: true,
  },
  // Reads the due index (GSI1), records an ask (a conditional UpdateItem with its outbox
  // record in a transaction), keeps reply tokens and claims deliveries.
  "ask-series-confirmation": {
    actions: [...read, ...deliveries, "dynamodb:UpdateItem"],
    queriesIndex: true,
  },
  "call-for-volunteers": {
    actions: [...read, ...deliveries],
    queriesIndex: false,
  },
  "fill-vacancy": {
    actions: [...read, ...deliveries, "dynamodb:ConditionCheckItem"],
    queriesIndex: false,
  },
  "welcome-role-holder": {
    actions: [...read, ...deliveries],
    queriesIndex: false,
  },
  "track-group-health": { actions: [...read, "dynamodb:PutItem", "dynamodb:UpdateItem"], queriesIndex: true },
  "record-activity": { actions: ["dynamodb:PutItem"], queriesIndex: false },
  // The session, member and group (GetItem), the member's RSVP token (a transaction of
  // PutItems the first time), the confirmation's delivery claim.
  "confirm-rsvp": { actions: [...read, ...deliveries], queriesIndex: false },
  // Those, and passing on a lapsed offer: a transaction of ConditionCheckItem on the session,
  // the places' conditional PutItem and the outbox PutItem. A member who left: the group's
  // sessions to come (GSI1), their places (GetItem), the same transaction with their answer's
  // PutItem, and their name opt-in's DeleteItem.
  "offer-place": { actions: [...read, ...deliveries, "dynamodb:ConditionCheckItem"], queriesIndex: true },
  // The text's words and its questions (GetItem, Query), the member's groups (GSI1); an RSVP
  // (a transaction with ConditionCheckItem), volunteering or taking a role (as receive-reply),
  // a question marked answered (UpdateItem), the replies' and coordinators' delivery claims.
  "answer-sms": {
    actions: [...read, ...deliveries, "dynamodb:ConditionCheckItem", "dynamodb:UpdateItem"],
    queriesIndex: true,
  },
  "outbox-relay": undefined,
  "receive-reply": {
    // UpdateItem: a "yes" to "still meeting?" records the series' confirmation.
    actions: [...read, ...deliveries, "dynamodb:ConditionCheckItem", "dynamodb:UpdateItem"],
    queriesIndex: false,
  },
  "receive-sms": {
    actions: ["dynamodb:GetItem", ...deliveries, "dynamodb:UpdateItem"],
    queriesIndex: true,
  },
  "record-delivery-problem": {
    actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
    queriesIndex: false,
  },
};
