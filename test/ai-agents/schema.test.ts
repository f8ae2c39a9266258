/**
 * The `aiAgents` config block (tier 1): defaults from the seed, what `enabled` demands, the
 * cross-field rules and their messages, descriptions on every field, and the docs covering
 * every key.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { referenceRows, sensitivePathsIn, undescribedFields } from "../../components/config/introspect";
import { aiAgentsBlock, SHIPPED_INSTRUCTIONS } from "../../components/ai-agents/schema";
import { ENABLED_BLOCK, merge } from "./fixtures";

/** Issues of a block that must fail, as `path: message`. */
function issues(block: Record<string, unknown>): string[] {
    const result = aiAgentsBlock.safeParse(block);
    expect(result.success, "expected the block to be rejected").to.equal(false);
    return result.error!.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
}

const enabled = (overrides: Record<string, unknown> = {}) => merge(ENABLED_BLOCK, overrides);

const undescribed = undescribedFields;

describe("ai-agents config: defaults", () => {
    it("is off by default and then needs no tag, secrets or OIDC settings", () => {
        const config = aiAgentsBlock.parse({});
        expect(config.enabled).to.equal(false);
        expect(config.secrets).to.equal(undefined);
        expect(config.image.tag).to.equal(undefined);
    });

    it("takes the seed's env defaults: PORT 3001, LOG_LEVEL info, WORKER_CONCURRENCY 5, the /workspace layout", () => {
        const { settings } = aiAgentsBlock.parse(ENABLED_BLOCK);
        expect(settings).to.include({
            port: 3001,
            logLevel: "info",
            workerConcurrency: 5,
            workspaceDir: "/workspace/jobs",
            accountsDir: "/workspace/.accounts",
            uploadsDir: "/workspace/uploads",
        });
    });

    it("runs the App on 3000, provisions webhooks through the API, and keeps the processor off", () => {
        const config = aiAgentsBlock.parse(ENABLED_BLOCK);
        expect(config.app.port).to.equal(3000);
        expect(config.webhooks).to.include({ provisioning: "api" });
        expect(config.processor.enabled).to.equal(false);
    });

    it("shares the workspace ReadWriteMany, adds an uploads claim, and leaves the models cache off", () => {
        const { storage } = aiAgentsBlock.parse(ENABLED_BLOCK);
        expect(storage.workspace).to.include({ accessMode: "ReadWriteMany", mountPath: "/workspace", size: "20Gi" });
        expect(storage.uploads).to.include({ enabled: true, accessMode: "ReadWriteMany" });
        expect(storage.modelsCache).to.include({ enabled: false, claimName: "models-cache" });
    });

    it("installs the CRDs and the 14 instructions, and routes the protected Ingress through Traefik and Authelia", () => {
        const config = aiAgentsBlock.parse(ENABLED_BLOCK);
        expect(config.crds).to.deep.equal({ enabled: true, retainOnDelete: true });
        expect(config.instructions).to.deep.equal({ enabled: true, exclude: [] });
        expect(SHIPPED_INSTRUCTIONS).to.have.length(14);
        expect(config.ingress).to.include({ enabled: false, className: "traefik", authMiddleware: "authelia-authelia@kubernetescrd", publicMetrics: true });
    });

    it("ships the seed's ServiceMonitor and dashboard, without alert rules", () => {
        const { monitoring } = aiAgentsBlock.parse(ENABLED_BLOCK);
        expect(monitoring.enabled).to.equal(true);
        expect(monitoring.serviceMonitor.enabled).to.equal(true);
        expect(monitoring.dashboard.enabled).to.equal(true);
        expect(monitoring.prometheusRule.enabled).to.equal(false);
    });

    it("keeps the App, processor, webhooks and cleanup off the internet, the API, executors and token-refresh on HTTPS", () => {
        const { networkPolicy } = aiAgentsBlock.parse(ENABLED_BLOCK);
        const internet = Object.fromEntries(
            Object.entries(networkPolicy)
                .filter(([key]) => key !== "clientNamespaces")
                .map(([key, value]) => [key, (value as { internet: boolean }).internet]),
        );
        expect(internet).to.deep.equal({ api: true, app: false, processor: false, webhooks: false, executor: true, cleanup: false, tokenRefresh: true });
    });
});

