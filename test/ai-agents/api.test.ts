/**
 * The API part: the seed's env table in a content-hash ConfigMap, the required secrets through
 * the secrets block, the hardened Deployment and its Service (tier 1), and the component with
 * its monitoring under mocks (tier 2).
 */
import * as k8s from "@pulumi/kubernetes";
import { expect } from "chai";
import { AiAgentsApi, buildApiConfigMap, buildApiDeploymentSpec } from "../../components/ai-agents/api";
import { AiAgentsPlatformArgs, resolveAiAgentsArgs } from "../../components/ai-agents/resolve";
import { aiAgentsBlock } from "../../components/ai-agents/schema";
import { recordComponents } from "../helpers/record";
import { validateAgainstSchema } from "../helpers/kubernetes-schema";
import { ENABLED_BLOCK, platformArgs, resolvedPlatform } from "./fixtures";

function recordApi(overrides: Record<string, unknown> = {}, extra: Partial<AiAgentsPlatformArgs> = {}) {
    const resolved = resolveAiAgentsArgs(platformArgs(overrides, extra));
    return recordComponents((provider: k8s.Provider) => new AiAgentsApi("api", { resolved }, { providers: [provider] }));
}

describe("ai-agents API: environment", () => {
    it("puts the seed's env table into the ConfigMap, secrets excluded", () => {
        expect(buildApiConfigMap(resolvedPlatform()).data).to.deep.equal({
            PORT: "3001",
            LOG_LEVEL: "info",
            WORKER_CONCURRENCY: "5",
            UPLOADS_DIR: "/workspace/uploads",
            UPLOADS_PVC_NAME: "ai-agents-uploads",
            EXECUTOR_IMAGE: "ghcr.io/labrats-work/apps.ai-agents/executor-claude:1.4.2",
            EXECUTOR_SERVICE_ACCOUNT: "ai-agents-executor",
            APP_VERSION: "1.4.2",
            WORKSPACE_DIR: "/workspace/jobs",
            ACCOUNTS_DIR: "/workspace/.accounts",
            OIDC_ISSUER: "https://auth.example.com",
            OIDC_CLIENT_ID: "ai-agents",
            OIDC_REDIRECT_URI: "https://agents.example.com/api/auth/callback",
        });
    });

    it("adds PROMETHEUS_URL only when set, and drops UPLOADS_PVC_NAME without an uploads volume", () => {
        const data = buildApiConfigMap(
            resolvedPlatform({ settings: { prometheusUrl: "http://prometheus.monitoring.svc:9090" }, storage: { uploads: { enabled: false } } }),
        ).data;
        expect(data["PROMETHEUS_URL"]).to.equal("http://prometheus.monitoring.svc:9090");
        expect(data).not.to.have.property("UPLOADS_PVC_NAME");
    });

    it("pins the executor image to its own tag and digest when given, and applies the registry override", () => {
        const digest = `sha256:${"c".repeat(64)}`;
        const data = buildApiConfigMap(
            resolvedPlatform({ executor: { image: { tag: "2.0.0", digest } } }, { images: { registry: "acr.example.io", pullSecrets: [] } }),
        ).data;
        expect(data["EXECUTOR_IMAGE"]).to.equal(`acr.example.io/labrats-work/apps.ai-agents/executor-claude:2.0.0@${digest}`);
    });

    it("names the ConfigMap after its content, so a change rolls the pods, and makes it immutable", () => {
        const a = buildApiConfigMap(resolvedPlatform());
        const b = buildApiConfigMap(resolvedPlatform());
        const c = buildApiConfigMap(resolvedPlatform({ settings: { logLevel: "debug" } }));
        expect(a.metadata.name).to.match(/^ai-agents-api-env-[0-9a-f]{10}$/);
        expect(a.metadata.name).to.equal(b.metadata.name);
        expect(c.metadata.name).not.to.equal(a.metadata.name);
        expect(a.immutable).to.equal(true);
    });
});

