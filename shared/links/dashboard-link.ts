/**
 * Links into the dashboard (web/src/route.ts reads the same paths): a group's page, or one of
 * its tabs. Alerts point there so an admin or coordinator lands where they can act.
 */
export const groupPageUrl = (
  publicBaseUrl: string,
  organisationId: string,
  groupId: string,
  tab?: "roles" | "members" | "votes" | "activity",
): string =>
  `${publicBaseUrl}/organisations/${encodeURIComponent(organisationId)}/groups/${encodeURIComponent(groupId)}${tab === undefined ? "" : `/${tab}`}`;