describe("ai-agents config: what `enabled` demands", () => {
    it("names the image tag, the secrets block and each OIDC setting when they are missing", () => {
        expect(issues({ enabled: true })).to.have.members([
            "image.tag: is required when `enabled` is true (allowed: the release tag, e.g. 1.4.2)",
            "secrets: is required when `enabled` is true (allowed: `mode: managed` with each value set as a secret, `mode: existing` with `existingSecret.name`, or `mode: external`)",
            "settings.oidc.issuer: is required when `enabled` is true (the API logs users in through OIDC)",
            "settings.oidc.clientId: is required when `enabled` is true (the API logs users in through OIDC)",
            "settings.oidc.redirectUri: is required when `enabled` is true (the API logs users in through OIDC)",
        ]);
    });

    it("reports each required secret missing in managed mode under its own key", () => {
        const found = issues({ ...ENABLED_BLOCK, secrets: { mode: "managed" } });
        expect(found).to.have.length(3);
        for (const id of ["oidcClientSecret", "jwtSecret", "submitApiKeys"])
            expect(
                found.some((i) => i.startsWith(`secrets.${id}: is required`)),
                id,
            ).to.equal(true);
    });

    it("treats managed secret values as sensitive (they must be stored as stack secrets)", () => {
        const raw = enabled({ secrets: { mode: "managed", jwtSecret: { value: "x" } } });
        expect(sensitivePathsIn(aiAgentsBlock, raw, "agent-platform:aiAgents")).to.deep.equal(["agent-platform:aiAgents.secrets.jwtSecret.value"]);
    });

    it("refuses `latest` and malformed tags", () => {
        expect(issues(enabled({ image: { tag: "latest" } }))[0]).to.match(/^image\.tag: must be a version, not `latest`/);
        expect(issues(enabled({ image: { tag: "v 1" } }))[0]).to.match(/^image\.tag: must be an image tag/);
    });
});

