export interface AppConfig {
  clientId: string;
  clientSecret: string;
  appId: string;
  appName: string;
  redirectUris: string[];
  /** Draft apps (the default) must be authorized with version=beta, as at Amazon. */
  published: boolean;
}

export const DEFAULT_APP: AppConfig = {
  clientId: "amzn1.application-oa2-client.sandbox",
  clientSecret: "sandbox-secret",
  appId: "amzn1.sp.solution.sandbox",
  appName: "FBA Recovery (sandbox)",
  redirectUris: ["http://localhost:3000/api/amazon/callback"],
  published: false,
};
