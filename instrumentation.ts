// Runs once when the Next.js server starts. The check itself lives in a Node-only module; so does the
// hook that stamps each request with its client address (lib/http/client-address-hook.ts).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    await import("./lib/check-env-on-start");
    (await import("./lib/http/client-address-hook")).installClientAddressHookFromEnv();
    // A self-authorized connection from the environment: set up in the background, never delaying start.
    const [{ ensureEnvConnection }, { inngest, amazonConnected }] = await Promise.all([import("./lib/sellers/env-connection"), import("./inngest/client")]);
    void ensureEnvConnection(async (data, { id }) => {
      await inngest.send(amazonConnected.create(data, { id }));
    }).catch((error: unknown) => console.warn(`The connection from AMAZON_SPAPI_REFRESH_TOKEN could not be set up yet: ${(error as Error).name}`));
  }
}
