import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import "./globals.css";

// Every page is rendered per request: the Content-Security-Policy's nonce (proxy.ts) is new each
// time, and Next.js can only put it on the scripts of a page it renders for that request.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: "FBA Recovery",
  description: "Find and claim the money Amazon owes your FBA business.",
  icons: {
    icon: [{ url: "/favicon.ico", sizes: "16x16 32x32 48x48" }, { url: "/icon.svg", type: "image/svg+xml" }],
    apple: "/apple-touch-icon.png",
  },
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
