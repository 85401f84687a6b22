// Every key starts with the organisation, so one tenant's items can never be read through
// another tenant's key.

const org = (organisationId: string) => `ORG#${organisationId}`;

export const keys = {
  organisation: (o: string) => ({ PK: org(o), SK: "ORGANISATION" }),
  group: (o: string, g: string) => ({ PK: org(o), SK: `GROUP#${g}` }),
  groupsOf: (o: string) => ({ PK: org(o), SKPrefix: "GROUP#" }),
  member: (o: string, m: string) => ({ PK: org(o), SK: `MEMBER#${m}` }),
  membersOf: (o: string) => ({ PK: org(o), SKPrefix: "MEMBER#" }),
  membership: (o: string, g: string, m: string) => ({
    PK: `${org(o)}#GROUP#${g}`,
    SK: `MEMBER#${m}`,
    GSI1PK: `${org(o)}#MEMBER#${m}`,
    GSI1SK: `GROUP#${g}`,
  }),
  groupsOfMember: (o: string, m: string) => ({ GSI1PK: `${org(o)}#MEMBER#${m}`, GSI1SKPrefix: "GROUP#" }),
  membershipsOfGroup: (o: string, g: string) => ({ PK: `${org(o)}#GROUP#${g}`, SKPrefix: "MEMBER#" }),
  session: (o: string, g: string, s: string) => ({ PK: `${org(o)}#GROUP#${g}`, SK: `SESSION#${s}` }),
  /** Upcoming sessions of a group, ordered by start instant; cancelled sessions leave the index. */
  sessionByStart: (o: string, g: string, startUtc: string, s: string) => ({
    GSI1PK: `${org(o)}#GROUP#${g}#SESSIONS`,
    GSI1SK: `${startUtc}#${s}`,
  }),
  sessionsByStartOf: (o: string, g: string) => ({ GSI1PK: `${org(o)}#GROUP#${g}#SESSIONS` }),
  vote: (o: string, g: string, v: string) => ({ PK: `${org(o)}#GROUP#${g}`, SK: `VOTE#${v}` }),
  votesOf: (o: string, g: string) => ({ PK: `${org(o)}#GROUP#${g}`, SKPrefix: "VOTE#" }),
  ballot: (o: string, v: string, m: string) => ({ PK: `${org(o)}#VOTE#${v}`, SK: `BALLOT#${m}` }),
  ballotsOf: (o: string, v: string) => ({ PK: `${org(o)}#VOTE#${v}`, SKPrefix: "BALLOT#" }),
  /** The member's token for a vote, so the same one is sent again on redelivery. */
  memberToken: (o: string, v: string, m: string) => ({ PK: `${org(o)}#VOTE#${v}`, SK: `TOKEN#${m}` }),
  /**
   * The one key without the organisation in front: inbound mail carries nothing but the
   * token, so the token item is how the organisation is found. The token is 128 random bits.
   */
  ballotToken: (token: string) => ({ PK: `BALLOT-TOKEN#${token}`, SK: "BALLOT-TOKEN" }),
  inboundMessage: (o: string, messageKey: string) => ({
    PK: `${org(o)}#INBOUND#${messageKey}`,
    SK: "INBOUND",
  }),
  groupRole: (o: string, g: string, r: string) => ({ PK: `${org(o)}#GROUP#${g}`, SK: `ROLE#${r}` }),
  groupRolesOf: (o: string, g: string) => ({ PK: `${org(o)}#GROUP#${g}`, SKPrefix: "ROLE#" }),
  /** Several records of one training (renewals) sort by completion within it. */
  training: (o: string, m: string, t: string, completedAt: string) => ({
    PK: `${org(o)}#MEMBER#${m}`,
    SK: `TRAINING#${t}#${completedAt}`,
  }),
  trainingOf: (o: string, m: string) => ({ PK: `${org(o)}#MEMBER#${m}`, SKPrefix: "TRAINING#" }),
  /** One partition per vacancy: a role vacant again later collects its volunteers afresh. */
  volunteer: (o: string, g: string, r: string, vacantSince: string, m: string) => ({
    PK: `${org(o)}#GROUP#${g}#ROLE#${r}#VACANCY#${vacantSince}`,
    SK: `VOLUNTEER#${m}`,
  }),
  volunteersOf: (o: string, g: string, r: string, vacantSince: string) => ({
    PK: `${org(o)}#GROUP#${g}#ROLE#${r}#VACANCY#${vacantSince}`,
    SKPrefix: "VOLUNTEER#",
  }),
  outbox: (o: string, eventId: string) => ({ PK: `${org(o)}#OUTBOX#${eventId}`, SK: "OUTBOX" }),
  delivery: (o: string, deliveryKey: string) => ({ PK: `${org(o)}#DELIVERY#${deliveryKey}`, SK: "DELIVERY" }),
} as const;

/** Item kinds, stored in `kind` so the stream filter (Pipes, local poller) can pick outbox records. */
export const itemKind = {
  organisation: "organisation",
  group: "group",
  member: "member",
  membership: "membership",
  session: "session",
  outbox: "outbox",
  delivery: "delivery",
  vote: "vote",
  ballot: "ballot",
  ballotToken: "ballot-token",
  inboundMessage: "inbound-message",
  groupRole: "group-role",
  training: "training",
  volunteer: "volunteer",
} as const;
