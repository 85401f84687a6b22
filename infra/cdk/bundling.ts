import { build, type BuildOptions, type Metafile, type Plugin } from "esbuild";
import { readFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { brotliCompressSync, constants } from "node:zlib";
import { bundleDefines, portNeeds, type FunctionName } from "#functions/port-needs.ts";

/**
 * zod's namespace export carries every one of its ~40 message locales (about 260 KB minified)
 * and no bundler can drop them; Convene's messages are English, so the locale index is
 * replaced by one exporting only `en` (the locale zod configures itself with).
 */
const zodEnglishOnly: Plugin = {
  name: "zod-english-only",
  setup(b) {
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]/.test(args.importer) ? { path: "zod-locales-en", namespace: "zod-locales" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "zod-locales" }, () => ({
      contents: 'export { default as en } from "zod/v4/locales/en.js";',
      resolveDir: process.cwd(),
      loader: "js",
    }));
  },
};

/**
 * A JSON file imported `with { type: "json" }` (the API's OpenAPI document, 110 KB minified)
 * is bundled brotli-compressed, about a thirteenth of its size, and inflated when the module
 * is imported (the API imports its document on the first request for it). As plain JSON,
 * esbuild would write it out as an object literal of its full size.
 */
const compressedJson: Plugin = {
  name: "compressed-json",
  setup(b) {
    b.onLoad({ filter: /\.json$/ }, async (args) => {
      if (args.with.type !== "json") return undefined;
      const json = JSON.stringify(JSON.parse(await readFile(args.path, "utf8")));
      const packed = brotliCompressSync(json, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
      return {
        contents: `import { brotliDecompressSync } from "node:zlib";
export default JSON.parse(brotliDecompressSync(Buffer.from("${packed.toString("base64")}", "base64")).toString());`,
        loader: "js",
      };
    });
  },
};

/**
 * A function's entry (functions/<name>/index.ts) is bundled with the port makers of its needs
 * alone (portNeeds): the others are defined away, with the adapters they would load.
 */
const portMakersOf = (entry: string): Record<string, string> => {
  const name = basename(dirname(entry));
  return name in portNeeds ? bundleDefines(name as FunctionName) : {};
};

/** Bundle file name: .mjs, so Lambda loads it as an ES module. */
export const bundleFileName = "index.mjs";

/**
 * The house bundle of a function: minified ES modules for Node.js 24 with linked source maps.
 * The AWS SDK v3 is left out, as the CDK does by default: every Node.js runtime since 18
 * ships it, and bundling it would triple every function. What the entry imports dynamically
 * (the composition root's adapters, with the SDK clients they load) is split into chunks of
 * its own, loaded when first used: otherwise esbuild inlines them and hoists their SDK
 * imports into the entry, so every cold start would load the SDK before the first event
 * (it is most of a cold module load). No bundled dependency calls require(), so the bundles
 * need no createRequire banner (test/infra/bundle-size.test.ts checks).
 */
export const bundleOptions = (entry: string, outdir: string): BuildOptions => ({
  entryPoints: { index: entry },
  outdir,
  outExtension: { ".js": ".mjs" },
  bundle: true,
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  minify: true,
  sourcemap: true,
  format: "esm",
  platform: "node",
  target: "node24",
  mainFields: ["module", "main"],
  external: ["@aws-sdk/*"],
  legalComments: "none",
  metafile: true,
  logLevel: "warning",
  plugins: [zodEnglishOnly, compressedJson],
  define: portMakersOf(entry),
});

export interface Bundle {
  /** The entry module's path (the chunks sit beside it). */
  file: string;
  /** The size in bytes of the entry and all its chunks, minified, source maps excluded. */
  bytes: number;
  metafile: Metafile;
}

/** Bundles one function entry into `outdir` (index.mjs, chunks/, and their source maps). */
export const bundleFunction = async (entry: string, outdir: string): Promise<Bundle> => {
  const result = await build(bundleOptions(entry, outdir));
  const file = join(outdir, bundleFileName);
  const outputs = Object.entries(result.metafile!.outputs).filter(([path]) => path.endsWith(".mjs"));
  if (!outputs.some(([path]) => path.endsWith(bundleFileName)))
    throw new Error(`esbuild wrote no ${bundleFileName} for ${entry}`);
  return { file, bytes: outputs.reduce((sum, [, o]) => sum + o.bytes, 0), metafile: result.metafile! };
};
