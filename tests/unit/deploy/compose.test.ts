// The production deployment files (docker-compose.yml, Dockerfile; README "Production deployment
// (beyond one machine)") checked for what would break a deployment. Docker does not run here, so this
// reads the files: the compose file with a YAML parser and compose's own variable interpolation
// (`${VAR}`, `${VAR:-default}`, `${VAR:?error}`, `$$`), the Dockerfile stage by stage. What the app
// needs comes from lib/env.ts itself: the variables it requires in production are the ones its
// schema reports missing for an empty production environment, and the resolved app environment must
// pass the same parse the app runs at start-up.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { EnvError, isInngestDevMode, parseEnv } from "@/lib/env";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const read = (file: string) => readFileSync(root + file, "utf8");

// --- compose -------------------------------------------------------------------------------------

type Service = {
  image?: string;
  build?: { context: string; target?: string };
  command?: string[] | string;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test: string[] | string };
  ports?: string[];
  expose?: string[];
  deploy?: { replicas?: number };
  volumes?: string[];
  container_name?: string;
};
type Compose = { services: Record<string, Service>; configs?: Record<string, { content?: string }>; volumes?: Record<string, unknown> };

const composeText = read("docker-compose.yml");
const compose = parse(composeText) as Compose;
const services = compose.services;
const service = (name: string): Service => {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
};

class MissingVariableError extends Error {
  constructor(readonly variable: string) {
    super(`compose would refuse to start: ${variable} is not set`);
  }
}

const VARIABLE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** Compose's interpolation of one string (the forms this file may use; nesting is not supported). */
function interpolate(text: string, vars: Record<string, string | undefined>): string {
  return text.replace(VARIABLE, (match, braced: string | undefined, op: string | undefined, arg: string | undefined, bare: string | undefined) => {
    if (match === "$$") return "$";
    const name = (braced ?? bare)!;
    const value = vars[name];
    const unsetOrEmpty = value === undefined || value === "";
    switch (op) {
      case ":-":
        return unsetOrEmpty ? arg! : value;
      case "-":
        return value === undefined ? arg! : value;
      case ":?":
        if (unsetOrEmpty) throw new MissingVariableError(name);
        return value;
      case "?":
        if (value === undefined) throw new MissingVariableError(name);
        return value;
      default:
        return value ?? "";
    }
  });
}

function interpolateAll<T>(value: T, vars: Record<string, string | undefined>): T {
  if (typeof value === "string") return interpolate(value, vars) as T;
  if (Array.isArray(value)) return value.map((item) => interpolateAll(item, vars)) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolateAll(item, vars)])) as T;
  }
  return value;
}

/** The variables a raw value refers to, and which of them compose requires (`:?` / `?`). */
function references(raw: string): { name: string; required: boolean; fallback?: string }[] {
  return [...raw.matchAll(VARIABLE)]
    .filter((match) => match[0] !== "$$")
    .map((match) => ({ name: (match[1] ?? match[4])!, required: !!match[2]?.includes("?"), fallback: match[2]?.includes("-") ? match[3] : undefined }));
}

