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
  createdAt: string;
}
