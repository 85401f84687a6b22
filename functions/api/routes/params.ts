import type { Context } from "hono";
import { requireGroup } from "#access/principal.ts";
import * as z from "#validation/zod-mini.ts";
import type { ApiEnv } from "../context.ts";
import { Id } from "../schemas.ts";

// The path parameters most routes share, and the path of the group they sit under.
export const OrgParams = z.object({ organisationId: Id });
export const GroupParams = z.object({ organisationId: Id, groupId: Id });
export const groupPath = "/organisations/{organisationId}/groups/{groupId}";

/** The route's path parameters, once the caller may act in the group they name. */
export const groupParams = <I extends { out: { param: { organisationId: string; groupId: string } } }>(
  c: Context<ApiEnv, string, I>,
): I["out"]["param"] => {
  const params = c.req.valid("param");
  requireGroup(c.var.principal, params.organisationId, params.groupId);
  return params;
};
