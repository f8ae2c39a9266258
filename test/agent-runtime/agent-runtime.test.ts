/**
 * AgentRuntime under mocks: the chart's objects, scaling and lifecycle, the building blocks it
 * uses, and migration from a Helm release.
 */
import * as k8s from "@pulumi/kubernetes";
import { expect } from "chai";
import { AgentRuntime, AgentRuntimeArgs } from "../../components/agent-runtime";
import { ClusterTarget } from "../../components/cluster";
import { AgentRuntimeConfig } from "../../components/agent-runtime/schema";
import { testConfig } from "../helpers/stack-config";
import { validateAgainstSchema } from "../helpers/kubernetes-schema";
import { recordComponents } from "../helpers/record";

function runtimeConfig(block: Record<string, unknown> = {}): AgentRuntimeConfig {
    return testConfig({ agentRuntime: block }).agentRuntime;
}

function runtimeArgs(block: Record<string, unknown> = {}, registry?: string): AgentRuntimeArgs {
    const config = testConfig({ networkPolicy: { enabled: false }, agentRuntime: block });
    return { config: config.agentRuntime, images: { pullSecrets: ["regcred"], registry }, namespace: "agents", networkPolicy: config.networkPolicy };
}

const envNames = (deployment: any): string[] => deployment.spec.template.spec.containers[0].env.map((e: any) => e.name);
const SHARED = ["LANGCHAIN_TRACING_V2", "DATABASE_POOL_MIN_SIZE", "DATABASE_POOL_MAX_SIZE", "DATABASE_POOL_TIMEOUT", "LOG_LEVEL", "AGENT_SYNC_SCOPE"];
/** From the runtime's Secret (an existing one in these tests), after the plain variables. */
const SECRET_ENV = [
    "SUPABASE_KEY",
    "SUPABASE_SECRET",
    "SUPABASE_JWT_SECRET",
    "OPENAI_API_KEY",
    "ANTHROPIC_API_KEY",
    "LANGCHAIN_API_KEY",
    "LANGFUSE_SECRET_KEY",
    "LANGFUSE_PUBLIC_KEY",
    "DATABASE_URL",
];

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
        expect(envNames(deployment)).to.deep.equal([...SHARED, "ROBYN_HOST", "ROBYN_PORT", "ROBYN_WORKERS", "ROBYN_DEV", ...SECRET_ENV]);
    });

    it("ts: port 3000, the ts image and PORT/NODE_ENV only", async () => {
        const r = await recordComponents((provider) => new AgentRuntime("rt", runtimeArgs({ runtime: "ts" }), { providers: [provider] }));
        const deployment: any = r.object("Deployment");
        const container = deployment.spec.template.spec.containers[0];
        expect(container.image).to.equal("ghcr.io/l4b4r4b4b4/fractal-agents-runtime-ts:0.0.3");
        expect(container.ports[0].containerPort).to.equal(3000);
        expect(envNames(deployment)).to.deep.equal([...SHARED, "PORT", "NODE_ENV", ...SECRET_ENV]);
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
        expect(container.readinessProbe).to.deep.include({
            httpGet: { path: "/health", port: "http" },
            initialDelaySeconds: 10,
            periodSeconds: 5,
            timeoutSeconds: 3,
            failureThreshold: 3,
        });
        expect(container.livenessProbe).to.deep.include({
            httpGet: { path: "/health", port: "http" },
            initialDelaySeconds: 30,
            periodSeconds: 10,
            timeoutSeconds: 5,
            failureThreshold: 3,
        });
        expect(container.startupProbe.httpGet).to.deep.equal({ path: "/health", port: "http" });
    });

    it("applies the global registry override and a digest", async () => {
        const digest = `sha256:${"b".repeat(64)}`;
        const r = await recordComponents((provider) => new AgentRuntime("rt", runtimeArgs({ image: { digest } }, "acr.example.io"), { providers: [provider] }));
        const container: any = (r.object("Deployment") as any).spec.template.spec.containers[0];
        expect(container.image).to.equal(`acr.example.io/l4b4r4b4b4/fractal-agents-runtime-python:0.0.3@${digest}`);
    });
});

