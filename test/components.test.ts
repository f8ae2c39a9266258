/**
 * Tier 2: components under the SDK's mocks; assertions on what the engine was asked to create.
 */
import { expect } from "chai";
import { AgentRuntime, AgentRuntimeArgs } from "../components/agent-runtime";
import { ClusterTarget } from "../components/cluster";
import { AgentRuntimeConfig, parseStackConfig } from "../components/config";
import { PlatformNamespace } from "../components/namespace";
import { REDACTED } from "../tools/render/wire";
import { recordComponents } from "./helpers/record";

function runtimeConfig(block: Record<string, unknown> = {}): AgentRuntimeConfig {
    return parseStackConfig(
        { "agent-platform:cluster": '{"kubeconfigPath":"/k"}', "agent-platform:agentRuntime": JSON.stringify(block) },
        new Set(),
    ).agentRuntime;
}

function runtimeArgs(block: Record<string, unknown> = {}, registry?: string): AgentRuntimeArgs {
    return { config: runtimeConfig(block), images: { pullSecrets: ["regcred"], registry }, namespace: "agents" };
}

const envNames = (deployment: any): string[] => deployment.spec.template.spec.containers[0].env.map((e: any) => e.name);
const SHARED = ["LANGCHAIN_TRACING_V2", "DATABASE_POOL_MIN_SIZE", "DATABASE_POOL_MAX_SIZE", "DATABASE_POOL_TIMEOUT", "LOG_LEVEL", "AGENT_SYNC_SCOPE"];

describe("ClusterTarget", () => {
    it("keeps a secret kubeconfig secret all the way into the provider's inputs", async () => {
        const cluster = parseStackConfig({ "agent-platform:cluster": '{"kubeconfig":"PLAINTEXT-KUBECONFIG-VALUE","context":"ctx"}' }, new Set(["agent-platform:cluster"])).cluster;
        const { recording } = await recordComponents(() => new ClusterTarget("cluster", { config: cluster, stack: "test" }));
        const provider = recording.resources.find((r) => r.type === "pulumi:providers:kubernetes" && r.name === "cluster-k8s")!;
        expect(provider.inputs["kubeconfig"]).to.equal(REDACTED);
        expect(provider.inputs["clusterIdentifier"]).to.equal("kubeconfig/ctx");
        expect(JSON.stringify(recording)).not.to.contain("PLAINTEXT-KUBECONFIG-VALUE");
    });
});

describe("PlatformNamespace", () => {
    it("creates the namespace with Pod Security Admission labels for enforce, audit and warn", async () => {
        const r = await recordComponents((provider) => new PlatformNamespace("ns", { name: "agents", create: true, podSecurity: "restricted" }, { providers: [provider] }));
        const labels = r.object("Namespace", "agents").metadata.labels!;
        for (const mode of ["enforce", "audit", "warn"]) {
            expect(labels[`pod-security.kubernetes.io/${mode}`]).to.equal("restricted");
            expect(labels[`pod-security.kubernetes.io/${mode}-version`]).to.equal("latest");
        }
    });
    it("creates nothing for an existing namespace", async () => {
        const r = await recordComponents((provider) => new PlatformNamespace("ns", { name: "agents", create: false, podSecurity: "restricted" }, { providers: [provider] }));
        expect(r.objects).to.deep.equal([]);
    });
});

