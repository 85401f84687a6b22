import { notFound } from "#domain/errors.ts";
import type { Ports } from "#ports/ports.ts";
import { seriesView } from "#read-models/series-view.ts";
import { createSeries, draftSeries } from "#use-cases/series/create-series.ts";
import { editSeries } from "#use-cases/series/edit-series.ts";
import { endSeries } from "#use-cases/series/end-series.ts";
import * as z from "#validation/zod-mini.ts";
import { defineRoute, implement, type ApiRoute } from "../route.ts";
import { EditSeriesInput, EndSeriesInput, Id, Series, SeriesInput } from "../schemas.ts";
import { GroupParams, groupParams, groupPath } from "./params.ts";
import { errorResponses, json } from "./responses.ts";

const SeriesParams = z.object({ organisationId: Id, groupId: Id, seriesId: Id });
const base = `${groupPath}/series`;

/** The paths of a series' operations, which the HTTP API sends to the planning-api function. */
export const seriesPaths = [`/api/v1${base}`, `/api/v1${base}/{proxy+}`];

const create = defineRoute({
  method: "post",
  path: base,
  operationId: "createSeries",
  summary:
    "Make a series of sessions on an RFC 5545 rule; its sessions for the next 13 weeks follow, and the window moves on daily",
  params: GroupParams,
  body: { schema: SeriesInput, required: true },
  responses: { 201: json("Made, with the rule in words and the next five dates", Series), ...errorResponses },
});
const list = defineRoute({
  method: "get",
  path: base,
  operationId: "listSeries",
  summary: "List the group's series, ended ones too",
  params: GroupParams,
  responses: { 200: json("Series", z.object({ items: z.array(Series) })), ...errorResponses },
});
const read = defineRoute({
  method: "get",
  path: `${base}/{seriesId}`,
  operationId: "getSeries",
  summary: "Read a series, with its rule in words and its next five dates",
  params: SeriesParams,
  responses: { 200: json("The series", Series), ...errorResponses },
});
const end = defineRoute({
  method: "post",
  path: `${base}/{seriesId}/end`,
  operationId: "endSeries",
  summary: "End a series: it makes no more sessions, and its sessions still to come are cancelled",
  params: SeriesParams,
  body: { schema: EndSeriesInput, required: false },
  responses: { 200: json("Ended (ending an ended series changes nothing)", Series), ...errorResponses },
});

const preview = defineRoute({
  method: "post",
  path: `${base}/preview`,
  operationId: "previewSeries",
  summary:
    "Check a series before saving it: answers what creating it would (the rule in words, the next five dates), and writes nothing",
  params: GroupParams,
  body: { schema: SeriesInput, required: true },
  responses: { 200: json("The series as it would be made; not saved", Series), ...errorResponses },
});
const edit = defineRoute({
  method: "patch",
  path: `${base}/{seriesId}`,
  operationId: "editSeries",
  summary:
    'Edit one occurrence ("this", or cancel it), this and the following ones (the series splits: a new series carries on), or all sessions to come; held sessions never change',
  params: SeriesParams,
  body: { schema: EditSeriesInput, required: true },
  responses: {
    200: json(
      'The series edited; for "following", the new series that carries on from the occurrence (its splitFrom names the old one)',
      Series,
    ),
    ...errorResponses,
  },
});

/** JSON has no undefined: a null in an edit's changes removes the field. */
const withoutNulls = <T extends Record<string, unknown>>(changes: T) =>
  Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, v ?? undefined])) as {
    [K in keyof T]: Exclude<T[K], null>;
  };

export const seriesRoutes = (ports: Ports): ApiRoute[] => {
  const view = (series: Parameters<typeof seriesView>[0]) => seriesView(series, ports.clock.now());
  return [
    implement(create, async (c) => {
      const { organisationId, groupId } = groupParams(c);
      return c.json(view(await createSeries(ports, organisationId, groupId, c.req.valid("json"))), 201);
    }),
    implement(preview, async (c) => {
      const { organisationId, groupId } = groupParams(c);
      return c.json(view(await draftSeries(ports, organisationId, groupId, c.req.valid("json"))), 200);
    }),
    implement(edit, async (c) => {
      const { organisationId, groupId, seriesId } = groupParams(c);
      const { scope, occurrence, changes } = c.req.valid("json");
      const request = { scope, ...(occurrence ? { occurrence } : {}), changes: withoutNulls(changes) };
      const edited = await editSeries(ports, organisationId, groupId, seriesId, request);
      return c.json(view(edited.successor ?? edited.series), 200);
    }),
    implement(list, async (c) => {
      const { organisationId, groupId } = groupParams(c);
      return c.json({ items: (await ports.series.listSeries(organisationId, groupId)).map(view) }, 200);
    }),
    implement(read, async (c) => {
      const { organisationId, groupId, seriesId } = groupParams(c);
      const series = await ports.series.getSeries(organisationId, groupId, seriesId);
      if (!series) throw notFound("series");
      return c.json(view(series), 200);
    }),
    implement(end, async (c) => {
      const { organisationId, groupId, seriesId } = groupParams(c);
      const { reason } = c.req.valid("json");
      return c.json(view(await endSeries(ports, organisationId, groupId, seriesId, reason)), 200);
    }),
  ];
};