describe("ai-agents API: Deployment", () => {
    const spec: any = buildApiDeploymentSpec(resolvedPlatform(), "env-cm", { jwtSecret: { secretName: "s", key: "JWT_SECRET", optional: false } });
    const pod = spec.template.spec;
    const container = pod.containers[0];

    it("runs the API image on port 3001 with the ConfigMap and the secrets as env", () => {
        expect(container.image).to.equal("ghcr.io/labrats-work/apps.ai-agents:1.4.2");
        expect(container.ports).to.deep.equal([{ name: "http", containerPort: 3001, protocol: "TCP" }]);
        expect(container.envFrom).to.deep.equal([{ configMapRef: { name: "env-cm" } }]);
        expect(container.env).to.deep.equal([{ name: "JWT_SECRET", valueFrom: { secretKeyRef: { name: "s", key: "JWT_SECRET" } } }]);
    });

    it("probes /health for liveness and /ready for readiness", () => {
        expect(container.livenessProbe.httpGet).to.deep.equal({ path: "/health", port: "http" });
        expect(container.readinessProbe.httpGet).to.deep.equal({ path: "/ready", port: "http" });
    });

    it("runs as UID/GID 1001 with its own ServiceAccount and token (it is the operator)", () => {
        expect(pod.securityContext).to.include({ runAsUser: 1001, runAsGroup: 1001, fsGroup: 1001, runAsNonRoot: true });
        expect(container.securityContext).to.include({ runAsUser: 1001, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
        expect(pod).to.include({ serviceAccountName: "ai-agents-api", automountServiceAccountToken: true });
    });

    it("mounts the workspace and uploads volumes and a writable /tmp", () => {
        expect(container.volumeMounts).to.deep.equal([
            { name: "tmp", mountPath: "/tmp" },
            { name: "workspace", mountPath: "/workspace" },
            { name: "uploads", mountPath: "/workspace/uploads" },
        ]);
        expect(pod.volumes.map((v: any) => v.persistentVolumeClaim?.claimName ?? v.name)).to.deep.equal(["tmp", "ai-agents-workspace", "ai-agents-uploads"]);
    });

    it("selects on name and instance, and keeps the version off the pods", () => {
        expect(spec.selector.matchLabels).to.deep.equal({ "app.kubernetes.io/name": "ai-agents", "app.kubernetes.io/instance": "ai-agents-api" });
        expect(spec.template.metadata.labels).not.to.have.property("app.kubernetes.io/version");
    });

    it("rolls with a surge on a shared workspace, and recreates on a ReadWriteOnce one", () => {
        expect(spec.strategy).to.deep.equal({ type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
        const single: any = buildApiDeploymentSpec(resolvedPlatform({ storage: { workspace: { accessMode: "ReadWriteOnce" } } }), "env", {});
        expect(single.strategy).to.deep.equal({ type: "Recreate" });
    });
});

describe("AiAgentsApi component", () => {
    it("creates ConfigMap, Deployment, Service, ServiceMonitor and dashboard, all schema-valid", async () => {
        const r = await recordApi();
        expect(r.objects.map((o) => o.kind).sort()).to.deep.equal(["ConfigMap", "ConfigMap", "Deployment", "Service", "ServiceMonitor"]);
        for (const object of r.objects) await validateAgainstSchema(object);
        expect((r.object("Service", "ai-agents-api") as any).spec.ports).to.deep.equal([{ name: "http", port: 3001, targetPort: "http", protocol: "TCP" }]);
        expect((r.object("ServiceMonitor") as any).spec.endpoints[0]).to.include({ port: "http", path: "/metrics" });
    });

    it("reads the secrets from the existing Secret with the seed's key names", async () => {
        const r = await recordApi();
        const env = (r.object("Deployment") as any).spec.template.spec.containers[0].env;
        expect(env.map((e: any) => [e.name, e.valueFrom.secretKeyRef.name, e.valueFrom.secretKeyRef.key])).to.deep.equal([
            ["OIDC_CLIENT_SECRET", "ai-agents-secrets", "OIDC_CLIENT_SECRET"],
            ["JWT_SECRET", "ai-agents-secrets", "JWT_SECRET"],
            ["SUBMIT_API_KEYS", "ai-agents-secrets", "SUBMIT_API_KEYS"],
        ]);
    });

    it("keeps managed secret values out of every recorded input, the Secret's own included", async () => {
        const values = { oidcClientSecret: "OIDC-PLAINTEXT", jwtSecret: "JWT-PLAINTEXT", submitApiKeys: "KEYS-PLAINTEXT" };
        const secrets = { mode: "managed", ...Object.fromEntries(Object.entries(values).map(([id, value]) => [id, { value }])) };
        const r = await recordApi({}, { config: aiAgentsBlock.parse({ ...ENABLED_BLOCK, secrets }) });
        const recorded = JSON.stringify(r.recording);
        for (const value of Object.values(values)) expect(recorded).not.to.contain(value);
        expect(r.objects.filter((o) => o.kind === "Secret")).to.have.length(1);
    });

    it("creates no monitoring objects when the block is off", async () => {
        const r = await recordApi({ monitoring: { enabled: false } });
        expect(r.objects.map((o) => o.kind)).not.to.include.members(["ServiceMonitor"]);
        expect(r.objects.filter((o) => o.kind === "ConfigMap")).to.have.length(1);
    });
});
