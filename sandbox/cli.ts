// `npm run sandbox -- --port 4455 --seed 1 --size small --time-scale 60` (flags win over SANDBOX_* env).
import { z } from "zod";
import { parseFaultSpec } from "./faults";
import { sandboxLog } from "./log";
import { startSandbox } from "./server";

const num = z.coerce.number();
const Config = z.object({
  port: num.int().min(0).max(65535).default(4455),
  host: z.string().default("127.0.0.1"),
  seed: num.int().default(1),
  size: z.enum(["small", "wide", "large"]).default("small"),
  timeScale: num.positive().default(1),
  sellers: num.int().min(1).max(50).default(3),
  dataDir: z.string().optional(),
  clientId: z.string().optional(),
  clientSecret: z.string().optional(),
  appId: z.string().optional(),
  appName: z.string().optional(),
  redirectUris: z.string().optional().transform((s) => s?.split(",").map((u) => u.trim()).filter(Boolean)),
  reportProcessingSeconds: num.positive().optional(),
  reportCooldown: z.enum(["type", "window", "off"]).optional(),
  startTime: z.string().optional(),
  appPublished: z.enum(["true", "false"]).optional().transform((v) => v === "true"),
  liveWorld: z.enum(["true", "false"]).optional().transform((v) => v === "true"),
  faults: z.string().optional().transform((s) => (s ? parseFaultSpec(s) : undefined)),
});

const FLAGS: Record<string, keyof z.input<typeof Config>> = {
  port: "port", host: "host", seed: "seed", size: "size", "time-scale": "timeScale", sellers: "sellers",
  "data-dir": "dataDir", "client-id": "clientId", "client-secret": "clientSecret", "app-id": "appId", "app-name": "appName",
  "redirect-uris": "redirectUris", "report-processing-seconds": "reportProcessingSeconds", "report-cooldown": "reportCooldown",
  "start-time": "startTime", "app-published": "appPublished", "live-world": "liveWorld", faults: "faults",
};

const ENV: Record<keyof z.input<typeof Config>, string> = {
  port: "SANDBOX_PORT", host: "SANDBOX_HOST", seed: "SANDBOX_SEED", size: "SANDBOX_SIZE", timeScale: "SANDBOX_TIME_SCALE",
  sellers: "SANDBOX_SELLERS", dataDir: "SANDBOX_DATA_DIR", clientId: "SANDBOX_CLIENT_ID", clientSecret: "SANDBOX_CLIENT_SECRET",
  appId: "SANDBOX_APP_ID", appName: "SANDBOX_APP_NAME", redirectUris: "SANDBOX_REDIRECT_URIS",
  reportProcessingSeconds: "SANDBOX_REPORT_PROCESSING_SECONDS", reportCooldown: "SANDBOX_REPORT_COOLDOWN",
  startTime: "SANDBOX_START_TIME", appPublished: "SANDBOX_APP_PUBLISHED", liveWorld: "SANDBOX_LIVE_WORLD", faults: "SANDBOX_FAULTS",
};

export function parseCliConfig(argv: string[], env: Record<string, string | undefined>) {
  const raw: Record<string, string> = {};
  for (const [key, name] of Object.entries(ENV)) {
    const v = env[name];
    if (v !== undefined && v !== "") raw[key] = v;
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (!arg.startsWith("--")) throw new Error(`unexpected argument "${arg}"`);
    const [flag, inline] = arg.slice(2).split("=", 2);
    const key = FLAGS[flag ?? ""];
    if (!key) throw new Error(`unknown flag --${flag}; known: ${Object.keys(FLAGS).map((f) => `--${f}`).join(" ")}`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`--${flag} needs a value`);
    raw[key] = value;
  }
  return Config.parse(raw);
}

async function main() {
  let config: ReturnType<typeof parseCliConfig>;
  try {
    config = parseCliConfig(process.argv.slice(2), process.env);
  } catch (e) {
    sandboxLog.fatal(`sandbox: ${e instanceof z.ZodError ? e.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") : (e as Error).message}`);
    process.exit(2);
  }
  const { redirectUris, faults, dataDir, clientId, clientSecret, appId, appName, reportProcessingSeconds, reportCooldown, startTime, ...rest } = config;
  const sb = await startSandbox({
    ...rest,
    ...(redirectUris ? { redirectUris } : {}),
    ...(faults ? { faults } : {}),
    ...(dataDir ? { dataDir } : {}),
    ...(clientId ? { clientId } : {}),
    ...(clientSecret ? { clientSecret } : {}),
    ...(appId ? { appId } : {}),
    ...(appName ? { appName } : {}),
    ...(reportProcessingSeconds ? { reportProcessingSeconds } : {}),
    ...(reportCooldown ? { reportCooldown } : {}),
    ...(startTime ? { startTime } : {}),
  });
  sandboxLog.info(
    { url: sb.url, seed: config.seed, size: config.size, timeScale: config.timeScale },
    `SP-API sandbox listening on ${sb.url} (seed ${config.seed}, ${config.size}, time x${config.timeScale}, data ${sb.dataDir}) sellers: ${sb.sellers.map((s) => `${s.sellingPartnerId} "${s.name}"`).join(", ")}`,
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    await sb.close();
    sandboxLog.info(`sandbox: stopped (${signal})`);
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

if (process.argv[1] && /cli\.(ts|js)$/.test(process.argv[1])) void main();
