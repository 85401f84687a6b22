// The feeds' paths below the deployment's base URL (the dashboard's origin, or the API's).

/** Where a group's public feed is served (whether or not it is published). */
export const groupFeedPath = (organisationId: string, groupId: string): string =>
  `/api/v1/feeds/organisations/${organisationId}/groups/${groupId}.ics`;

/** Where a member's private feed is served: the token is the path's whole secret. */
export const memberFeedPath = (token: string): string => `/api/v1/feeds/members/${token}.ics`;
