import { build, type BuildOptions, type Metafile, type Plugin } from "esbuild";
import { basename, dirname, join } from "node:path";
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
 * The house bundle of a function: one minified ES module for Node.js 24 with a linked source
 * map. The AWS SDK v3 is left out, as the CDK does by default: every Node.js runtime since 18
 * ships it, and bundling it would triple every function. A CommonJS dependency (nodemailer)
 * calls require() for Node built-ins, which an ES module lacks, hence the createRequire banner.
 */
export const bundleOptions = (entry: string, outdir: string): BuildOptions => ({
  entryPoints: { index: entry },
  outdir,
  outExtension: { ".js": ".mjs" },
  bundle: true,
  minify: true,
  sourcemap: true,
  format: "esm",
  platform: "node",
  target: "node24",
  mainFields: ["module", "main"],
  external: ["@aws-sdk/*"],
  banner: {
    js: 'import { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);',
  },
  legalComments: "none",
  metafile: true,
  logLevel: "warning",
  plugins: [zodEnglishOnly],
  define: portMakersOf(entry),
});

export interface Bundle {
  /** The bundle's path. */
  file: string;
  /** Its size in bytes, minified, source map excluded. */
  bytes: number;
  metafile: Metafile;
}

/** Bundles one function entry into `outdir` (index.mjs and index.mjs.map). */
export const bundleFunction = async (entry: string, outdir: string): Promise<Bundle> => {
  const result = await build(bundleOptions(entry, outdir));
  const file = join(outdir, bundleFileName);
  const output = Object.entries(result.metafile!.outputs).find(([path]) => path.endsWith(bundleFileName));
  if (!output) throw new Error(`esbuild wrote no ${bundleFileName} for ${entry}`);
  return { file, bytes: output[1].bytes, metafile: result.metafile! };
};