/** What an operator puts in the deployment's env file (README): every value freshly generated. */
function deploymentEnv(): Record<string, string> {
  return {
    APP_URL: "https://fba.example.com",
    SITE_ADDRESS: "fba.example.com",
    POSTGRES_PASSWORD: randomBytes(24).toString("hex"),
    REDIS_PASSWORD: randomBytes(24).toString("hex"),
    AUTH_SECRET: randomBytes(48).toString("base64"),
    TOKEN_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString("base64")}`,
    INNGEST_EVENT_KEY: randomBytes(16).toString("hex"),
    INNGEST_SIGNING_KEY: randomBytes(32).toString("hex"),
    AMAZON_APP_ID: "amzn1.sp.solution.00000000-0000-0000-0000-000000000000",
    AMAZON_CLIENT_ID: "amzn1.application-oa2-client.0123456789abcdef",
    AMAZON_CLIENT_SECRET: "amzn1.oa2-cs.v1.0123456789abcdef",
  };
}

/** The variables lib/env.ts requires in production: what its schema reports missing for an empty one. */
function requiredInProduction(): string[] {
  try {
    parseEnv({ NODE_ENV: "production" });
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    return [...error.message.matchAll(/^\s+- ([A-Z][A-Z0-9_]*):/gm)].map((match) => match[1]!);
  }
  throw new Error("lib/env.ts accepted an empty production environment");
}

/** Every variable lib/env.ts declares (the keys of its zod object). */
function declaredInEnvTs(): Set<string> {
  return new Set([...read("lib/env.ts").matchAll(/^ {4}([A-Z][A-Z0-9_]*):/gm)].map((match) => match[1]!));
}

/** Read by a library itself rather than through lib/env.ts. */
const READ_BY_LIBRARIES: Record<string, string> = { NEXTAUTH_URL: "next-auth's canonical URL (scripts/stack.ts sets it to APP_URL too)" };

const argAfter = (command: string[], flag: string): string | undefined => {
  const index = command.indexOf(flag);
  if (index >= 0) return command[index + 1];
  return command.find((arg) => arg.startsWith(`${flag}=`))?.slice(flag.length + 1);
};
const commandOf = (svc: Service): string[] => (Array.isArray(svc.command) ? svc.command : (svc.command ?? "").split(/\s+/).filter(Boolean));
const condition = (svc: Service, on: string) => (Array.isArray(svc.depends_on) ? (svc.depends_on.includes(on) ? "service_started" : undefined) : svc.depends_on?.[on]?.condition);

// --- Dockerfile ----------------------------------------------------------------------------------

type Stage = { name?: string; from: string; user?: string; cmd?: string[]; runs: string[] };

function parseDockerfile(text: string): { args: Record<string, string>; stages: Stage[] } {
  const lines = text
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, instruction = "", rest = ""] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const current = stages.at(-1);
    switch (instruction.toUpperCase()) {
      case "ARG": {
        const [name, value] = rest.split("=");
        if (!current && name && value !== undefined) args[name] = value;
        break;
      }
      case "FROM": {
        const [, from = "", name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest) ?? [];
        stages.push({ from, name, runs: [] });
        break;
      }
      case "USER":
        current!.user = rest;
        break;
      case "CMD":
        current!.cmd = rest.startsWith("[") ? (JSON.parse(rest) as string[]) : ["sh", "-c", rest];
        break;
      case "RUN":
        current!.runs.push(rest);
        break;
    }
  }
  return { args, stages };
}

const dockerfile = parseDockerfile(read("Dockerfile"));

/** A stage and the stages it is built FROM, nearest first. */
function stageChain(name: string): Stage[] {
  const chain: Stage[] = [];
  let stage = name === "" ? dockerfile.stages.at(-1) : dockerfile.stages.find((candidate) => candidate.name === name);
  while (stage) {
    chain.push(stage);
    const parent = stage.from;
    stage = dockerfile.stages.find((candidate) => candidate.name === parent);
  }
  if (chain.length === 0) throw new Error(`the Dockerfile has no stage "${name}"`);
  return chain;
}
const effective = <K extends "user" | "cmd">(chain: Stage[], key: K): Stage[K] => chain.find((stage) => stage[key] !== undefined)?.[key];
const baseImage = (chain: Stage[]) => chain.at(-1)!.from.replace(/\$\{?([A-Z_]+)\}?/g, (_, name: string) => dockerfile.args[name] ?? "");
const isRoot = (user: string | undefined) => user === undefined || /^(root|0)(:|$)/.test(user);

// The port the runtime image's `next start` listens on: every other part must use the same.
const runtimeTarget = service("app").build?.target ?? "";
const appPort = Number(argAfter(effective(stageChain(runtimeTarget), "cmd") ?? [], "--port") ?? argAfter(effective(stageChain(runtimeTarget), "cmd") ?? [], "-p") ?? 3000);

// --- the checks ----------------------------------------------------------------------------------

describe("docker-compose.yml", () => {
  it("has every part: PostgreSQL, Redis, the Inngest server and its database, the migrate job, the app, the proxy", () => {
    for (const name of ["postgres", "redis", "inngest", "inngest-db", "migrate", "app", "proxy"]) service(name);
    expect(service("postgres").image).toMatch(/^postgres:1[6-9]/);
    expect(service("postgres").volumes?.some((volume) => volume.endsWith(":/var/lib/postgresql/data"))).toBe(true);
    expect(service("redis").volumes?.some((volume) => volume.endsWith(":/data"))).toBe(true);
    expect(commandOf(service("redis"))).toContain("--appendonly");
    expect(service("inngest").image).toMatch(/^inngest\/inngest:/);
    for (const name of ["postgres", "redis", "inngest", "app"]) {
      expect(service(name).healthcheck?.test, `${name} has a health check`).toBeDefined();
    }
    expect(JSON.stringify(service("app").healthcheck?.test)).toContain(`127.0.0.1:${appPort}/api/health`);
  });

  it("gives the app every variable lib/env.ts requires in production, and the result passes the app's own start-up check", () => {
    const required = requiredInProduction();
    // The extraction itself works (these are the ones lib/env.ts names today).
    expect(required).toEqual(expect.arrayContaining(["DATABASE_URL", "AUTH_SECRET", "TOKEN_ENCRYPTION_KEYS", "INNGEST_SIGNING_KEY", "INNGEST_EVENT_KEY"]));
    const raw = service("app").environment ?? {};
    for (const name of required) expect(Object.keys(raw), `the app's environment sets ${name}`).toContain(name);

    for (const name of ["app", "migrate"]) {
      const resolved = interpolateAll(service(name).environment ?? {}, deploymentEnv());
      const env = parseEnv(resolved); // throws EnvError naming what the app would refuse at start-up
      expect(env.NODE_ENV).toBe("production");
      expect(isInngestDevMode(resolved.INNGEST_DEV)).toBe(false);
      expect(new URL(env.APP_URL).protocol).toBe("https:");
      expect(resolved.NEXTAUTH_URL).toBe(env.APP_URL);
    }
  });

  it("refuses to start while any required value is missing (every one is ${VAR:?...})", () => {
    const raw = service("app").environment ?? {};
    for (const name of requiredInProduction()) {
      expect(references(raw[name] ?? "").some((ref) => ref.required), `${name} is taken from a required variable`).toBe(true);
    }
    const full = deploymentEnv();
    expect(() => interpolateAll(compose, full)).not.toThrow();
    for (const variable of Object.keys(full)) {
      const { [variable]: _left, ...without } = full;
      expect(() => interpolateAll(compose, without), `without ${variable}`).toThrow(MissingVariableError);
    }
  });

  it("sets only variables the app reads", () => {
    const declared = declaredInEnvTs();
    expect(declared.size).toBeGreaterThan(20);
    for (const name of Object.keys(service("app").environment ?? {})) {
      expect(declared.has(name) || name in READ_BY_LIBRARIES, `${name} is declared in lib/env.ts`).toBe(true);
    }
  });

  it("talks to real Amazon: the app's own credentials, no sandbox endpoints", () => {
    const raw = service("app").environment ?? {};
    for (const name of ["AMAZON_APP_ID", "AMAZON_CLIENT_ID", "AMAZON_CLIENT_SECRET"]) {
      expect(references(raw[name] ?? "").some((ref) => ref.required), `${name} is required`).toBe(true);
    }
    for (const name of ["AMAZON_SPAPI_ENDPOINT", "AMAZON_LWA_ENDPOINT", "AMAZON_CONSENT_URL", "AMAZON_TIME_SCALE", "AMAZON_TIME_ANCHOR"]) {
      expect(raw, `${name} stays unset (the region's real hosts, Amazon's clock)`).not.toHaveProperty(name);
    }
  });

  it("gives the app and the Inngest server the same signing key and event key variables", () => {
    const app = service("app").environment ?? {};
    const inngest = service("inngest").environment ?? {};
    for (const name of ["INNGEST_SIGNING_KEY", "INNGEST_EVENT_KEY"]) {
      const appRefs = references(app[name] ?? "");
      expect(appRefs).toHaveLength(1);
      expect(appRefs[0]!.required).toBe(true);
      expect(references(inngest[name] ?? "").map((ref) => ref.name), name).toEqual(appRefs.map((ref) => ref.name));
    }
    // Inngest's self-hosting docs: the signing key must be hex with an even number of characters.
    expect(deploymentEnv().INNGEST_SIGNING_KEY).toMatch(/^([0-9a-f]{2})+$/);
  });

  it("points the Inngest server at the app's /api/inngest and the app at the server", () => {
    const command = commandOf(service("inngest"));
    expect(command.slice(0, 2)).toEqual(["inngest", "start"]);
    const sdkUrl = new URL(argAfter(command, "--sdk-url") ?? argAfter(command, "-u") ?? "");
    expect(sdkUrl.hostname).toBe("app");
    expect(Number(sdkUrl.port)).toBe(appPort);
    expect(sdkUrl.pathname).toBe("/api/inngest");
    expect(argAfter(command, "--host")).toBe("0.0.0.0");

    const inngestPort = Number(argAfter(command, "--port") ?? 8288);
    const baseUrl = new URL(service("app").environment?.INNGEST_BASE_URL ?? "");
    expect(baseUrl.hostname).toBe("inngest");
    expect(Number(baseUrl.port)).toBe(inngestPort);

    // Its own database on the server (not the app's), Redis for the queue and run state.
    const resolved = interpolateAll(service("inngest").environment ?? {}, deploymentEnv());
    const appDatabase = new URL(interpolateAll(service("app").environment ?? {}, deploymentEnv()).DATABASE_URL!);
    const inngestDatabase = new URL(resolved.INNGEST_POSTGRES_URI ?? "");
    expect(inngestDatabase.hostname).toBe(appDatabase.hostname);
    expect(inngestDatabase.pathname).not.toBe(appDatabase.pathname);
    expect(commandOf(service("inngest-db")).join(" ")).toContain(`CREATE DATABASE ${inngestDatabase.pathname.slice(1)}`);
    expect(new URL(resolved.INNGEST_REDIS_URI ?? "").hostname).toBe("redis");
    expect(condition(service("inngest"), "inngest-db")).toBe("service_completed_successfully");
    expect(condition(service("inngest"), "redis")).toBe("service_healthy");
  });

  it("starts the app only after the migrations ran and PostgreSQL is healthy", () => {
    const app = service("app");
    expect(condition(app, "migrate")).toBe("service_completed_successfully");
    expect(condition(app, "postgres")).toBe("service_healthy");
    const migrate = service("migrate");
    expect(condition(migrate, "postgres")).toBe("service_healthy");
    expect(commandOf(migrate).join(" ")).toMatch(/npm run db:migrate/);
    // The same database and the same checked environment as the app.
    expect(migrate.environment).toEqual(app.environment);
  });

  it("scales the app without sticky sessions: no fixed container name or host port, the proxy balances over every instance", () => {
    const app = service("app");
    expect(app.deploy?.replicas).toBeGreaterThanOrEqual(2);
    expect(app.container_name).toBeUndefined();
    expect(app.ports).toBeUndefined();
    const caddyfile = compose.configs?.caddyfile?.content ?? "";
    expect(caddyfile).toMatch(new RegExp(`dynamic a app ${appPort}\\b`));
    expect(caddyfile).not.toMatch(/lb_policy\s+(ip_hash|cookie|header|client_ip_hash)/);
    // One proxy in front: the app believes one X-Forwarded-For hop (lib/http/client-address.ts).
    expect(interpolateAll(app.environment ?? {}, deploymentEnv()).TRUSTED_PROXIES).toBe("1");
    // The Inngest dashboard has no sign-in: never published beyond the host's loopback.
    for (const port of service("inngest").ports ?? []) expect(port).toMatch(/^127\.0\.0\.1:/);
  });

  it("keeps the sellers' documents where every app instance on the host sees them and the app user may write, or in a bucket", () => {
    const app = service("app");
    const env = parseEnv(interpolateAll(app.environment ?? {}, deploymentEnv()));
    expect(env.DOCUMENTS_STORE).toBe("local");
    const dir = env.DOCUMENTS_DIR ?? "";
    expect(dir, "DOCUMENTS_DIR is an absolute path").toMatch(/^\//);
    // A named volume (shared by the replicas, kept across deploys) is mounted exactly there.
    const mount = (app.volumes ?? []).map((volume) => volume.split(":")).find(([, target]) => target === dir);
    expect(mount, `a volume is mounted at ${dir}`).toBeDefined();
    expect(Object.keys(compose.volumes ?? {})).toContain(mount![0]);
    // The runtime image creates the folder owned by the unprivileged user, so the new volume is writable.
    const user = effective(stageChain(runtimeTarget), "user")!;
    const relative = dir.replace(/^\/app\//, "");
    const runs = stageChain(runtimeTarget).flatMap((stage) => stage.runs);
    expect(read("Dockerfile")).toMatch(/^WORKDIR \/app$/m);
    expect(runs.some((run) => new RegExp(`mkdir -p .*\\b${relative}\\b`).test(run) && new RegExp(`chown ${user}:${user} .*\\b${relative}\\b`).test(run))).toBe(true);
    // The bucket instead, by configuration only.
    const s3 = parseEnv(interpolateAll(app.environment ?? {}, { ...deploymentEnv(), DOCUMENTS_STORE: "s3", S3_BUCKET: "fba-documents" }));
    expect([s3.DOCUMENTS_STORE, s3.S3_BUCKET, s3.S3_ENDPOINT]).toEqual(["s3", "fba-documents", undefined]);
    expect(() => parseEnv(interpolateAll(app.environment ?? {}, { ...deploymentEnv(), DOCUMENTS_STORE: "s3" }))).toThrow(/S3_BUCKET/);
  });

  it("commits no secret: every secret is a variable without a default, every URL password too", () => {
    const secretName = /SECRET|PASSWORD|_KEY$|_KEYS$|TOKEN|_AUTH$/;
    for (const [serviceName, svc] of Object.entries(services)) {
      for (const [name, value] of Object.entries(svc.environment ?? {})) {
        if (!secretName.test(name)) continue;
        const refs = references(value);
        const onlyVariables = value.replace(VARIABLE, "") === "";
        expect(onlyVariables && refs.length === 1, `${serviceName}.${name} is a single variable`).toBe(true);
        expect(refs[0]!.fallback ?? "", `${serviceName}.${name} has no default value`).toBe("");
      }
      for (const arg of commandOf(svc)) {
        for (const url of arg.match(/\b[a-z]+:\/\/[^\s"']+/g) ?? []) expect(url).not.toMatch(/:\/\/[^/@]*:(?!\$\{)[^/@]+@/);
      }
      const requirepass = argAfter(commandOf(svc), "--requirepass");
      if (requirepass !== undefined) expect(requirepass).toMatch(/^\$\{[A-Z_]+:\?[^}]*\}$/);
    }
    // A password in any URL of the file is a variable.
    for (const url of composeText.match(/\b[a-z]+:\/\/[^\s"']+/g) ?? []) {
      expect(url, url).not.toMatch(/:\/\/[^/@]*:(?!\$\{)[^/@]+@/);
    }
  });
});

describe("Dockerfile", () => {
  it("builds with `next build` and serves with `next start` as an unprivileged user", () => {
    const runtime = stageChain(runtimeTarget);
    const cmd = effective(runtime, "cmd") ?? [];
    expect(cmd.join(" ")).toMatch(/\bnext start\b/);
    expect(argAfter(cmd, "--hostname") ?? argAfter(cmd, "-H")).toBe("0.0.0.0");
    expect(isRoot(effective(runtime, "user")), `the ${runtimeTarget || "last"} stage runs as ${effective(runtime, "user") ?? "root"}`).toBe(false);
    // The runtime serves the .next folder of the stage that runs `next build`.
    const buildStage = dockerfile.stages.find((stage) => stage.runs.some((run) => /\bnext build\b/.test(run)));
    expect(buildStage, "a stage runs next build").toBeDefined();
    expect(read("Dockerfile")).toContain(`--from=${buildStage!.name} /app/.next`);
  });

  it("runs on Node 20 or later, Debian slim", () => {
    const image = baseImage(stageChain(runtimeTarget));
    const [, major] = /^node:(\d+)-.*slim$/.exec(image) ?? [];
    expect(Number(major), image).toBeGreaterThanOrEqual(20);
  });

  it("runs the migrations as an unprivileged user from a stage with the project's postinstall done", () => {
    const target = service("migrate").build?.target ?? "";
    const chain = stageChain(target);
    expect(isRoot(effective(chain, "user"))).toBe(false);
    expect((effective(chain, "cmd") ?? []).join(" ")).toMatch(/npm run db:migrate/);
    expect(chain.flatMap((stage) => stage.runs).some((run) => /npm run postinstall\b/.test(run))).toBe(true);
  });

  it("downloads no Prisma native engine: every npm ci skips install scripts, the project's postinstall runs on its own", () => {
    const installs = dockerfile.stages.flatMap((stage) => stage.runs).filter((run) => /\bnpm (ci|install)\b/.test(run));
    expect(installs.length).toBeGreaterThan(0);
    for (const install of installs) expect(install).toMatch(/--ignore-scripts/);
    // What npm ci skipped for the project itself: package.json's postinstall (scripts/db/generate.ts).
    const postinstall = (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts.postinstall;
    expect(postinstall).toMatch(/scripts\/db\/generate\.ts/);
    const buildChain = stageChain(dockerfile.stages.find((stage) => stage.runs.some((run) => /\bnext build\b/.test(run)))!.name!);
    expect(buildChain.flatMap((stage) => stage.runs).some((run) => /npm run postinstall\b/.test(run))).toBe(true);
  });
});
