// Runs once when the Next.js server starts. The check itself lives in a Node-only module; so does the
// hook that stamps each request with its client address (lib/http/client-address-hook.ts).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    await import("./lib/check-env-on-start");
    (await import("./lib/http/client-address-hook")).installClientAddressHookFromEnv();
  }
}
