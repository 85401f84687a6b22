import { config } from "zod/mini";
import en from "zod/v4/locales/en.js";

/**
 * zod/mini, the tree-shakable form of zod that Lambda bundles use (zod classic alone is
 * 188 KB minified). Unlike classic it registers no message locale, so every issue would read
 * "Invalid input"; Convene's errors name the problem in English, as they did with classic.
 * Import it as a namespace (`import * as z`): re-exporting zod's own `z` object would keep all
 * of zod in a bundle.
 */
config(en());

export * from "zod/mini";
