/**
 * Tier 2: the HyphaWorker component under the SDK's mocks. Every render goes through
 * `renderWorker`, which validates each object against the Kubernetes schema and runs every
 * policy as mandatory.
 */
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { stackSecretsBlocks } from "../../components/config";
import { HyphaWorker, resolveHyphaWorkerArgs } from "../../components/hypha-worker";
import type { HyphaWorkerConfig } from "../../components/hypha-worker/schema";
import { namespaceBlock } from "../../components/namespace/schema";
import { keyVaultReaders } from "../../components/secrets";
import { recordComponents } from "../helpers/record";
import { REDACTED } from "../../tools/render/wire";
import { API_SERVER, renderWorker, workerArgs, workerConfig } from "./worker-args";

const containerOf = (r: { object(kind: string): unknown }): any => (r.object("Deployment") as any).spec.template.spec.containers[0];
const envOf = (r: { object(kind: string): unknown }): Record<string, unknown> =>
    Object.fromEntries(containerOf(r).env.map((e: any) => [e.name, e.value ?? e.valueFrom]));

const CLIENT = "11111111-2222-3333-4444-555555555555";
const VAULT = "https://agents-kv.vault.azure.net/";

describe("HyphaWorker", () => {
    it("creates the worker in its namespace and the jobs' objects in the jobs namespace, all through the given provider", async () => {
        const r = await renderWorker(workerArgs());
        expect(r.objects.map((o) => `${o.kind}/${o.metadata.namespace ?? "-"}/${o.metadata.name}`).sort()).to.deep.equal([
            "Deployment/agents/hypha-k8s-worker",
            "LimitRange/hypha-jobs/hypha-k8s-worker-jobs",
            "Namespace/-/hypha-jobs",
            "NetworkPolicy/agents/hypha-k8s-worker",
            "ResourceQuota/hypha-jobs/hypha-k8s-worker-jobs",
            "Role/hypha-jobs/hypha-k8s-worker",
            "RoleBinding/hypha-jobs/hypha-k8s-worker",
            "ServiceAccount/agents/hypha-k8s-worker",
        ]);
        for (const resource of r.recording.resources.filter((x) => x.type.startsWith("kubernetes:"))) {
            expect(resource.provider, resource.urn).to.match(/::test-k8s::/);
        }
    });

    it("names every child after the component and parents it there", async () => {
        const r = await renderWorker(workerArgs());
        const component = r.recording.resources.find((x) => x.type === "agent-platform:hypha-worker:HyphaWorker")!;
        const children = r.recording.resources.filter((x) => x.parent === component.urn).map((x) => x.name);
        expect(children.sort()).to.deep.equal([
            "hypha-deployment",
            "hypha-jobs-limits",
            "hypha-jobs-namespace",
            "hypha-jobs-quota",
            "hypha-network-policy",
            "hypha-role",
            "hypha-rolebinding",
            "hypha-secrets",
            "hypha-serviceaccount",
        ]);
    });

    it("sets the seed's environment from config and the token from hypha-secrets/HYPHA_AGENTS_TOKEN", async () => {
        const r = await renderWorker(workerArgs());
        expect(envOf(r)).to.deep.equal({
            HYPHA_SERVER_URL: "http://hypha-server.hypha.svc.cluster.local:9520",
            HYPHA_WORKSPACE: "hypha-agents",
            HYPHA_SERVICE_ID: "k8s-worker",
            HYPHA_VISIBILITY: "protected",
            HYPHA_K8S_NAMESPACE: "hypha-jobs",
            HYPHA_K8S_DEFAULT_TIMEOUT: "3600",
            HYPHA_K8S_IMAGE_PULL_POLICY: "IfNotPresent",
            HYPHA_LOGLEVEL: "INFO",
            PYTHONUNBUFFERED: "1",
            HYPHA_TOKEN: { secretKeyRef: { name: "hypha-secrets", key: "HYPHA_AGENTS_TOKEN" } },
        });
    });

    it("passes every setting through: server, workspace, service, visibility, jobs namespace, timeout, pull policy, log level", async () => {
        const block = {
            hypha: { serverUrl: "https://hypha.aicell.io", workspace: "lab", serviceId: "k8s", visibility: "public", logLevel: "DEBUG" },
            jobs: { namespace: "lab-jobs", defaultTimeoutSeconds: 900, imagePullPolicy: "Always" },
        };
        const env = envOf(await renderWorker(workerArgs(block)));
        expect(env).to.deep.include({
            HYPHA_SERVER_URL: "https://hypha.aicell.io",
            HYPHA_WORKSPACE: "lab",
            HYPHA_SERVICE_ID: "k8s",
            HYPHA_VISIBILITY: "public",
            HYPHA_K8S_NAMESPACE: "lab-jobs",
            HYPHA_K8S_DEFAULT_TIMEOUT: "900",
            HYPHA_K8S_IMAGE_PULL_POLICY: "Always",
            HYPHA_LOGLEVEL: "DEBUG",
        });
    });

    it("runs one replica as the image's UID 1000, replaced rather than rolled, with a writable /tmp only and version-free pod labels", async () => {
        const r = await renderWorker(workerArgs());
        const deployment: any = r.object("Deployment");
        expect(deployment.spec.replicas).to.equal(1);
        expect(deployment.spec.strategy).to.deep.equal({ type: "Recreate" });
        const pod = deployment.spec.template.spec;
        expect(pod.securityContext).to.include({ runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, runAsNonRoot: true });
        expect(pod.volumes).to.deep.equal([{ name: "tmp", emptyDir: {} }]);
        expect(pod.imagePullSecrets).to.deep.equal([{ name: "regcred" }]);
        expect(containerOf(r).securityContext.readOnlyRootFilesystem).to.equal(true);
        expect(containerOf(r).resources).to.deep.equal({ requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "1000m", memory: "512Mi" } });
        expect(deployment.spec.template.metadata.labels).not.to.have.property("app.kubernetes.io/version");
        expect(deployment.spec.selector.matchLabels).to.deep.equal({
            "app.kubernetes.io/name": "hypha-k8s-worker",
            "app.kubernetes.io/instance": "hypha-k8s-worker",
        });
    });

    it("pulls the seed's image, through the registry override and by digest when given", async () => {
        expect(containerOf(await renderWorker(workerArgs())).image).to.equal("oeway/hypha-k8s-worker:0.1.0");
        const digest = `sha256:${"c".repeat(64)}`;
        const args = workerArgs({ image: { digest } });
        args.images = { ...args.images, registry: "acr.example.io" };
        expect(containerOf(await renderWorker(args)).image).to.equal(`acr.example.io/oeway/hypha-k8s-worker:0.1.0@${digest}`);
    });

    it("probes the connection to the server's port, ignoring the API server, with the configured timings", async () => {
        const r = await renderWorker(workerArgs({ health: { periodSeconds: 15, failureThreshold: 8, startupSeconds: 60 } }));
        const container = containerOf(r);
        for (const probe of [container.startupProbe, container.readinessProbe, container.livenessProbe]) {
            expect(probe.exec.command.slice(0, 2)).to.deep.equal(["python", "-c"]);
            expect(probe.exec.command.slice(3)).to.deep.equal(["9520", API_SERVER, "/proc/net/tcp", "/proc/net/tcp6"]);
        }
        expect(container.livenessProbe).to.deep.include({ periodSeconds: 15, failureThreshold: 8 });
        expect(container.startupProbe).to.deep.include({ periodSeconds: 5, failureThreshold: 12 });
        expect(container).not.to.have.property("ports");
    });
});

