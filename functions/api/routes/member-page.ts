import { esc } from "#messages/email-kit/html-safety.ts";

/** The pages' one style sheet, inline: the API's Content-Security-Policy allows it by its hash (security-headers.ts). */
export const memberPageStyle = `body{font:1.1rem/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a;background:#fff}
button{font:inherit;padding:.6rem 1.2rem;background:#14532d;color:#fff;border:0;border-radius:.3rem;cursor:pointer}
button:focus{outline:3px solid #1d4ed8;outline-offset:2px}`;

/** A small, accessible page for members who follow a link from an email (no login, no script). */
export const memberPage = (title: string, body: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)} · Convene</title>
<style>${memberPageStyle}</style></head>
<body><main><h1>${esc(title)}</h1>${body}</main></body></html>`;
