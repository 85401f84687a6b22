import type { ReactNode } from "react";
import { apiPaths, type Group, type Items, type Organisation } from "../api/resources.ts";
import { useResource } from "../api/use-resource.ts";
import { paths } from "../route.ts";
import { signOut } from "../sign-in/sign-in-method.ts";
import type { SignedInUser } from "../sign-in/signed-in-user.ts";
import { Link } from "./link.tsx";

/** The frame of every signed-in page: who is signed in, the overview and the groups they may open. */
export const Layout = ({
  user,
  current,
  children,
}: {
  user: SignedInUser;
  /** The path of the page shown, marked in the navigation. */
  current: string;
  children: ReactNode;
}) => {
  const [organisation] = useResource<Organisation>(apiPaths.organisation(user.organisationId));
  const [groups] = useResource<Items<Group>>(apiPaths.groups(user.organisationId));
  const link = (to: string, text: string) => (
    <Link to={to} aria-current={current === to ? "page" : undefined}>
      {text}
    </Link>
  );
  return (
    <>
      <a className="skip" href="#content">
        Skip to content
      </a>
      <header className="top">
        <p className="brand">
          Convene{organisation.state === "ready" && <span> · {organisation.data.name}</span>}
        </p>
        <p className="who">
          Signed in as {user.label}{" "}
          <button type="button" onClick={() => void signOut()}>
            Sign out
          </button>
        </p>
      </header>
      <div className="frame">
        <nav aria-label="Organisation" className="side">
          <ul>
            {user.role === "umbrella-admin" && (
              <li>{link(paths.overview(user.organisationId), "Overview")}</li>
            )}
            {groups.state === "ready" &&
              [...groups.data.items]
                .sort((a, b) => a.name.localeCompare(b.name))
                .map((g) => <li key={g.id}>{link(paths.group(user.organisationId, g.id), g.name)}</li>)}
          </ul>
        </nav>
        <main id="content">{children}</main>
      </div>
    </>
  );
};