describe("HyphaWorker token", () => {
    it("managed: an auto-named immutable Secret in the worker's namespace, the value redacted everywhere", async () => {
        const r = await renderWorker(workerArgs({ secrets: { mode: "managed", hyphaToken: { value: "PLAINTEXT-WORKER-TOKEN" } } }));
        const secret: any = r.object("Secret");
        expect(secret.metadata.namespace).to.equal("agents");
        expect(secret.immutable).to.equal(true);
        expect(secret.stringData).to.deep.equal({ HYPHA_AGENTS_TOKEN: REDACTED });
        expect((envOf(r)["HYPHA_TOKEN"] as any).secretKeyRef).to.deep.equal({ name: secret.metadata.name, key: "HYPHA_AGENTS_TOKEN" });
        expect(JSON.stringify(r.recording)).not.to.contain("PLAINTEXT-");
    });

    it("existing: another Secret and key, read in place", async () => {
        const r = await renderWorker(
            workerArgs({
                secrets: { mode: "existing", existingSecret: { name: "claude-agent-workspace-token", keys: { hyphaToken: "HYPHA_WORKSPACE_TOKEN" } } },
            }),
        );
        expect(envOf(r)["HYPHA_TOKEN"]).to.deep.equal({ secretKeyRef: { name: "claude-agent-workspace-token", key: "HYPHA_WORKSPACE_TOKEN" } });
        expect(r.objects.map((o) => o.kind)).not.to.include("Secret");
    });

    it("external: from the stack's Key Vault through an ExternalSecret in the worker's namespace", async () => {
        const r = await renderWorker(workerArgs({ secrets: { mode: "external" } }, { keyVault: { vaultUrl: VAULT, clientId: CLIENT } }));
        const externalSecret: any = r.object("ExternalSecret");
        expect(externalSecret.metadata).to.deep.include({ name: "hypha-k8s-worker-secrets", namespace: "agents" });
        expect(externalSecret.spec.data).to.deep.equal([{ secretKey: "HYPHA_AGENTS_TOKEN", remoteRef: { key: "hypha-token" } }]);
        expect((r.object("SecretStore") as any).spec.provider.azurekv.vaultUrl).to.equal(VAULT);
        expect(envOf(r)["HYPHA_TOKEN"]).to.deep.equal({ secretKeyRef: { name: "hypha-k8s-worker-secrets", key: "HYPHA_AGENTS_TOKEN" } });
    });
});

