import type { ActivityStore } from "./activity-store.ts";
import type { CalendarFeedStore } from "./calendar-feed-store.ts";
import type { Clock } from "./clock.ts";
import type { Log } from "./logger.ts";
import type { Mailer } from "./mailer.ts";
import type { Metrics } from "./metrics.ts";
import type { OverviewStore } from "./overview-store.ts";
import type { RoleStore } from "./role-store.ts";
import type { RsvpStore } from "./rsvp-store.ts";
import type { Scheduler } from "./scheduler.ts";
import type { SeriesStore } from "./series-store.ts";
import type { SmsSender } from "./sms-sender.ts";
import type { Store } from "./store.ts";
import type { VoteStore } from "./vote-store.ts";

/** Settings that differ per deployment, read once by each composition root. */
export interface Settings {
  /** Where members' links point, e.g. https://convene.example.org or http://127.0.0.1:3000. */
  publicBaseUrl: string;
  /** The From address of every email, on the verified sending domain. */
  fromAddress: string;
  /** The domain whose addresses receive members' replies (ballot+<token>@replyDomain). */
  replyDomain: string;
  /** Signs unsubscribe and ballot links (HMAC); at least 32 bytes. */
  linkSigningSecret: Uint8Array;
  /** How many months a series runs unconfirmed before its coordinators are asked "still meeting?" (6 unset). */
  seriesStaleAfterMonths?: number;
}

/** Everything a handler may use; each composition root (Lambda, local) builds one. */
export interface Ports {
  store: Store;
  votes: VoteStore;
  roles: RoleStore;
  /** Session series, and the sessions their windows are filled with. */
  series: SeriesStore;
  /** The organisation overview's aggregates. */
  overview: OverviewStore;
  /** Each group's activity log. */
  activity: ActivityStore;
  /** Calendar feeds' settings and tokens, and a group's sessions for its feed. */
  calendarFeeds: CalendarFeedStore;
  /** Sessions' RSVPs, places and waiting lists. */
  rsvps: RsvpStore;
  scheduler: Scheduler;
  mailer: Mailer;
  sms: SmsSender;
  clock: Clock;
  log: Log;
  /** The business figures an operator watches (CloudWatch metrics on AWS). */
  metrics: Metrics;
  settings: Settings;
}
