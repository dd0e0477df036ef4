// Pages with forms that post to server actions. The site-wide Referrer-Policy (no-referrer, in
// next.config.mjs) makes browsers send `Origin: null` with a form submitted without JavaScript, and
// Next.js refuses a server action whose Origin is not the host's (its CSRF check). `same-origin`
// lets the page's own posts carry the real Origin and still sends no referrer to other sites.
import type { Metadata } from "next";

export const formPageMetadata: Metadata = { referrer: "same-origin" };
