"use client";
// The app's header navigation: the pages in a row on a wide screen, behind a Menu button on a phone
// (one list either way, so every link exists once). The current page is marked (aria-current), and a
// running sync shows as a small live pill that links to the Sync page.
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useId, useState, type ReactNode } from "react";
import { cx } from "@/components/ui/cx";
import { useSyncStatus } from "@/components/live/queries";
import { useStatusStream } from "@/components/live/use-status-stream";

export interface NavItem {
  href: string;
  label: string;
}

export function AppNav({ items, account }: { items: NavItem[]; account: ReactNode }) {
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const menuId = useId();
  // A page change closes the phone menu.
  useEffect(() => setOpen(false), [pathname]);

  return (
    <div className="mx-auto max-w-6xl px-4 sm:px-6">
      <div className="flex h-14 items-center justify-between gap-4">
        <div className="flex items-center gap-3">
          <Link href="/dashboard" className="flex shrink-0 items-center gap-2 whitespace-nowrap font-semibold text-slate-900">
            <span aria-hidden="true" className="grid h-7 w-7 place-items-center rounded-md bg-amber-500 text-xs font-bold text-slate-900">
              FR
            </span>
            FBA Recovery
          </Link>
          <LiveSyncPill />
        </div>
        <button
          type="button"
          className="inline-flex items-center gap-2 rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-amber-600 md:hidden"
          aria-expanded={open}
          aria-controls={menuId}
          onClick={() => setOpen((o) => !o)}
        >
          <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4" fill="currentColor">
            {open ? (
              <path d="M5.3 4.3a1 1 0 0 1 1.4 0L10 7.6l3.3-3.3a1 1 0 1 1 1.4 1.4L11.4 9l3.3 3.3a1 1 0 0 1-1.4 1.4L10 10.4l-3.3 3.3a1 1 0 0 1-1.4-1.4L8.6 9 5.3 5.7a1 1 0 0 1 0-1.4Z" />
            ) : (
              <path d="M3 5h14a1 1 0 1 0 0-2H3a1 1 0 0 0 0 2Zm14 4H3a1 1 0 0 0 0 2h14a1 1 0 1 0 0-2Zm0 6H3a1 1 0 1 0 0 2h14a1 1 0 1 0 0-2Z" />
            )}
          </svg>
          Menu
        </button>
        <div className="hidden flex-1 items-center justify-between md:flex" data-nav-wide>
          <NavLinks items={items} pathname={pathname} />
          <div className="flex min-w-0 items-center gap-4 whitespace-nowrap text-sm text-slate-600">{account}</div>
        </div>
      </div>
      {open && (
        <div id={menuId} className="space-y-4 border-t border-slate-200 pb-4 pt-3 md:hidden">
          <NavLinks items={items} pathname={pathname} vertical />
          <div className="flex flex-wrap items-center gap-3 border-t border-slate-100 pt-3 text-sm text-slate-600">{account}</div>
        </div>
      )}
    </div>
  );
}

function NavLinks({ items, pathname, vertical = false }: { items: NavItem[]; pathname: string; vertical?: boolean }) {
  return (
    <nav aria-label="Main">
      <ul className={cx("text-sm", vertical ? "flex flex-col gap-1" : "ml-6 flex items-center gap-1")}>
        {items.map((item) => {
          const current = pathname === item.href || pathname.startsWith(`${item.href}/`);
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={current ? "page" : undefined}
                className={cx(
                  "block rounded-md px-3 py-1.5 font-medium transition-colors focus-visible:outline-2 focus-visible:outline-amber-600",
                  current ? "bg-slate-900 text-white" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900",
                )}
              >
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/** "Syncing 42%" while a sync of the user runs, from the status stream and the status poll. */
function LiveSyncPill() {
  const stream = useStatusStream();
  const status = useSyncStatus();
  const running = stream.active ?? (status.data?.hasActiveSync ? status.data.lastSync : null);
  if (!running) return null;
  return (
    <Link
      href="/sync"
      className="hidden items-center gap-1.5 rounded-full bg-amber-50 px-2.5 py-0.5 text-xs font-medium text-amber-800 ring-1 ring-amber-200 ring-inset hover:bg-amber-100 sm:inline-flex"
      data-testid="nav-sync-pill"
    >
      <span aria-hidden="true" className="h-1.5 w-1.5 animate-pulse rounded-full bg-amber-500" />
      Syncing {Math.round(running.progress)}%
    </Link>
  );
}