describe("AgentRuntime", () => {
    it("creates a ServiceAccount, a Deployment and a Service named after the instance, with the provider", async () => {
        const r = await recordComponents((provider) => new AgentRuntime("rt", runtimeArgs(), { providers: [provider] }));
        expect(r.objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`).sort()).to.deep.equal([
            "Deployment/agents/agent-runtime",
            "Service/agents/agent-runtime",
            "ServiceAccount/agents/agent-runtime",
        ]);
        for (const resource of r.recording.resources.filter((x) => x.type.startsWith("kubernetes:"))) {
            expect(resource.provider, resource.urn).to.match(/::test-k8s::/);
        }
    });

    it("python: port 8081, the python image and the ROBYN_* variables only", async () => {
        const r = await recordComponents((provider) => new AgentRuntime("rt", runtimeArgs({ runtime: "python" }), { providers: [provider] }));
        const deployment: any = r.object("Deployment");
        const container = deployment.spec.template.spec.containers[0];
        expect(container.image).to.equal("ghcr.io/l4b4r4b4b4/fractal-agents-runtime-python:0.0.3");
        expect(container.ports).to.deep.equal([{ name: "http", containerPort: 8081, protocol: "TCP" }]);
        expect(envNames(deployment)).to.deep.equal([...SHARED, "ROBYN_HOST", "ROBYN_PORT", "ROBYN_WORKERS", "ROBYN_DEV"]);
    });

    it("ts: port 3000, the ts image and PORT/NODE_ENV only", async () => {
        const r = await recordComponents((provider) => new AgentRuntime("rt", runtimeArgs({ runtime: "ts" }), { providers: [provider] }));
        const deployment: any = r.object("Deployment");
        const container = deployment.spec.template.spec.containers[0];
        expect(container.image).to.equal("ghcr.io/l4b4r4b4b4/fractal-agents-runtime-ts:0.0.3");
        expect(container.ports[0].containerPort).to.equal(3000);
        expect(envNames(deployment)).to.deep.equal([...SHARED, "PORT", "NODE_ENV"]);
        expect(container.env.find((e: any) => e.name === "PORT").value).to.equal("3000");
    });

    it("routes Service port 80 to the named container port and selects on name and instance", async () => {
        const r = await recordComponents((provider) => new AgentRuntime("rt", runtimeArgs({ name: "blue" }), { providers: [provider] }));
        const service: any = r.object("Service", "blue");
        expect(service.spec.ports).to.deep.equal([{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }]);
        expect(service.spec.selector).to.deep.equal({ "app.kubernetes.io/name": "fractal-agents-runtime", "app.kubernetes.io/instance": "blue" });
    });

    it("runs as UID/GID 65532 with a writable /tmp only, no token, the shared pull secret and the chart's rollout", async () => {
        const r = await recordComponents((provider) => new AgentRuntime("rt", runtimeArgs(), { providers: [provider] }));
        const deployment: any = r.object("Deployment");
        const pod = deployment.spec.template.spec;
        expect(pod.securityContext).to.include({ runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, runAsNonRoot: true });
        expect(pod.volumes).to.deep.equal([{ name: "tmp", emptyDir: {} }]);
        expect(pod.automountServiceAccountToken).to.equal(false);
        expect(pod.imagePullSecrets).to.deep.equal([{ name: "regcred" }]);
        expect(deployment.spec.strategy).to.deep.equal({ type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
        expect((r.object("ServiceAccount") as any).automountServiceAccountToken).to.equal(false);
    });

    it("probes /health: startup, readiness and liveness with the chart's timings", async () => {
        const r = await recordComponents((provider) => new AgentRuntime("rt", runtimeArgs(), { providers: [provider] }));
        const container: any = (r.object("Deployment") as any).spec.template.spec.containers[0];
        expect(container.readinessProbe).to.deep.include({ httpGet: { path: "/health", port: "http" }, initialDelaySeconds: 10, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 });
        expect(container.livenessProbe).to.deep.include({ httpGet: { path: "/health", port: "http" }, initialDelaySeconds: 30, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 });
        expect(container.startupProbe.httpGet).to.deep.equal({ path: "/health", port: "http" });
    });

    it("applies the global registry override and a digest", async () => {
        const digest = `sha256:${"b".repeat(64)}`;
        const r = await recordComponents((provider) => new AgentRuntime("rt", runtimeArgs({ image: { digest } }, "acr.example.io"), { providers: [provider] }));
        const container: any = (r.object("Deployment") as any).spec.template.spec.containers[0];
        expect(container.image).to.equal(`acr.example.io/l4b4r4b4b4/fractal-agents-runtime-python:0.0.3@${digest}`);
    });
});
