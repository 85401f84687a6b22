import * as z from "#validation/zod-mini.ts";
import type { ResponseDefinition, RouteDefinition } from "./route.ts";

type JsonSchema = Record<string, unknown>;

const componentRef = "#/components/schemas/";

/**
 * The OpenAPI 3.1 document of /api/v1, written from the same route definitions and zod schemas
 * that validate requests. A schema with an `id` in zod's global registry is a named component,
 * referred to by $ref; every other schema is written where it is used. It names no server:
 * each deployment adds its own base URL when serving it (published-document.ts).
 */
export const openApiDocument = (
  routes: readonly RouteDefinition[],
  info: { title: string; version: string; description: string },
) => {
  const components: Record<string, JsonSchema> = {};

  // Input, not output: a request schema's defaulted fields are optional to send, and a
  // response schema that strips unknown keys does not claim that no other key can appear.
  const toJson = (schema: z.ZodMiniType): JsonSchema => {
    const {
      $schema: _,
      $defs,
      ...json
    } = z.toJSONSchema(schema, {
      io: "input",
      override: ({ jsonSchema }) => tidy(jsonSchema),
    }) as JsonSchema;
    for (const [id, def] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) {
      const written = atComponents(def);
      if (components[id] && JSON.stringify(components[id]) !== JSON.stringify(written))
        throw new Error(`two different schemas are registered with the id ${id}`);
      components[id] = written;
    }
    return atComponents(json);
  };

  const parameters = (where: "path" | "query", fields: z.ZodMiniObject | undefined) => {
    if (!fields) return [];
    const { properties, required = [] } = toJson(fields) as { properties: JsonSchema; required?: string[] };
    return Object.entries(properties).map(([name, schema]) => ({
      name,
      in: where,
      required: where === "path" || required.includes(name),
      schema,
    }));
  };

  const answers = (responses: Record<number, ResponseDefinition>) =>
    Object.fromEntries(
      Object.entries(responses).map(([status, { description, content }]) => [
        status,
        content
          ? { description, content: mapValues(content, (schema) => ({ schema: toJson(schema) })) }
          : { description },
      ]),
    );

  const paths: Record<string, Record<string, unknown>> = {};
  const operationIds = new Set<string>();
  for (const route of routes) {
    if (operationIds.has(route.operationId)) throw new Error(`two operations are named ${route.operationId}`);
    operationIds.add(route.operationId);
    const params = [...parameters("path", route.params), ...parameters("query", route.query)];
    (paths[`/api/v1${route.path}`] ??= {})[route.method] = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.public ? { security: [] } : {}),
      ...(params.length > 0 ? { parameters: params } : {}),
      ...(route.body
        ? {
            requestBody: {
              required: route.body.required,
              content: { "application/json": { schema: toJson(route.body.schema) } },
            },
          }
        : {}),
      responses: answers(route.responses),
    };
  }

  return {
    openapi: "3.1.0",
    info,
    security: [{ bearer: [] }],
    components: {
      schemas: components,
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
    },
    paths,
  };
};

/**
 * Writes zod's JSON Schema as the document always has:
 * - a nullable field as one schema of `type: [T, "null"]` rather than an `anyOf`, so that a
 *   client's validator can name the nested field at fault (quietHours.end, not quietHours);
 * - without constraints that any value in practice meets (z.int()'s safe-integer range, string
 *   keys for a record), which would only clutter the contract.
 */
const tidy = (json: JsonSchema): void => {
  const [inner, other] = (json.anyOf ?? []) as JsonSchema[];
  const nullable =
    (json.anyOf as unknown[] | undefined)?.length === 2 &&
    JSON.stringify(other) === '{"type":"null"}' &&
    typeof inner?.type === "string" &&
    !("enum" in inner || "const" in inner);
  if (nullable) {
    delete json.anyOf;
    Object.assign(json, { ...inner, type: [inner.type, "null"] });
  }
  if (json.minimum === Number.MIN_SAFE_INTEGER) delete json.minimum;
  if (json.maximum === Number.MAX_SAFE_INTEGER) delete json.maximum;
  if (JSON.stringify(json.propertyNames) === '{"type":"string"}') delete json.propertyNames;
};

const mapValues = <T, U>(record: Record<string, T>, f: (value: T) => U): Record<string, U> =>
  Object.fromEntries(Object.entries(record).map(([key, value]) => [key, f(value)]));

/** zod refers to a named schema within one conversion (#/$defs/Name); the document, to its component. */
const atComponents = <T>(json: T): T => {
  if (Array.isArray(json)) return json.map(atComponents) as T;
  if (json === null || typeof json !== "object") return json;
  return Object.fromEntries(
    Object.entries(json).map(([key, value]) => [
      key,
      key === "$ref" && typeof value === "string"
        ? value.replace(/^#\/\$defs\//, componentRef)
        : atComponents(value),
    ]),
  ) as T;
};
