import { useEffect } from "react";
import { GroupPage } from "./group/group-page.tsx";
import { OverviewPage } from "./overview/overview-page.tsx";
import { navigate, paths, useRoute, type Route } from "./route.ts";
import { homePath } from "./sign-in/home-path.ts";
import { SignInPage } from "./sign-in/sign-in-page.tsx";
import { signedInUser } from "./sign-in/signed-in-user.ts";
import { Layout } from "./ui/layout.tsx";
import { usePageTitle } from "./ui/use-page-title.ts";

// A new page (not a new tab of the same group) moves focus to its heading, as a page load would.
const pageKey = (route: Route) =>
  route.page === "group" ? `group/${route.organisationId}/${route.groupId}` : JSON.stringify(route);

export const App = () => {
  const route = useRoute();
  const user = signedInUser();
  const key = pageKey(route);

  useEffect(() => {
    document.querySelector<HTMLElement>("h1")?.focus();
  }, [key]);
  useEffect(() => {
    const signedIn = signedInUser();
    if (signedIn && route.page === "home") navigate(homePath(signedIn), { replace: true });
  }, [route.page]);

  if (!user || route.page === "sign-in") return <SignInPage />;
  if (route.page === "home") return null;
  if (route.page === "overview")
    return (
      <Layout user={user} current={paths.overview(route.organisationId)}>
        <OverviewPage user={user} organisationId={route.organisationId} />
      </Layout>
    );
  if (route.page === "group")
    return (
      <Layout user={user} current={paths.group(route.organisationId, route.groupId)}>
        <GroupPage
          user={user}
          organisationId={route.organisationId}
          groupId={route.groupId}
          tab={route.tab}
        />
      </Layout>
    );
  return (
    <Layout user={user} current="">
      <NoSuchPage />
    </Layout>
  );
};

const NoSuchPage = () => {
  usePageTitle("No such page");
  return (
    <>
      <h1 tabIndex={-1}>No such page</h1>
      <p>
        The address does not name a page of the dashboard. <a href={paths.home}>Go to your start page</a>.
      </p>
    </>
  );
};
