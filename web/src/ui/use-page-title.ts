import { useEffect } from "react";

/**
 * Titles the browser's tab (and its history, and what a screen reader announces on arrival)
 * after the view shown, most specific first: "Sessions — Riverside Carers' Circle — Convene"
 * (WCAG 2.4.2). Parts not known yet (a name still loading) are left out.
 */
export const usePageTitle = (...parts: (string | undefined)[]): void => {
  const title = [...parts.filter(Boolean), "Convene"].join(" — ");
  useEffect(() => {
    document.title = title;
  }, [title]);
};