describe("ai-agents config: cross-field rules", () => {
    it("refuses static webhook sources while the API provisions them", () => {
        expect(issues(enabled({ webhooks: { sources: ["github"] } }))).to.deep.equal([
            "webhooks.sources: are deployed by the API's WebhookSourceWatcher when `webhooks.provisioning` is `api`: remove them, or set `provisioning: static` to deploy them from the stack",
        ]);
    });

    it("refuses a source listed twice and one whose object name would exceed 63 characters", () => {
        const long = "s".repeat(50);
        expect(issues(enabled({ webhooks: { provisioning: "static", sources: ["github", "github", long] } }))).to.deep.equal([
            "webhooks.sources.1: 'github' is listed twice",
            `webhooks.sources.2: 'ai-agents-webhook-${long}' is longer than 63 characters: shorten the source or \`name\``,
        ]);
    });

    it("allows a ReadWriteOnce workspace only in single-replica setups", () => {
        expect(aiAgentsBlock.safeParse(enabled({ storage: { workspace: { accessMode: "ReadWriteOnce" } } })).success).to.equal(true);
        for (const over of [{ api: { replicas: 2 } }, { processor: { enabled: true } }]) {
            expect(issues(enabled({ ...over, storage: { workspace: { accessMode: "ReadWriteOnce" } } }))[0]).to.match(
                /^storage\.workspace\.accessMode: ReadWriteOnce attaches the workspace to one node.*api\.replicas: 1.*processor\.enabled: false/,
            );
        }
    });

    it("keeps the workspace and accounts directories on the workspace volume", () => {
        expect(issues(enabled({ settings: { workspaceDir: "/data/jobs" } }))).to.deep.equal([
            "settings.workspaceDir: '/data/jobs' must lie under `storage.workspace.mountPath` (/workspace): the root filesystem is read-only",
        ]);
        expect(issues(enabled({ storage: { uploads: { enabled: false } }, settings: { uploadsDir: "/uploads" } }))[0]).to.match(
            /^settings\.uploadsDir: '\/uploads' must lie under/,
        );
        expect(aiAgentsBlock.safeParse(enabled({ settings: { uploadsDir: "/uploads" } })).success, "an uploads volume may be mounted anywhere").to.equal(true);
    });

    it("keeps accounts and uploads out of the directory the cleanup CronJob empties", () => {
        expect(issues(enabled({ settings: { accountsDir: "/workspace/jobs/.accounts" } }))).to.deep.equal([
            "settings.accountsDir: '/workspace/jobs/.accounts' must not lie under `settings.workspaceDir` (/workspace/jobs): the cleanup CronJob removes what is there",
        ]);
    });

    it("needs a host for the ingress, and forward auth its controller can do", () => {
        const ingress = (over: Record<string, unknown>) => enabled({ ingress: { enabled: true, host: "agents.example.com", ...over } });
        expect(issues(enabled({ ingress: { enabled: true } }))).to.deep.equal([
            "ingress.host: is required when `ingress.enabled` is true (e.g. `agents.{domain}`)",
        ]);
        expect(issues(ingress({ className: "nginx" }))[0]).to.match(/^ingress\.nginxAuth: is required with an nginx controller/);
        expect(issues(ingress({ nginxAuth: { url: "http://authelia.authelia.svc/api/authz/auth-request" } }))[0]).to.match(
            /^ingress\.nginxAuth: is for nginx controllers/,
        );
        expect(issues(ingress({ className: "haproxy" }))[0]).to.match(/^ingress\.className: the protected Ingress needs forward auth.*'haproxy' is neither/);
        for (const ok of [
            { className: "traefik-internal", controller: "traefik" },
            { className: "nginx", nginxAuth: { url: "http://authelia.authelia.svc/api/authz/auth-request" } },
        ]) {
            expect(aiAgentsBlock.safeParse(ingress(ok)).success, JSON.stringify(ok)).to.equal(true);
        }
    });

    it("refuses an empty executor pod selector and a PORT in the App's extra env", () => {
        expect(issues(enabled({ executor: { podLabels: {} } }))[0]).to.match(/^executor\.podLabels: must name at least one label/);
        expect(issues(enabled({ app: { env: { PORT: "80" } } }))).to.deep.equal(["app.env.PORT: is set by `app.port` (allowed: other variable names)"]);
    });

    it("reports unknown keys at every level", () => {
        expect(issues(enabled({ settings: { logLevl: "debug" } }))).to.deep.equal(['settings: Unrecognized key: "logLevl"']);
        expect(issues(enabled({ networkPolicy: { api: { internt: false } } }))).to.deep.equal(['networkPolicy.api: Unrecognized key: "internt"']);
    });

    it("refuses cron schedules with a time zone in them and malformed ones", () => {
        expect(issues(enabled({ cronJobs: { cleanup: { schedule: "CRON_TZ=UTC 0 * * *" } } }))).to.deep.equal([
            "cronJobs.cleanup.schedule: must not set a time zone: use `cronJobs.timeZone`",
        ]);
        expect(issues(enabled({ cronJobs: { tokenRefresh: { schedule: "hourly" } } }))[0]).to.match(
            /^cronJobs\.tokenRefresh\.schedule: must be a cron schedule/,
        );
    });
});

describe("ai-agents config: documentation", () => {
    it("describes every field, including list elements and map values (the shared fragments test their own)", () => {
        const shared = /^(secrets|monitoring|networkPolicy\.(api|app|processor|webhooks|executor|cleanup|tokenRefresh))\./;
        expect(undescribed(aiAgentsBlock, "").filter((path) => !shared.test(path))).to.deep.equal([]);
    });

    it("docs/ai-agents.md documents every key of the block (the shared fragments in their own docs)", () => {
        const doc = readFileSync(join(__dirname, "..", "..", "docs", "ai-agents.md"), "utf8");
        const shared = /^(secrets\.|monitoring\.|networkPolicy\.(api|app|processor|webhooks|executor|cleanup|tokenRefresh)\.)/;
        const missing = referenceRows(aiAgentsBlock)
            .filter((row) => row.type !== "object" && !shared.test(row.key))
            .map((row) => row.key)
            .filter((key) => !doc.includes(`| \`${key}\` |`));
        expect(missing).to.deep.equal([]);
        for (const fragment of ["docs/secrets.md", "docs/monitoring.md", "docs/network-policy.md"]) expect(doc).to.contain(fragment);
    });
});
