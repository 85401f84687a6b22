import { useState } from "react";
import { apiPaths, type Organisation } from "../api/resources.ts";
import { useResource } from "../api/use-resource.ts";
import type { SignedInUser } from "../sign-in/signed-in-user.ts";
import { ProblemNotice } from "../ui/problem-notice.tsx";
import { usePageTitle } from "../ui/use-page-title.ts";
import { noFilter } from "./group-health-filter.ts";
import type { OrganisationOverview } from "#read-models/organisation-overview.ts";
import { OverviewView } from "./overview-view.tsx";

/** The umbrella admin's overview: one request, GET …/overview, rendered by OverviewView. */
export const OverviewPage = ({ user, organisationId }: { user: SignedInUser; organisationId: string }) => {
  const [overview, reload] = useResource<OrganisationOverview>(apiPaths.overview(organisationId));
  const [filter, setFilter] = useState(noFilter);
  const [organisation] = useResource<Organisation>(apiPaths.organisation(organisationId));
  usePageTitle("Overview", organisation.state === "ready" ? organisation.data.name : undefined);
  return (
    <>
      <h1 tabIndex={-1}>Organisation overview</h1>
      {user.role !== "umbrella-admin" && (
        <p>The overview is for umbrella admins; your groups are listed beside it.</p>
      )}
      {overview.state === "loading" && <p role="status">Loading the overview…</p>}
      {overview.state === "failed" &&
        (overview.problem.status === 404 ? (
          // The endpoint comes with the overview read model; until then say so, and invent nothing.
          <p className="not-yet">
            The organisation overview is not available yet. Open a group from the list to manage it.
          </p>
        ) : (
          <>
            <ProblemNotice problem={overview.problem} />
            <button type="button" onClick={reload}>
              Try again
            </button>
          </>
        ))}
      {overview.state === "ready" && (
        <OverviewView overview={overview.data} filter={filter} onFilterChange={setFilter} />
      )}
    </>
  );
};
