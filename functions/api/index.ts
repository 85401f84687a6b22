import {
  lambdaRuntime,
  makeActivityStore,
  makeOverviewStore,
  makeRoleStore,
  makeSettings,
  makeStore,
  makeTokenVerifier,
  makeVoteStore,
} from "../composition-root.ts";
import { apiEntry } from "./entry.ts";

/** Lambda entry for /api/v1 behind the HTTP API. */
export const handler = apiEntry(
  lambdaRuntime("api", {
    store: makeStore,
    votes: makeVoteStore,
    roles: makeRoleStore,
    overview: makeOverviewStore,
    activity: makeActivityStore,
    settings: makeSettings,
    identity: makeTokenVerifier,
  }),
);