describe("HyphaWorker claude-agent Secret", () => {
    it("existing (default): creates nothing and reports the name jobs read", async () => {
        let worker: HyphaWorker | undefined;
        const r = await recordComponents((provider) => (worker = new HyphaWorker("hypha", workerArgs(), { providers: [provider] })));
        expect(r.objects.map((o) => o.kind)).not.to.include("Secret");
        expect(worker!.claudeAgentSecretName).to.equal("deno-claude-code-config");
        const other = resolveHyphaWorkerArgs(workerArgs({ claudeAgent: { secrets: { mode: "existing", existingSecret: { name: "claude-keys" } } } }));
        expect(other.claudeAgentSecret).to.deep.include({ name: "claude-keys", mode: "existing" });
    });

    it("managed: a Secret with the fixed name and keys jobs reference, in the jobs namespace, values redacted and updated in place", async () => {
        const secrets = { mode: "managed", anthropicApiKey: { value: "PLAINTEXT-ANTHROPIC" }, hyphaToken: { value: "PLAINTEXT-JOB-TOKEN" } };
        const r = await renderWorker(workerArgs({ jobs: { namespace: "lab-jobs" }, claudeAgent: { secrets } }));
        const secret: any = r.object("Secret", "deno-claude-code-config");
        expect(secret.metadata.namespace).to.equal("lab-jobs");
        expect(secret.stringData).to.deep.equal({ ANTHROPIC_API_KEY: REDACTED, HYPHA_TOKEN: REDACTED });
        // Jobs read it when their pods start; a fixed name must be updatable, not replaced.
        expect(secret).not.to.have.property("immutable");
        expect(JSON.stringify(r.recording)).not.to.contain("PLAINTEXT-");
    });

    it("managed: under another name when jobs are told to use one", async () => {
        const secrets = { mode: "managed", anthropicApiKey: { value: "a" }, hyphaToken: { value: "t" } };
        const r = await renderWorker(workerArgs({ claudeAgent: { secretName: "claude-config", secrets } }));
        expect((r.object("Secret") as any).metadata.name).to.equal("claude-config");
    });

    it("external: an ExternalSecret in the jobs namespace that writes the fixed name", async () => {
        const r = await renderWorker(workerArgs({ claudeAgent: { secrets: { mode: "external" } } }, { keyVault: { vaultUrl: VAULT, clientId: CLIENT } }));
        const externalSecret: any = r.object("ExternalSecret");
        expect(externalSecret.metadata.namespace).to.equal("hypha-jobs");
        expect(externalSecret.spec.target).to.deep.equal({ name: "deno-claude-code-config", creationPolicy: "Owner", deletionPolicy: "Retain" });
        expect(externalSecret.spec.data).to.deep.equal([
            { secretKey: "ANTHROPIC_API_KEY", remoteRef: { key: "anthropic-api-key" } },
            { secretKey: "HYPHA_TOKEN", remoteRef: { key: "hypha-token" } },
        ]);
        expect((r.object("ServiceAccount", "hypha-k8s-worker-claude-agent-keyvault") as any).metadata.namespace).to.equal("hypha-jobs");
    });

    it("names every ServiceAccount the stack's Key Vault must trust, with its namespace", () => {
        const readers = (hyphaWorker: HyphaWorkerConfig) =>
            stackSecretsBlocks({ namespace: namespaceBlock.parse({ name: "agents" }), hyphaWorker }).flatMap((block) => keyVaultReaders(block.secrets, block));
        const config = workerConfig({ secrets: { mode: "external" }, claudeAgent: { secrets: { mode: "external" } } });
        expect(readers(config)).to.deep.equal([
            { namespace: "agents", serviceAccount: "hypha-k8s-worker-keyvault" },
            { namespace: "hypha-jobs", serviceAccount: "hypha-k8s-worker-claude-agent-keyvault" },
        ]);
        expect(readers(workerConfig())).to.deep.equal([]);
    });
});

