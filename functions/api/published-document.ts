/**
 * The OpenAPI document served at /api/v1/openapi.json: the committed functions/api/openapi.json
 * (`npm run openapi` writes it from every operation's definition), with this deployment as its
 * server. It is imported on the first request for it, so the API function bundles neither the
 * operations it does not serve nor zod's JSON Schema converter, and a cold start parses none of it.
 */
export const publishedDocument = async (publicBaseUrl: string) => {
  const { openapi, info, ...rest } = (await import("./openapi.json", { with: { type: "json" } })).default;
  const server = { url: publicBaseUrl.replace(/\/+$/, ""), description: "This deployment of Convene" };
  return { openapi, info, servers: [server], ...rest };
};
