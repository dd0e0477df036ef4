// Runs once when the Next.js server starts. The check itself lives in a Node-only module.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") await import("./lib/check-env-on-start");
}
