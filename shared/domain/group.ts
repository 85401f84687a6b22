/** How a group shares out leadership; it decides how vacant roles are filled. */
export type LeadershipModel = "designated" | "collective" | "rotating";
export const leadershipModels = ["designated", "collective", "rotating"] as const;

/** A peer support group of an organisation. Its sessions happen in its IANA time zone. */
export interface Group {
  organisationId: string;
  id: string;
  name: string;
  timeZone: string;
  leadershipModel: LeadershipModel;
  /** designated: the member who appoints to vacant roles (asked by email, or through the API). */
  leaderMemberId?: string;
  /** rotating: the order in which members are offered a vacant role. */
  rotationOrder?: string[];
  /** Members who coordinate the group: alerted when a session has no facilitator. */
  coordinatorMemberIds?: string[];
  createdAt: string;
}