describe("AgentRuntime scaling and lifecycle", () => {
    it("leaves replicas to the HPA and scales on CPU and memory with the chart's behaviour", async () => {
        const r = await recordComponents(
            (provider) => new AgentRuntime("rt", runtimeArgs({ autoscaling: { enabled: true, minReplicas: 5, maxReplicas: 20 } }), { providers: [provider] }),
        );
        expect((r.object("Deployment") as any).spec).not.to.have.property("replicas");
        const hpa: any = r.object("HorizontalPodAutoscaler");
        expect(hpa.apiVersion).to.equal("autoscaling/v2");
        expect(hpa.spec).to.deep.include({
            minReplicas: 5,
            maxReplicas: 20,
            scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "agent-runtime" },
        });
        expect(hpa.spec.metrics.map((m: any) => [m.resource.name, m.resource.target.averageUtilization])).to.deep.equal([
            ["cpu", 70],
            ["memory", 80],
        ]);
        expect(hpa.spec.behavior.scaleUp.policies).to.deep.equal([
            { type: "Percent", value: 100, periodSeconds: 30 },
            { type: "Pods", value: 4, periodSeconds: 30 },
        ]);
        expect(hpa.spec.behavior.scaleDown).to.deep.equal({ stabilizationWindowSeconds: 300, policies: [{ type: "Percent", value: 50, periodSeconds: 60 }] });
    });

    it("sets replicas and creates no HPA without autoscaling", async () => {
        const r = await recordComponents((provider) => new AgentRuntime("rt", runtimeArgs({ replicas: 1 }), { providers: [provider] }));
        expect((r.object("Deployment") as any).spec.replicas).to.equal(1);
        expect(r.objects.map((o) => o.kind)).not.to.include("HorizontalPodAutoscaler");
        expect(r.objects.map((o) => o.kind)).not.to.include("PodDisruptionBudget");
    });

    it("creates a PDB that allows one pod down by default and evicts unhealthy pods", async () => {
        const r = await recordComponents(
            (provider) => new AgentRuntime("rt", runtimeArgs({ podDisruptionBudget: { enabled: true } }), { providers: [provider] }),
        );
        const pdb: any = r.object("PodDisruptionBudget");
        expect(pdb.spec).to.deep.equal({
            selector: { matchLabels: { "app.kubernetes.io/name": "fractal-agents-runtime", "app.kubernetes.io/instance": "agent-runtime" } },
            maxUnavailable: 1,
            unhealthyPodEvictionPolicy: "AlwaysAllow",
        });
    });

    it("refuses a PDB that would block node drains, against replicas or the HPA minimum", () => {
        const problem = (block: Record<string, unknown>) => {
            try {
                runtimeConfig(block);
            } catch (err) {
                return (err as Error).message;
            }
            return "";
        };
        expect(problem({ replicas: 2, podDisruptionBudget: { enabled: true, minAvailable: 2 } })).to.contain(
            "agent-platform:agentRuntime.podDisruptionBudget.minAvailable: 2 would block every node drain: it must be below replicas (2)",
        );
        expect(problem({ autoscaling: { enabled: true, minReplicas: 3 }, podDisruptionBudget: { enabled: true, minAvailable: 3 } })).to.contain(
            "it must be below autoscaling.minReplicas (3)",
        );
        expect(problem({ autoscaling: { enabled: true, minReplicas: 5 }, podDisruptionBudget: { enabled: true, minAvailable: 3 } })).to.equal("");
    });

    it("drains open streams with a preStop sleep inside the termination grace period", async () => {
        const r = await recordComponents(
            (provider) => new AgentRuntime("rt", runtimeArgs({ shutdown: { drainSeconds: 600, gracePeriodSeconds: 20 } }), { providers: [provider] }),
        );
        const pod: any = (r.object("Deployment") as any).spec.template.spec;
        expect(pod.containers[0].lifecycle).to.deep.equal({ preStop: { sleep: { seconds: 600 } } });
        expect(pod.terminationGracePeriodSeconds).to.equal(620);
    });

    it("spreads pods with preferred rules only, so an HPA's pods never stay Pending", async () => {
        const r = await recordComponents((provider) => new AgentRuntime("rt", runtimeArgs(), { providers: [provider] }));
        const pod: any = (r.object("Deployment") as any).spec.template.spec;
        expect(pod.affinity.podAntiAffinity).to.have.key("preferredDuringSchedulingIgnoredDuringExecution");
        expect(pod.topologySpreadConstraints).to.deep.equal([
            {
                maxSkew: 1,
                topologyKey: "topology.kubernetes.io/zone",
                whenUnsatisfiable: "ScheduleAnyway",
                labelSelector: { matchLabels: { "app.kubernetes.io/name": "fractal-agents-runtime", "app.kubernetes.io/instance": "agent-runtime" } },
                matchLabelKeys: ["pod-template-hash"],
            },
        ]);
    });

    it("uses a stack's tolerations and node selector as given, and can turn spreading off", async () => {
        const scheduling = {
            nodeSelector: { pool: "agents" },
            tolerations: [{ key: "dedicated", operator: "Equal", value: "agents", effect: "NoSchedule" }],
            zoneSpread: false,
            preferredAntiAffinity: false,
        };
        const r = await recordComponents((provider) => new AgentRuntime("rt", runtimeArgs({ scheduling }), { providers: [provider] }));
        const pod: any = (r.object("Deployment") as any).spec.template.spec;
        expect(pod.nodeSelector).to.deep.equal({ pool: "agents" });
        expect(pod.tolerations).to.deep.equal(scheduling.tolerations);
        expect(pod).not.to.have.property("affinity");
        expect(pod).not.to.have.property("topologySpreadConstraints");
    });
});

