import { attendanceNamesPaths } from "./routes/attendance-names.ts";
import { calendarFeedSettingsPaths } from "./routes/calendar-feed-settings.ts";
import { rsvpPrivacyPaths } from "./routes/rsvp-privacy.ts";
import { seriesPaths } from "./routes/series.ts";
import { sessionRsvpPaths } from "./routes/session-rsvps.ts";

/**
 * The paths the HTTP API sends to the planning-api function (API Gateway route keys): the
 * operations of planningRoutes in app.ts.
 */
export const planningPaths = [
  "/api/v1/organisations/{organisationId}/role-catalogue",
  "/api/v1/organisations/{organisationId}/groups/{groupId}/roles",
  "/api/v1/organisations/{organisationId}/groups/{groupId}/roles/{proxy+}",
  "/api/v1/organisations/{organisationId}/groups/{groupId}/leadership",
  "/api/v1/organisations/{organisationId}/groups/{groupId}/members/{memberId}/training",
  ...seriesPaths,
  ...calendarFeedSettingsPaths,
  ...sessionRsvpPaths,
  ...rsvpPrivacyPaths,
  ...attendanceNamesPaths,
];
