"use client";

// The claims table's filters, sort and page live in the page's URL query, under the very names
// GET /api/detections/results takes, so a view can be bookmarked or shared and the browser's back
// button steps through it. Only the known names are passed on to the API.
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";

export const FILTER_KEYS = ["ruleId", "status", "severity", "sku", "expiringWithinDays", "sort", "limit", "offset", "sellerConnectionId"] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type Filters = Partial<Record<FilterKey, string>>;

export const PAGE_SIZES = [25, 50, 100] as const;
export const DEFAULT_LIMIT = 50;

export type SortKey = "value" | "deadline";
export interface SortState {
  id: SortKey;
  desc: boolean;
}

/** "-value" → { id: "value", desc: true }; anything else (the default ranking) → null. */
export function parseSort(sort: string | undefined): SortState | null {
  const match = /^(-?)(value|deadline)$/.exec(sort ?? "");
  return match ? { id: match[2] as SortKey, desc: match[1] === "-" } : null;
}

export const sortParam = (sort: SortState | null): string | undefined => (sort ? `${sort.desc ? "-" : ""}${sort.id}` : undefined);

/** The filters in the URL, an API query string for them, and a setter that writes the URL. */
export function useClaimFilters(fixed: Filters = {}) {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const fixedKey = JSON.stringify(fixed);

  const filters = useMemo<Filters>(() => {
    const result: Filters = {};
    for (const key of FILTER_KEYS) {
      const values = search.getAll(key).filter(Boolean);
      if (values.length) result[key] = values.join(",");
    }
    return { ...result, ...(JSON.parse(fixedKey) as Filters) };
  }, [search, fixedKey]);

  const apiQuery = useMemo(() => {
    const params = new URLSearchParams();
    for (const key of FILTER_KEYS) {
      const value = filters[key];
      if (value) params.set(key, value);
    }
    if (!params.has("limit")) params.set("limit", String(DEFAULT_LIMIT));
    return params.toString();
  }, [filters]);

  /** Changes some filters (a new history entry unless `replace`); any change but paging goes back to the first page. */
  const setFilters = useCallback(
    (changes: Filters, { replace = false }: { replace?: boolean } = {}) => {
      const next = new URLSearchParams();
      const fixedNames = Object.keys(JSON.parse(fixedKey) as Filters);
      const merged: Filters = { ...filters, ...changes };
      if (!("offset" in changes)) delete merged.offset;
      for (const key of FILTER_KEYS) {
        const value = merged[key];
        if (value && !fixedNames.includes(key) && !(key === "offset" && value === "0")) next.set(key, value);
      }
      const text = next.toString();
      const href = text ? `${pathname}?${text}` : pathname;
      if (replace) router.replace(href, { scroll: false });
      else router.push(href, { scroll: false });
    },
    [filters, fixedKey, pathname, router],
  );

  const clear = useCallback(() => router.push(pathname, { scroll: false }), [pathname, router]);

  const limit = Number(filters.limit) || DEFAULT_LIMIT;
  const offset = Number(filters.offset) || 0;
  const active = FILTER_KEYS.filter((k) => !["sort", "limit", "offset"].includes(k) && filters[k] && !(k in fixed)).length;
  return { filters, apiQuery, setFilters, clear, limit, offset, sort: parseSort(filters.sort), activeFilters: active };
}
