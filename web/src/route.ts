import { useSyncExternalStore } from "react";

export const groupTabs = ["sessions", "members", "votes", "roles", "activity"] as const;
export type GroupTab = (typeof groupTabs)[number];

/** The dashboard's pages, read from the address bar so every page can be linked and reloaded. */
export type Route =
  | { page: "home" }
  | { page: "sign-in" }
  | { page: "overview"; organisationId: string }
  | { page: "group"; organisationId: string; groupId: string; tab: GroupTab }
  | { page: "not-found" };

const segment = encodeURIComponent;

export const paths = {
  home: "/",
  signIn: "/sign-in",
  overview: (organisationId: string) => `/organisations/${segment(organisationId)}`,
  group: (organisationId: string, groupId: string, tab: GroupTab = "sessions") =>
    `/organisations/${segment(organisationId)}/groups/${segment(groupId)}${tab === "sessions" ? "" : `/${tab}`}`,
};

const isTab = (value: string): value is GroupTab => (groupTabs as readonly string[]).includes(value);

export const readRoute = (pathname: string): Route => {
  const parts = pathname
    .split("/")
    .filter(Boolean)
    .map((part) => decodeURIComponent(part));
  if (parts.length === 0) return { page: "home" };
  if (parts.length === 1 && parts[0] === "sign-in") return { page: "sign-in" };
  const [organisations, organisationId, groups, groupId, tab = "sessions", ...rest] = parts;
  if (organisations !== "organisations" || !organisationId || rest.length > 0) return { page: "not-found" };
  if (groups === undefined) return { page: "overview", organisationId };
  if (groups === "groups" && groupId && isTab(tab)) return { page: "group", organisationId, groupId, tab };
  return { page: "not-found" };
};

const changed = "convene:navigate";
const subscribe = (onChange: () => void) => {
  addEventListener("popstate", onChange);
  addEventListener(changed, onChange);
  return () => {
    removeEventListener("popstate", onChange);
    removeEventListener(changed, onChange);
  };
};

export const navigate = (path: string, { replace = false } = {}) => {
  if (replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  dispatchEvent(new Event(changed));
};

/** The current page; re-renders on navigation and on the browser's back and forward. */
export const useRoute = (): Route => readRoute(useSyncExternalStore(subscribe, () => location.pathname));
