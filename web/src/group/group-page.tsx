import { apiPaths, type Group, type Items, type Member } from "../api/resources.ts";
import { useResource } from "../api/use-resource.ts";
import { paths, type GroupTab } from "../route.ts";
import type { SignedInUser } from "../sign-in/signed-in-user.ts";
import { zoneName } from "../ui/format.ts";
import { Link } from "../ui/link.tsx";
import { ProblemNotice } from "../ui/problem-notice.tsx";
import { usePageTitle } from "../ui/use-page-title.ts";
import { ActivityTab } from "./activity-tab.tsx";
import { MembersTab } from "./members-tab.tsx";
import { RolesTab } from "./roles-tab.tsx";
import { SessionsTab } from "./sessions-tab.tsx";
import { VotesTab } from "./votes-tab.tsx";

const tabNames: Record<GroupTab, string> = {
  sessions: "Sessions",
  members: "Members",
  votes: "Votes",
  roles: "Roles and vacancies",
  activity: "Activity",
};

/** One group, for its umbrella admin and its coordinators: a section per tab, each with its own address. */
export const GroupPage = ({
  user,
  organisationId,
  groupId,
  tab,
}: {
  user: SignedInUser;
  organisationId: string;
  groupId: string;
  tab: GroupTab;
}) => {
  const [group] = useResource<Group>(apiPaths.group(organisationId, groupId));
  const [members, reloadMembers] = useResource<Items<Member>>(apiPaths.groupMembers(organisationId, groupId));
  const memberList = members.state === "ready" ? members.data.items : [];
  usePageTitle(tabNames[tab], group.state === "ready" ? group.data.name : undefined);
  return (
    <>
      <h1 tabIndex={-1}>{group.state === "ready" ? group.data.name : "Group"}</h1>
      {group.state === "failed" && <ProblemNotice problem={group.problem} />}
      {group.state === "ready" && (
        <>
          <p>
            Times are {zoneName(group.data.timeZone)}, the group's time zone. Leadership:{" "}
            {group.data.leadershipModel}.
          </p>
          <nav aria-label="Group sections" className="tabs">
            <ul>
              {(Object.keys(tabNames) as GroupTab[]).map((t) => (
                <li key={t}>
                  <Link
                    to={paths.group(organisationId, groupId, t)}
                    aria-current={t === tab ? "page" : undefined}
                  >
                    {tabNames[t]}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <section aria-labelledby="tab-heading" className="tab">
            <h2 id="tab-heading">{tabNames[tab]}</h2>
            {tab === "sessions" && (
              <SessionsTab organisationId={organisationId} group={group.data} members={memberList} />
            )}
            {tab === "members" && (
              <MembersTab
                user={user}
                organisationId={organisationId}
                group={group.data}
                members={members}
                onChanged={reloadMembers}
              />
            )}
            {tab === "votes" && (
              <VotesTab organisationId={organisationId} group={group.data} members={memberList} />
            )}
            {tab === "roles" && (
              <RolesTab user={user} organisationId={organisationId} group={group.data} members={memberList} />
            )}
            {tab === "activity" && (
              <ActivityTab
                key={groupId}
                organisationId={organisationId}
                groupId={groupId}
                timeZone={group.data.timeZone}
                members={memberList}
                reloadMembers={reloadMembers}
              />
            )}
          </section>
        </>
      )}
    </>
  );
};