describe("HyphaWorker jobs namespace guard rails", () => {
    it("creates the jobs namespace with Pod Security restricted for enforce, audit and warn", async () => {
        const labels = (await renderWorker(workerArgs())).object("Namespace", "hypha-jobs").metadata.labels!;
        for (const mode of ["enforce", "audit", "warn"]) {
            expect(labels[`pod-security.kubernetes.io/${mode}`]).to.equal("restricted");
            expect(labels[`pod-security.kubernetes.io/${mode}-version`]).to.equal("latest");
        }
    });

    it("puts the jobs' objects into the namespace it creates, so they wait for it", async () => {
        const r = await renderWorker(workerArgs());
        const namespace = r.recording.resources.find((x) => x.type === "kubernetes:core/v1:Namespace")!;
        for (const type of ["ResourceQuota", "LimitRange", "Role", "RoleBinding"]) {
            const resource = r.recording.resources.find((x) => x.type.endsWith(`:${type}`))!;
            expect(resource.dependsOn, type).to.include(namespace.urn);
        }
    });

    it("caps the namespace with the configured quota, finished Jobs counted", async () => {
        const quota = { requestsCpu: "4", requestsMemory: "8Gi", limitsCpu: "8", limitsMemory: "16Gi", pods: 10, jobs: 50 };
        const r = await renderWorker(workerArgs({ jobs: { resourceQuota: quota } }));
        expect((r.object("ResourceQuota") as any).spec.hard).to.deep.equal({
            "requests.cpu": "4",
            "requests.memory": "8Gi",
            "limits.cpu": "8",
            "limits.memory": "16Gi",
            pods: "10",
            "count/jobs.batch": "50",
        });
    });

    it("gives containers without resources a default request and limit, and caps each container", async () => {
        const r = await renderWorker(workerArgs({ jobs: { limitRange: { default: { cpu: "500m" } } } }));
        expect((r.object("LimitRange") as any).spec.limits).to.deep.equal([
            { type: "Container", defaultRequest: { cpu: "100m", memory: "128Mi" }, default: { cpu: "500m", memory: "1Gi" }, max: { cpu: "4", memory: "8Gi" } },
        ]);
    });

    it("uses an existing jobs namespace as it is, and leaves out guard rails that are turned off", async () => {
        const r = await renderWorker(
            workerArgs({ jobs: { namespace: "batch", createNamespace: false, resourceQuota: { enabled: false }, limitRange: { enabled: false } } }),
        );
        expect(r.objects.map((o) => o.kind)).not.to.include.members(["Namespace", "ResourceQuota", "LimitRange"]);
        expect((r.object("Role") as any).metadata.namespace).to.equal("batch");
    });

    it("refuses guard rails in the Hypha server's namespace, whatever the worker's namespace is", () => {
        const args = workerArgs({ jobs: { namespace: "hypha", createNamespace: false } }, { namespace: pulumi.output("agents") });
        expect(() => resolveHyphaWorkerArgs(args)).to.throw(/^hyphaWorker\.jobs\.namespace: 'hypha' is also the Hypha server's namespace/);
    });

    it("refuses guard rails in the worker's own namespace", () => {
        expect(() => resolveHyphaWorkerArgs(workerArgs({ jobs: { namespace: "agents", createNamespace: false } }))).to.throw(
            /^hyphaWorker\.jobs\.namespace: 'agents' is also the platform namespace .*\(resourceQuota, limitRange\)/,
        );
    });
});

describe("HyphaWorker network policy", () => {
    const egressOf = async (block: Record<string, unknown>, cluster: Record<string, unknown> = {}) =>
        ((await renderWorker(workerArgs(block, {}, cluster))).object("NetworkPolicy") as any).spec;

    it("admits nothing, and lets the worker reach DNS, the in-cluster Hypha server's namespace on its port and the API server", async () => {
        const spec = await egressOf({ networkPolicy: { internet: false } });
        expect(spec.policyTypes).to.deep.equal(["Ingress", "Egress"]);
        expect(spec.ingress).to.deep.equal([]);
        expect(spec.egress).to.deep.equal([
            {
                to: [
                    {
                        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
                        podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
                    },
                ],
                ports: [
                    { protocol: "UDP", port: 53 },
                    { protocol: "TCP", port: 53 },
                ],
            },
            { to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "hypha" } } }], ports: [{ protocol: "TCP", port: 9520 }] },
            {
                to: [{ ipBlock: { cidr: API_SERVER } }],
                ports: [
                    { protocol: "TCP", port: 443 },
                    { protocol: "TCP", port: 6443 },
                ],
            },
        ]);
    });

    it("reaches an external HTTPS server through the internet rule, or through a rule of its own when that is off", async () => {
        const onInternet = await egressOf({ hypha: { serverUrl: "https://hypha.aicell.io" } });
        expect(onInternet.egress.map((rule: any) => rule.ports.map((p: any) => p.port).join(","))).to.deep.equal(["53,53", "443", "443,6443"]);
        const own = await egressOf({ hypha: { serverUrl: "https://hypha.aicell.io" }, networkPolicy: { internet: false } });
        const serverRule = own.egress[1];
        expect(serverRule.to[0].ipBlock.cidr).to.equal("0.0.0.0/0");
        expect(serverRule.to[0].ipBlock.except).to.include.members(["10.0.0.0/8", "169.254.0.0/16", "10.244.0.0/16"]);
        expect(serverRule.ports).to.deep.equal([{ protocol: "TCP", port: 443 }]);
    });

    it("opens a non-HTTPS port of an external server only for the server rule", async () => {
        const spec = await egressOf({ hypha: { serverUrl: "http://hypha.example.org:8080" } });
        expect(spec.egress.map((rule: any) => rule.ports.map((p: any) => p.port).join(","))).to.deep.equal(["53,53", "8080", "443", "443,6443"]);
    });

    it("uses an explicit server peer as given, and probes its ports too", async () => {
        const serverEgress = {
            namespaceSelector: { "kubernetes.io/metadata.name": "hypha" },
            podSelector: { "app.kubernetes.io/name": "hypha-server" },
            ports: [{ port: 8000 }],
        };
        const r = await renderWorker(workerArgs({ hypha: { serverUrl: "http://hypha-server:9520", serverEgress }, networkPolicy: { internet: false } }));
        expect((r.object("NetworkPolicy") as any).spec.egress[1]).to.deep.equal({
            to: [
                {
                    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "hypha" } },
                    podSelector: { matchLabels: { "app.kubernetes.io/name": "hypha-server" } },
                },
            ],
            ports: [{ protocol: "TCP", port: 8000 }],
        });
        expect(containerOf(r).livenessProbe.exec.command[3]).to.equal("8000,9520");
    });

    it("needs no server peer and no API server address when the worker's policy is off", () => {
        const args = workerArgs({ hypha: { serverUrl: "http://hypha-server:9520" }, networkPolicy: { enabled: false } }, {}, { apiServer: { cidrs: [] } });
        expect(resolveHyphaWorkerArgs(args).serverEgress).to.deep.equal([]);
    });

    it("needs the API server's address, naming the key", () => {
        return renderWorker(workerArgs({}, {}, { apiServer: { cidrs: [] } })).then(
            () => expect.fail("rendered without the API server's address"),
            (err: Error) => expect(err.message).to.contain("networkPolicy.apiServer.cidrs: is required because hypha-k8s-worker calls the Kubernetes API"),
        );
    });

    it("creates no policy when the stack or the worker turns policies off", async () => {
        for (const [block, cluster] of [
            [{ networkPolicy: { enabled: false } }, {}],
            [{}, { enabled: false }],
        ] as const) {
            const r = await renderWorker(workerArgs(block, {}, cluster));
            expect(r.objects.map((o) => o.kind)).not.to.include("NetworkPolicy");
        }
    });
});
