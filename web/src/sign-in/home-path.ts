import { paths } from "../route.ts";
import type { SignedInUser } from "./signed-in-user.ts";

/** Where a user starts: an umbrella admin on the overview, a coordinator on their (first) group. */
export const homePath = (user: SignedInUser): string => {
  const firstGroup = user.groupIds[0];
  if (user.role === "group-coordinator" && firstGroup) return paths.group(user.organisationId, firstGroup);
  return paths.overview(user.organisationId);
};
