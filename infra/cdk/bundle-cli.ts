// `tsx infra/cdk/bundle-cli.ts <entry> <outdir>`: bundles one function for the CDK app, which
// must bundle synchronously and so runs esbuild (with its plugin) in a child process.
import { bundleFunction } from "./bundling.ts";

const [entry, outdir] = process.argv.slice(2);
if (!entry || !outdir) {
  console.error("usage: bundle-cli.ts <entry> <outdir>");
  process.exit(2);
}
const bundle = await bundleFunction(entry, outdir);
console.error(`bundled ${entry}: ${(bundle.bytes / 1024).toFixed(1)} KB`);
