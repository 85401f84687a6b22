import { Hono } from "hono";
import type { VerifyToken } from "#access/token-verifier.ts";
import type { Ports } from "#ports/ports.ts";
import { apiShell } from "../api/api-shell.ts";
import { bearer } from "../api/bearer.ts";
import type { ApiEnv } from "../api/context.ts";
import { mount, type ApiRoute } from "../api/route.ts";
import { attendanceNamesRoutes } from "../api/routes/attendance-names.ts";
import { calendarFeedSettingsRoutes } from "../api/routes/calendar-feed-settings.ts";
import { groupRoleRoutes } from "../api/routes/group-roles.ts";
import { leadershipRoutes } from "../api/routes/leadership.ts";
import { roleCatalogueRoutes } from "../api/routes/role-catalogue.ts";
import { roleVolunteerRoutes } from "../api/routes/role-volunteers.ts";
import { rsvpLinkRoutes } from "../api/routes/rsvp-links.ts";
import { rsvpPrivacyRoutes } from "../api/routes/rsvp-privacy.ts";
import { seriesLinkRoutes } from "../api/routes/series-links.ts";
import { seriesRoutes } from "../api/routes/series.ts";
import { sessionRsvpRoutes } from "../api/routes/session-rsvps.ts";
import { trainingRoutes } from "../api/routes/training.ts";

/**
 * The operations of how a group organises itself — its roles, leadership and training, and
 * its series of sessions — served by the planning-api function: with them the API function's
 * bundle would pass its 250 KB budget.
 */
export const planningRoutes = (ports: Ports): ApiRoute[] => [
  ...roleCatalogueRoutes(ports),
  ...groupRoleRoutes(ports),
  ...roleVolunteerRoutes(ports),
  ...leadershipRoutes(ports),
  ...trainingRoutes(ports),
  ...seriesRoutes(ports),
  ...calendarFeedSettingsRoutes(ports),
  ...sessionRsvpRoutes(ports),
  ...rsvpPrivacyRoutes(ports),
  ...attendanceNamesRoutes(ports),
];

/**
 * The planning-api function's application on AWS: the planning operations behind the bearer
 * token, and the members' RSVP and "still meeting?" links without it (the HTTP API routes their paths here). It
 * imports none of the API function's other routes, whose definitions would fill its bundle.
 */
export const planningFunctionApp = (ports: Ports, verifyToken: VerifyToken) => {
  const app = apiShell(ports);
  app.route("/api/v1", rsvpLinkRoutes(ports));
  app.route("/api/v1", seriesLinkRoutes(ports));
  const v1 = new Hono<ApiEnv>();
  v1.use("*", bearer(verifyToken));
  for (const route of planningRoutes(ports)) mount(v1, route);
  return app.route("/api/v1", v1);
};