describe("AgentRuntime with the building blocks", () => {
    const withBlocks = (block: Record<string, unknown>, extra: Partial<AgentRuntimeArgs> = {}, stack: Record<string, unknown> = {}): AgentRuntimeArgs => {
        const config = testConfig({ ...stack, agentRuntime: block });
        return { config: config.agentRuntime, images: { pullSecrets: [] }, namespace: "agents", networkPolicy: config.networkPolicy, ...extra };
    };

    it("gets a default-deny NetworkPolicy that admits the ingress controller and Prometheus on its real port and reaches Postgres", async () => {
        const args = withBlocks({ runtime: "ts", database: { cidr: "10.20.0.0/24" } });
        const r = await recordComponents((provider) => new AgentRuntime("rt", args, { providers: [provider] }));
        const spec: any = r.object("NetworkPolicy").spec;
        expect(spec.policyTypes).to.deep.equal(["Ingress", "Egress"]);
        expect(spec.ingress.map((rule: any) => rule.ports[0].port)).to.deep.equal([3000, 3000]);
        expect(spec.egress.some((rule: any) => rule.to[0].ipBlock?.cidr === "10.20.0.0/24" && rule.ports[0].port === 5432)).to.equal(true);
        await validateAgainstSchema(r.object("NetworkPolicy"));
    });

    it("routes an SSE-ready ingress with a host from the platform domain to the Service", async () => {
        const args = withBlocks(
            { ingress: { enabled: true, className: "nginx", host: "agent-api.{domain}", tls: { enabled: true } } },
            { platformDomain: "example.com" },
        );
        let runtime: AgentRuntime | undefined;
        const r = await recordComponents((provider) => (runtime = new AgentRuntime("rt", args, { providers: [provider] })));
        const ingress: any = r.object("Ingress");
        expect(ingress.spec.rules[0].host).to.equal("agent-api.example.com");
        expect(ingress.spec.rules[0].http.paths[0].backend.service).to.deep.equal({ name: "agent-runtime", port: { number: 80 } });
        expect(ingress.metadata.annotations["nginx.ingress.kubernetes.io/proxy-buffering"]).to.equal("off");
        expect(runtime!.externalUrls).to.deep.equal(["https://agent-api.example.com"]);
    });

    it("turns monitoring on only when the stack sets the block, and waits for the CRDs", async () => {
        const off = await recordComponents((provider) => new AgentRuntime("rt", withBlocks({}), { providers: [provider] }));
        expect(off.objects.map((o) => o.kind)).not.to.include("ServiceMonitor");
        let crds: k8s.core.v1.Namespace | undefined;
        const on = await recordComponents((provider) => {
            crds = new k8s.core.v1.Namespace("crds", { metadata: { name: "crds" } }, { provider });
            return new AgentRuntime("rt", withBlocks({ monitoring: {} }, { crdsReady: [crds] }), { providers: [provider] });
        });
        const monitor = on.recording.resources.find((x) => x.inputs["kind"] === "ServiceMonitor")!;
        expect(monitor.dependsOn).to.include(on.recording.resources.find((x) => x.name === "crds")!.urn);
        const rule: any = on.object("PrometheusRule");
        const exprs = rule.spec.groups.flatMap((g: any) => g.rules.map((x: any) => x.expr)).join("\n");
        expect(exprs).to.contain("agent_runtime_requests_total").and.not.to.contain("http_server_");
    });

    it("reads external secrets from the stack's Key Vault when the stack file names none", async () => {
        const stackWithVault = { cluster: { target: "aks", aks: { location: "westeurope" } }, azure: { keyVault: { enabled: true } } };
        const keyVault = { vaultUrl: "https://ap-prod-kv.vault.azure.net/", clientId: "11111111-2222-3333-4444-555555555555" };
        const args = withBlocks({ secrets: { mode: "external" } }, { keyVault }, stackWithVault);
        const r = await recordComponents((provider) => new AgentRuntime("rt", args, { providers: [provider] }));
        const store: any = r.object("SecretStore");
        expect(store.spec.provider.azurekv.vaultUrl).to.equal("https://ap-prod-kv.vault.azure.net/");
        expect((r.object("ServiceAccount", "agent-runtime-keyvault") as any).metadata.annotations["azure.workload.identity/client-id"]).to.equal(
            "11111111-2222-3333-4444-555555555555",
        );
        const env = (r.object("Deployment") as any).spec.template.spec.containers[0].env;
        expect(env.find((e: any) => e.name === "SUPABASE_KEY").valueFrom.secretKeyRef).to.deep.equal({ name: "agent-runtime-secrets", key: "supabase-key" });
    });
});

