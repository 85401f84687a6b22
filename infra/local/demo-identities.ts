import type { Store } from "#ports/store.ts";
import { demoOrganisationId } from "./demo-data.ts";
import type { Identity } from "./local-identity.ts";

export interface DemoIdentity {
  /** What the sign-in page and `npm start` show, e.g. "Coordinator of Riverside Carers' Circle". */
  label: string;
  identity: Identity;
}

/**
 * Who one can be locally: the demo organisation's umbrella admin and a coordinator for each
 * of its groups. The dashboard's local sign-in lists these and mints a token for the one
 * chosen (POST /api/local/tokens); on AWS, Cognito's hosted UI takes this part.
 */
export const demoIdentities = async (store: Pick<Store, "listGroups">): Promise<DemoIdentity[]> => {
  const groups = await store.listGroups(demoOrganisationId);
  return [
    {
      label: "Umbrella admin of the demo organisation",
      identity: { role: "umbrella-admin", organisationId: demoOrganisationId, subject: "demo-admin" },
    },
    ...groups.map((group) => ({
      label: `Coordinator of ${group.name}`,
      identity: {
        role: "group-coordinator" as const,
        organisationId: demoOrganisationId,
        groupIds: [group.id],
        subject: `demo-coordinator-${group.id}`,
      },
    })),
  ];
};
