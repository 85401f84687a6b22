import type { FunctionName } from "../../functions/port-needs.ts";

export interface TableAccess {
  /** DynamoDB actions on the table, for the Store methods the function calls. */
  actions: readonly string[];
  /** Whether it queries the GSI1 index (upcoming sessions). */
  queriesIndex: boolean;
}

const read = ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:BatchGetItem"] as const;

/**
 * Which table actions each function's use of the Store needs, and no more (transactions are
 * authorised item by item: a TransactWriteItems Put needs PutItem, a ConditionCheck needs
 * ConditionCheckItem).
 * - plan-session-reminders: getSession, getMember, listGroupMembers, and listUpcomingSessions
 *   (GSI1) for a member who joined or changed preferences (reads only).
 * - send-session-reminders, notify-session-change: those, getGroup, and claimDelivery /
 *   releaseDelivery (a conditional PutItem, a DeleteItem).
 * - send-ballots, remind-voters, announce-vote-outcome: the vote audience (reads), ballot reply
 *   tokens (a transaction of PutItems), the ballots (Query), deliveries (PutItem, DeleteItem).
 * - confirm-ballot: those, and closing the vote once everyone has voted: endVote is an
 *   UpdateItem with its outbox PutItem in a transaction.
 * - close-vote: the vote and its ballots (reads) and endVote (UpdateItem, PutItem).
 * - api: the directory and sessions use cases: creates and replaces (PutItem), unsubscribe
 *   (UpdateItem in a transaction), memberships (ConditionCheckItem, DeleteItem), and the GSI1
 *   queries (upcoming sessions, a member's groups).
 * - receive-reply: resolveBallotToken, getVote, getMember, getGroup and getBallot (GetItem
 *   only); castBallot (a transaction: ConditionCheckItem on the vote, PutItems for the
 *   message id, the ballot and the outbox record; a lone conditional PutItem for a superseded
 *   message); explaining a reply not counted through deliverOnce (claimDelivery, a conditional
 *   PutItem; releaseDelivery, a DeleteItem). No Query, no UpdateItem.
 */
export const tableAccess: Record<FunctionName, TableAccess | undefined> = {
  "plan-session-reminders": { actions: read, queriesIndex: true },
  "send-session-reminders": {
    actions: [...read, "dynamodb:PutItem", "dynamodb:DeleteItem"],
    queriesIndex: false,
  },
  "notify-session-change": {
    actions: [...read, "dynamodb:PutItem", "dynamodb:DeleteItem"],
    queriesIndex: false,
  },
  "send-ballots": { actions: [...read, "dynamodb:PutItem", "dynamodb:DeleteItem"], queriesIndex: false },
  "confirm-ballot": {
    actions: [...read, "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
    queriesIndex: false,
  },
  "remind-voters": { actions: [...read, "dynamodb:PutItem", "dynamodb:DeleteItem"], queriesIndex: false },
  "close-vote": { actions: [...read, "dynamodb:PutItem", "dynamodb:UpdateItem"], queriesIndex: false },
  "announce-vote-outcome": {
    actions: [...read, "dynamodb:PutItem", "dynamodb:DeleteItem"],
    queriesIndex: false,
  },
  api: {
    actions: [
      ...read,
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
      "dynamodb:DeleteItem",
      "dynamodb:ConditionCheckItem",
    ],
    queriesIndex: true,
  },
  "outbox-relay": undefined,
  "receive-reply": {
    actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem"],
    queriesIndex: false,
  },
};