describe("AgentRuntime migration from a Helm release", () => {
    it("keeps the release's object names and selector labels, so the Deployment can be adopted in place", async () => {
        const args = runtimeArgs({ name: "robyn-prod", legacy: { objectName: "robyn-prod-robyn-runtime", appName: "robyn-runtime" } });
        const r = await recordComponents((provider) => new AgentRuntime("rt", args, { providers: [provider] }));
        expect([...new Set(r.objects.map((o) => o.metadata.name))]).to.deep.equal(["robyn-prod-robyn-runtime"]);
        const deployment: any = r.object("Deployment");
        expect(deployment.spec.selector.matchLabels).to.deep.equal({ "app.kubernetes.io/name": "robyn-runtime", "app.kubernetes.io/instance": "robyn-prod" });
        expect(deployment.spec.template.spec.serviceAccountName).to.equal("robyn-prod-robyn-runtime");
        expect((r.object("Service") as any).spec.selector).to.deep.equal(deployment.spec.selector.matchLabels);
    });

    it("lets the provider adopt existing objects only when asked", async () => {
        const adopt = testConfig({ cluster: { kubeconfigPath: "/k", adoptExistingObjects: true } }).cluster;
        const r = await recordComponents(() => new ClusterTarget("cluster", { config: adopt, stack: "test" }));
        const provider = r.recording.resources.find((x) => x.name === "cluster-k8s")!;
        expect(provider.inputs["upsertExistingObjects"]).to.equal("true");
        expect(testConfig().cluster.adoptExistingObjects).to.equal(false);
    });
});
