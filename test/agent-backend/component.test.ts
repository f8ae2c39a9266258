/**
 * Tier 2: AgentBackend under the SDK's mocks; assertions on what the engine was asked to
 * create. Every rendered object is checked against the Kubernetes API schemas and every
 * workload against the policy pack with every policy mandatory.
 */
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { resolveAgentBackendArgs } from "../../components/agent-backend";
import { keyVaultServiceAccountName } from "../../components/secrets";
import { checkObjects, parsePolicyConfig } from "../../policies/evaluate";
import { REDACTED } from "../../tools/render/wire";
import { validateAgainstSchema } from "../helpers/kubernetes-schema";
import { Recorded } from "../helpers/record";
import { ANTHROPIC_KEY, BASE_BLOCK, DB_PASSWORD, LANGCHAIN_KEY, backendArgs, podSpecOf, recordBackend } from "./fixtures";

const names = (list: { name: string }[] | undefined) => (list ?? []).map((c) => c.name);
const STACK_PASSWORD = "stack-generated-password-0000";
const stackDatabase = (extra: Record<string, unknown> = {}) => ({
    host: pulumi.output("agent-platform-prod-mysql.mysql.database.azure.com"),
    port: 3306,
    database: pulumi.output("agentplatform"),
    username: "platformadmin",
    password: pulumi.secret(STACK_PASSWORD),
    ...extra,
});
const WITHOUT_DATABASE = { ...BASE_BLOCK, database: {}, secrets: { anthropicApiKey: { value: ANTHROPIC_KEY }, langchainApiKey: { value: LANGCHAIN_KEY } } };

async function expectValidAndCompliant(r: Recorded): Promise<void> {
    for (const object of r.objects) await validateAgainstSchema(object);
    expect(checkObjects(r.objects, parsePolicyConfig({ all: "mandatory" }))).to.deep.equal([]);
    // Known plaintext never reaches the engine: Secret data is a secret Output all the way.
    const recorded = JSON.stringify(r.recording);
    for (const secret of [DB_PASSWORD, ANTHROPIC_KEY, LANGCHAIN_KEY, STACK_PASSWORD]) expect(recorded).not.to.contain(secret);
}

describe("AgentBackend: objects", () => {
    it("creates a ServiceAccount, settings ConfigMap, Secret, Deployment, Service and NetworkPolicy, all through the provider", async () => {
        const r = await recordBackend(backendArgs());
        expect(r.objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).to.deep.equal([
            "ConfigMap/backend-settings-07418641",
            "Deployment/agent-backend",
            "NetworkPolicy/agent-backend",
            "Secret/backend-secrets-managed-f117883b",
            "Service/agent-backend",
            "ServiceAccount/agent-backend",
        ]);
        for (const resource of r.recording.resources.filter((x) => x.type.startsWith("kubernetes:")))
            expect(resource.provider, resource.urn).to.match(/::test-k8s::/);
        expect(r.recording.resources.find((x) => x.custom === false && x.name === "backend")!.type).to.equal("agent-platform:agent-backend:AgentBackend");
        await expectValidAndCompliant(r);
    });

    it("every configuration renders schema-valid objects that pass every policy as mandatory", async () => {
        const variants = [
            backendArgs({ migrations: { mode: "job" } }),
            backendArgs({}, { database: stackDatabase() }, WITHOUT_DATABASE),
            backendArgs({
                initContainers: [
                    { name: "fetch-ca", image: "busybox:1.37", command: ["sh", "-c", "true"], volumeMounts: [{ name: "certs", mountPath: "/certs" }] },
                ],
                extraVolumes: [
                    { name: "certs", emptyDir: { sizeLimit: "10Mi" } },
                    { name: "kv", csi: { driver: "secrets-store.csi.k8s.io", readOnly: true } },
                ],
                extraVolumeMounts: [{ name: "certs", mountPath: "/etc/ssl/custom", readOnly: true }],
                extraEnvVars: [{ name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }],
                service: {
                    type: "LoadBalancer",
                    nodePort: 30080,
                    extraPorts: [{ name: "admin", port: 8080, targetPort: 8080 }],
                    loadBalancerSourceRanges: ["203.0.113.0/24"],
                },
                startupProbe: { enabled: true },
                scheduling: {
                    podAntiAffinity: "required",
                    requiredNodeAffinity: [{ key: "agentpool", operator: "In", values: ["workloads"] }],
                    tolerations: [{ key: "dedicated", operator: "Exists" }],
                },
                ingress: { enabled: true, host: "ai.{domain}", extraHosts: [{ host: "mcp.{domain}" }], tls: { enabled: true } },
            }),
            backendArgs(
                { secrets: { mode: "external", databasePassword: undefined, anthropicApiKey: undefined, langchainApiKey: undefined } },
                { keyVault: { vaultUrl: "https://kv.vault.azure.net/", clientId: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee" } },
            ),
        ];
        for (const args of variants) await expectValidAndCompliant(await recordBackend(args));
    });
});

describe("AgentBackend: pods", () => {
    it("runs your init containers, then the MySQL wait, then the migration, then the backend", async () => {
        const r = await recordBackend(backendArgs({ initContainers: [{ name: "fetch-ca", image: "busybox:1.37" }] }));
        const pod = podSpecOf(r.object("Deployment"));
        expect(names(pod.initContainers)).to.deep.equal(["fetch-ca", "wait-for-mysql", "db-migration"]);
        expect(names(pod.containers)).to.deep.equal(["agent-backend"]);
        const [, wait, migration] = pod.initContainers;
        expect(wait.image).to.equal("mysql:9");
        expect(wait.command.slice(0, 2)).to.deep.equal(["sh", "-c"]);
        expect(migration).to.deep.include({ image: "cr.seqera.io/private/nf-tower-enterprise/agent-backend:0.1.0", command: ["./init.sh"] });
        expect(migration.resources).to.deep.equal({ requests: { cpu: "500m", memory: "50Mi" }, limits: { memory: "100Mi" } });
    });

    it("the chart's toggles: no MySQL wait when the dependencies or the wait are off; the migration stays", async () => {
        for (const toggle of [{ enabled: false }, { waitForMySQL: { enabled: false } }]) {
            const r = await recordBackend(backendArgs({ initContainerDependencies: toggle }));
            expect(names(podSpecOf(r.object("Deployment")).initContainers)).to.deep.equal(["db-migration"]);
        }
    });

    it("hardens every container, init containers included: UID 101, read-only root, no escalation, drop ALL, seccomp", async () => {
        const r = await recordBackend(backendArgs({ initContainers: [{ name: "fetch-ca", image: "busybox:1.37" }] }));
        const pod = podSpecOf(r.object("Deployment"));
        expect(pod.securityContext).to.deep.include({ runAsNonRoot: true, runAsUser: 101, fsGroup: 101, seccompProfile: { type: "RuntimeDefault" } });
        for (const container of [...pod.initContainers, ...pod.containers]) {
            expect(container.securityContext, container.name).to.deep.include({
                runAsNonRoot: true,
                runAsUser: 101,
                readOnlyRootFilesystem: true,
                allowPrivilegeEscalation: false,
                capabilities: { drop: ["ALL"] },
                seccompProfile: { type: "RuntimeDefault" },
            });
            expect(container.volumeMounts, container.name).to.deep.include({ name: "tmp", mountPath: "/tmp" });
        }
        expect(pod.volumes).to.deep.equal([{ name: "tmp", emptyDir: {} }]);
        expect(pod.automountServiceAccountToken).to.equal(false);
    });

    it("the backend: port 8002 named http, /health probes with the chart's timings, startup probe only when enabled", async () => {
        const r = await recordBackend(backendArgs());
        const backend = podSpecOf(r.object("Deployment")).containers[0];
        expect(backend.ports).to.deep.equal([{ name: "http", containerPort: 8002, protocol: "TCP" }]);
        expect(backend.readinessProbe).to.deep.equal({
            httpGet: { path: "/health", port: "http" },
            initialDelaySeconds: 5,
            periodSeconds: 5,
            timeoutSeconds: 3,
            failureThreshold: 5,
            successThreshold: 1,
        });
        expect(backend.livenessProbe).to.deep.equal({
            httpGet: { path: "/health", port: "http" },
            initialDelaySeconds: 5,
            periodSeconds: 10,
            timeoutSeconds: 3,
            failureThreshold: 10,
            successThreshold: 1,
        });
        expect(backend).not.to.have.property("startupProbe");
        const started = podSpecOf((await recordBackend(backendArgs({ startupProbe: { enabled: true } }))).object("Deployment")).containers[0];
        expect(started.startupProbe).to.deep.include({ initialDelaySeconds: 5, periodSeconds: 10, failureThreshold: 5 });
    });

    it("env: the three credentials from the Secret (never optional), settings and your ConfigMaps/Secrets by envFrom, your variables last", async () => {
        const r = await recordBackend(
            backendArgs({
                extraEnvVars: [{ name: "HTTP_PROXY", value: "http://proxy:3128" }],
                extraEnvVarsCMs: ["tuning"],
                extraEnvVarsSecrets: ["more-keys"],
            }),
        );
        const secret = r.object("Secret").metadata.name;
        const settings = r.object("ConfigMap").metadata.name;
        const backend = podSpecOf(r.object("Deployment")).containers[0];
        expect(backend.env).to.deep.equal([
            { name: "AGENT_BACKEND_DB_PASSWORD", valueFrom: { secretKeyRef: { name: secret, key: "AGENT_BACKEND_DB_PASSWORD" } } },
            { name: "ANTHROPIC_API_KEY", valueFrom: { secretKeyRef: { name: secret, key: "ANTHROPIC_API_KEY" } } },
            { name: "LANGCHAIN_API_KEY", valueFrom: { secretKeyRef: { name: secret, key: "LANGCHAIN_API_KEY" } } },
            { name: "HTTP_PROXY", value: "http://proxy:3128" },
        ]);
        expect(backend.envFrom).to.deep.equal([
            { configMapRef: { name: settings } },
            { configMapRef: { name: "tuning" } },
            { secretRef: { name: "more-keys" } },
        ]);
        // The wait and the migration get the database password only.
        for (const init of podSpecOf(r.object("Deployment")).initContainers) {
            expect(
                init.env.filter((e: any) => e.valueFrom).map((e: any) => e.name),
                init.name,
            ).to.deep.equal(["AGENT_BACKEND_DB_PASSWORD"]);
        }
    });

    it("settings in an auto-named, immutable ConfigMap that is replaced on change (so pods roll); no secret in it", async () => {
        const r = await recordBackend(backendArgs());
        const configMap: any = r.object("ConfigMap");
        expect(configMap.immutable).to.equal(true);
        expect(configMap.data).to.deep.equal({
            AGENT_BACKEND_PORT: "8002",
            SEQERA_PLATFORM_API_URL: "https://example.com/api",
            SEQERA_MCP_URL: "https://mcp.example.com/mcp",
            ANTHROPIC_MODEL: "claude-sonnet-4-20250514",
            AGENT_BACKEND_DB_HOST: "mysql.example.internal",
            AGENT_BACKEND_DB_PORT: "3306",
            AGENT_BACKEND_DB_NAME: "agent_backend",
            AGENT_BACKEND_DB_USER: "agent_backend",
            ENVIRONMENT: "production",
            LOG_LEVEL: "INFO",
        });
        const recorded = r.recording.resources.find((x) => x.type === "kubernetes:core/v1:ConfigMap")!;
        expect((recorded.inputs as any).metadata).not.to.have.property("name");
        expect(recorded.replaceOnChanges).to.include("data");
        const secret = r.recording.resources.find((x) => x.type === "kubernetes:core/v1:Secret")!;
        expect(secret.secretDataKeys).to.deep.equal({ stringData: ["AGENT_BACKEND_DB_PASSWORD", "ANTHROPIC_API_KEY", "LANGCHAIN_API_KEY"] });
        expect((secret.inputs as any).stringData).to.equal(REDACTED);
        expect((secret.inputs as any).immutable).to.equal(true);
    });

    it("existing Secrets are read in place with their keys, never copied", async () => {
        const r = await recordBackend(
            backendArgs({
                secrets: {
                    databasePassword: { value: undefined, existingSecret: { name: "mysql-credentials", key: "password" } },
                    anthropicApiKey: { value: undefined, existingSecret: { name: "llm-keys" } },
                    langchainApiKey: { value: undefined, existingSecret: { name: "llm-keys" } },
                },
            }),
        );
        expect(r.objects.map((o) => o.kind)).not.to.include("Secret");
        const env = podSpecOf(r.object("Deployment")).containers[0].env;
        expect(env.map((e: any) => e.valueFrom.secretKeyRef)).to.deep.equal([
            { name: "mysql-credentials", key: "password" },
            { name: "llm-keys", key: "ANTHROPIC_API_KEY" },
            { name: "llm-keys", key: "LANGCHAIN_API_KEY" },
        ]);
    });

    it("pull Secrets: the platform's first, then the backend's and the wait image's, added and never replacing", async () => {
        const r = await recordBackend(
            backendArgs(
                {
                    image: { pullSecrets: ["seqera-cr", "platform-pull"] },
                    initContainerDependencies: { waitForMySQL: { image: { pullSecrets: ["mirror"] } } },
                    serviceAccount: { imagePullSecretNames: ["sa-pull"] },
                },
                { images: { pullSecrets: ["platform-pull", "platform-credentials-1a2b3c4d"] } },
            ),
        );
        expect(podSpecOf(r.object("Deployment")).imagePullSecrets).to.deep.equal([
            { name: "platform-pull" },
            { name: "platform-credentials-1a2b3c4d" },
            { name: "seqera-cr" },
            { name: "mirror" },
        ]);
        expect((r.object("ServiceAccount") as any).imagePullSecrets).to.deep.equal([{ name: "sa-pull" }]);
    });

    it("images: a registry override, per-image registries and digests", async () => {
        const digest = `sha256:${"a".repeat(64)}`;
        const r = await recordBackend(
            backendArgs(
                { image: { registry: undefined, digest }, initContainerDependencies: { waitForMySQL: { image: { registry: "docker.io/library" } } } },
                { images: { registry: "acr.example.io", pullSecrets: [] } },
            ),
        );
        const pod = podSpecOf(r.object("Deployment"));
        expect(pod.containers[0].image).to.equal(`acr.example.io/private/nf-tower-enterprise/agent-backend:0.1.0@${digest}`);
        expect(pod.initContainers[0].image).to.equal("docker.io/library/mysql:9");
        expect(pod).not.to.have.property("imagePullSecrets");
    });
});

describe("AgentBackend: labels, Service, ServiceAccount", () => {
    it("selects on name and instance; pod labels carry no version and your labels never override the identity", async () => {
        const r = await recordBackend(
            backendArgs({ name: "blue", podLabels: { "app.kubernetes.io/name": "hijack", team: "ai" }, podAnnotations: { note: "x" } }),
        );
        const deployment: any = r.object("Deployment", "blue");
        const selector = { "app.kubernetes.io/name": "agent-backend", "app.kubernetes.io/instance": "blue" };
        expect(deployment.spec.selector).to.deep.equal({ matchLabels: selector });
        expect((r.object("Service", "blue") as any).spec.selector).to.deep.equal(selector);
        const labels = deployment.spec.template.metadata.labels;
        expect(labels).to.deep.include({ ...selector, team: "ai" });
        expect(labels).not.to.have.property("app.kubernetes.io/version");
        expect(deployment.metadata.labels["app.kubernetes.io/version"]).to.equal("0.1.0");
        expect(deployment.spec.template.metadata.annotations).to.deep.equal({ note: "x" });
    });

    it("common labels and annotations on every object and pod; Secret and ConfigMap extras only on those", async () => {
        const r = await recordBackend(
            backendArgs({
                commonLabels: { team: "ai" },
                commonAnnotations: { owner: "platform" },
                secretLabels: { rotation: "manual" },
                secretAnnotations: { vault: "none" },
                configMapLabels: { settings: "yes" },
                configMapAnnotations: { reload: "no" },
                ingress: { enabled: true, host: "ai.{domain}" },
            }),
        );
        for (const object of r.objects) {
            expect(object.metadata.labels, object.kind).to.deep.include({ team: "ai", "app.kubernetes.io/name": "agent-backend" });
            expect(object.metadata.annotations, object.kind).to.deep.include({ owner: "platform" });
            expect(object.metadata.labels!["rotation"] !== undefined, object.kind).to.equal(object.kind === "Secret");
            expect(object.metadata.labels!["settings"] !== undefined, object.kind).to.equal(object.kind === "ConfigMap");
        }
        expect(r.object("Secret").metadata.annotations).to.deep.equal({ owner: "platform", vault: "none" });
        expect(r.object("ConfigMap").metadata.annotations).to.deep.equal({ owner: "platform", reload: "no" });
        expect((r.object("Deployment") as any).spec.template.metadata.labels).to.include({ team: "ai" });
    });

    it("Service: type, port 80 to the named container port, node ports only where they apply, extra ports", async () => {
        const r = await recordBackend(
            backendArgs({
                service: {
                    type: "NodePort",
                    nodePort: 30080,
                    extraPorts: [{ name: "admin", port: 8080, targetPort: "http", nodePort: 30081 }],
                    annotations: { a: "b" },
                },
            }),
        );
        const service: any = r.object("Service");
        expect(service.spec.type).to.equal("NodePort");
        expect(service.spec.ports).to.deep.equal([
            { name: "http", port: 80, targetPort: "http", protocol: "TCP", nodePort: 30080 },
            { name: "admin", port: 8080, targetPort: "http", protocol: "TCP", nodePort: 30081 },
        ]);
        expect(service.metadata.annotations).to.deep.equal({ a: "b" });
    });

    it("uses an existing ServiceAccount by name without creating one; a token only when asked", async () => {
        const r = await recordBackend(backendArgs({ serviceAccount: { name: "shared-sa", automountServiceAccountToken: true } }));
        expect(r.objects.map((o) => o.kind)).not.to.include("ServiceAccount");
        const pod = podSpecOf(r.object("Deployment"));
        expect(pod.serviceAccountName).to.equal("shared-sa");
        expect(pod.automountServiceAccountToken).to.equal(true);
    });
});

describe("AgentBackend: the stack's MySQL", () => {
    it("fills the database settings from the stack and keeps its password in a Secret this stack owns", async () => {
        const r = await recordBackend(backendArgs({}, { database: stackDatabase() }, WITHOUT_DATABASE));
        expect((r.object("ConfigMap") as any).data).to.deep.include({
            AGENT_BACKEND_DB_HOST: "agent-platform-prod-mysql.mysql.database.azure.com",
            AGENT_BACKEND_DB_PORT: "3306",
            AGENT_BACKEND_DB_NAME: "agentplatform",
            AGENT_BACKEND_DB_USER: "platformadmin",
        });
        const secrets = r.recording.resources.filter((x) => x.type === "kubernetes:core/v1:Secret");
        expect(secrets.map((s) => [s.name, s.secretDataKeys])).to.deep.equal([
            ["backend-secrets-managed", { stringData: ["ANTHROPIC_API_KEY", "LANGCHAIN_API_KEY"] }],
            ["backend-database-secrets-managed", { stringData: ["AGENT_BACKEND_DB_PASSWORD"] }],
        ]);
        const databaseSecret = r.objects.find((o) => o.kind === "Secret" && o.metadata.name!.startsWith("backend-database-secrets"))!;
        for (const container of [...podSpecOf(r.object("Deployment")).initContainers, ...podSpecOf(r.object("Deployment")).containers]) {
            const password = container.env.find((e: any) => e.name === "AGENT_BACKEND_DB_PASSWORD");
            expect(password.valueFrom.secretKeyRef, container.name).to.deep.equal({ name: databaseSecret.metadata.name, key: "AGENT_BACKEND_DB_PASSWORD" });
        }
        await expectValidAndCompliant(r);
    });

    it("lets the block's own settings and password win over the stack's", async () => {
        const r = await recordBackend(backendArgs({}, { database: stackDatabase() }));
        expect((r.object("ConfigMap") as any).data).to.deep.include({
            AGENT_BACKEND_DB_HOST: "mysql.example.internal",
            AGENT_BACKEND_DB_USER: "agent_backend",
        });
        expect(r.objects.filter((o) => o.kind === "Secret")).to.have.length(1);
    });

    it("network policy: the server's address when the platform knows it, otherwise public addresses on its port only", async () => {
        const egressTo = (r: Recorded) => (r.object("NetworkPolicy") as any).spec.egress.find((rule: any) => rule.ports.some((p: any) => p.port === 3306));
        const known = await recordBackend(
            backendArgs({}, { database: stackDatabase({ egress: { cidr: "10.30.1.0/28", ports: [{ port: 3306 }] } }) }, WITHOUT_DATABASE),
        );
        expect(egressTo(known).to).to.deep.equal([{ ipBlock: { cidr: "10.30.1.0/28" } }]);
        const unknown = await recordBackend(backendArgs({}, { database: stackDatabase() }, WITHOUT_DATABASE));
        expect(egressTo(unknown)).to.deep.equal({
            to: [
                {
                    ipBlock: {
                        cidr: "0.0.0.0/0",
                        except: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10", "10.244.0.0/16", "10.0.0.0/16"],
                    },
                },
            ],
            ports: [{ protocol: "TCP", port: 3306 }],
        });
    });

    it("without the stack's MySQL, the chart's requirement checks fail the component naming the keys", () => {
        expect(() => resolveAgentBackendArgs(backendArgs({}, {}, WITHOUT_DATABASE))).to.throw(
            "agentBackend.database.host: is required: the MySQL host name (or let the stack create Azure MySQL: `azure.mysql.enabled`)",
        );
    });
});

describe("AgentBackend: the network policy and ingress", () => {
    it("egress to MySQL, DNS and HTTPS on the internet; ingress from the ingress controller on 8002 only", async () => {
        const policy: any = (await recordBackend(backendArgs())).object("NetworkPolicy");
        expect(policy.spec.podSelector).to.deep.equal({
            matchLabels: { "app.kubernetes.io/name": "agent-backend", "app.kubernetes.io/instance": "agent-backend" },
        });
        expect(policy.spec.ingress).to.deep.equal([
            { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }], ports: [{ protocol: "TCP", port: 8002 }] },
        ]);
        const egress = policy.spec.egress.map((rule: any) => [
            rule.to.map((t: any) => t.ipBlock?.cidr ?? Object.keys(t).join("+")).join(","),
            rule.ports.map((p: any) => `${p.protocol}/${p.port}`).join(","),
        ]);
        expect(egress).to.deep.equal([
            ["namespaceSelector+podSelector", "UDP/53,TCP/53"],
            ["10.20.0.0/24", "TCP/3306"],
            ["0.0.0.0/0", "TCP/443"],
        ]);
    });

    it("an IPv4 database host is its own /32; an in-cluster MySQL by selectors", async () => {
        const ip: any = (await recordBackend(backendArgs({ database: { host: "10.20.0.5", cidr: undefined } }))).object("NetworkPolicy");
        expect(ip.spec.egress[1].to).to.deep.equal([{ ipBlock: { cidr: "10.20.0.5/32" } }]);
        const incluster: any = (
            await recordBackend(
                backendArgs({ database: { host: "mysql.db.svc", cidr: undefined, namespaceSelector: { "kubernetes.io/metadata.name": "db" } } }),
            )
        ).object("NetworkPolicy");
        expect(incluster.spec.egress[1].to).to.deep.equal([{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "db" } } }]);
    });

    it("no policy when the stack or the backend turns policies off", async () => {
        const off = await recordBackend(backendArgs({ networkPolicy: { enabled: false } }));
        expect(off.objects.map((o) => o.kind)).not.to.include("NetworkPolicy");
        const args = backendArgs();
        const clusterOff = await recordBackend({ ...args, networkPolicy: { ...args.networkPolicy, enabled: false } });
        expect(clusterOff.objects.map((o) => o.kind)).not.to.include("NetworkPolicy");
    });

    it("ingress hosts from the platform domain (ai.<domain>, mcp.<domain>) to the Service port", async () => {
        const r = await recordBackend(
            backendArgs(
                { ingress: { enabled: true, host: "ai.{domain}", extraHosts: [{ host: "mcp.{domain}" }], className: "nginx", tls: { enabled: true } } },
                { platformDomain: "seqera.example.org" },
            ),
        );
        const ingress: any = r.object("Ingress");
        expect(ingress.spec.rules.map((rule: any) => rule.host)).to.deep.equal(["ai.seqera.example.org", "mcp.seqera.example.org"]);
        expect(ingress.spec.rules[0].http.paths[0].backend).to.deep.equal({ service: { name: "agent-backend", port: { number: 80 } } });
        expect(ingress.spec.tls).to.deep.equal([{ hosts: ["ai.seqera.example.org", "mcp.seqera.example.org"], secretName: "agent-backend-tls" }]);
    });
});

describe("AgentBackend: migrations as a Job", () => {
    it("runs the migration once per image version in a Job the Deployment waits for", async () => {
        const r = await recordBackend(backendArgs({ migrations: { mode: "job" } }));
        const job: any = r.object("Job");
        expect(job.metadata.name).to.match(/^agent-backend-migrate-[0-9a-f]{10}$/);
        const pod = job.spec.template.spec;
        expect(names(pod.initContainers)).to.deep.equal(["wait-for-mysql"]);
        expect(names(pod.containers)).to.deep.equal(["db-migration"]);
        expect(pod.restartPolicy).to.equal("Never");
        expect(job.spec).to.deep.include({ backoffLimit: 2, activeDeadlineSeconds: 1800 });
        expect(names(podSpecOf(r.object("Deployment")).initContainers)).to.deep.equal(["wait-for-mysql"]);
        const jobResource = r.recording.resources.find((x) => x.type === "kubernetes:batch/v1:Job")!;
        const deploymentResource = r.recording.resources.find((x) => x.type === "kubernetes:apps/v1:Deployment")!;
        expect(deploymentResource.dependsOn).to.include(jobResource.urn);
    });

    it("a new image is a new Job; the same image keeps its Job", async () => {
        const name = async (block: Record<string, unknown>) =>
            (await recordBackend(backendArgs({ migrations: { mode: "job" }, ...block }))).object("Job").metadata.name;
        const first = await name({});
        expect(await name({ logLevel: "DEBUG" })).to.equal(first);
        expect(await name({ image: { tag: "0.1.1" } })).not.to.equal(first);
    });

    it("the Job's pods are not the Service's endpoints and only reach DNS and MySQL", async () => {
        const r = await recordBackend(backendArgs({ migrations: { mode: "job" } }));
        const podLabels = (r.object("Job") as any).spec.template.metadata.labels;
        const selector = (r.object("Service") as any).spec.selector;
        expect(Object.entries(selector).every(([k, v]) => podLabels[k] === v)).to.equal(false);
        const policy: any = r.object("NetworkPolicy", "agent-backend-migration");
        expect(policy.spec.podSelector.matchLabels).to.deep.equal({
            "app.kubernetes.io/name": "agent-backend",
            "app.kubernetes.io/instance": "agent-backend-migration",
        });
        expect(policy.spec.ingress).to.deep.equal([]);
        expect(policy.spec.egress.map((rule: any) => rule.ports.map((p: any) => p.port))).to.deep.equal([[53, 53], [3306]]);
    });
});

describe("AgentBackend: Key Vault", () => {
    it("external mode takes the stack's vault and names the ServiceAccount to federate", async () => {
        const block = { secrets: { mode: "external", databasePassword: undefined, anthropicApiKey: undefined, langchainApiKey: undefined } };
        const args = backendArgs(block, { keyVault: { vaultUrl: "https://kv.vault.azure.net/", clientId: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee" } });
        const r = await recordBackend(args);
        const external: any = r.object("ExternalSecret");
        expect(external.spec.data.map((d: any) => [d.secretKey, d.remoteRef.key])).to.deep.equal([
            ["AGENT_BACKEND_DB_PASSWORD", "database-password"],
            ["ANTHROPIC_API_KEY", "anthropic-api-key"],
            ["LANGCHAIN_API_KEY", "langchain-api-key"],
        ]);
        expect((r.object("SecretStore") as any).spec.provider.azurekv.vaultUrl).to.equal("https://kv.vault.azure.net/");
        expect(keyVaultServiceAccountName(args.config.secrets, args.config.name)).to.equal("agent-backend-keyvault");
        expect(r.object("ServiceAccount", "agent-backend-keyvault").metadata.annotations).to.deep.include({
            "azure.workload.identity/client-id": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
        });
    });
});

describe("AgentBackend: the stack's generated password through the stack's Key Vault", () => {
    const VAULT = { vaultUrl: "https://ap-prod-kv.vault.azure.net/", clientId: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee" };
    const EXTERNAL = { ...WITHOUT_DATABASE, secrets: { mode: "external" } };
    const registry = { registries: ["cr.seqera.io"], secretName: pulumi.output("agent-platform-registry-credentials-keyvault") };

    it("reads the password the stack wrote into the vault with its other values: one ExternalSecret, no Secret of its own", async () => {
        const args = backendArgs(
            { migrations: { mode: "job" } },
            { database: stackDatabase({ passwordRemoteKey: "database-password" }), keyVault: VAULT },
            EXTERNAL,
        );
        expect(resolveAgentBackendArgs(args).passwordFromVault).to.equal(true);
        const r = await recordBackend(args);
        expect(r.objects.filter((o) => o.kind === "Secret")).to.deep.equal([]);
        const es: any = r.object("ExternalSecret");
        expect(es.spec.data.map((d: any) => [d.secretKey, d.remoteRef.key])).to.deep.equal([
            ["AGENT_BACKEND_DB_PASSWORD", "database-password"],
            ["ANTHROPIC_API_KEY", "anthropic-api-key"],
            ["LANGCHAIN_API_KEY", "langchain-api-key"],
        ]);
        for (const kind of ["Deployment", "Job"]) {
            const password = podSpecOf(r.object(kind))
                .containers.flatMap((c: any) => c.env ?? [])
                .find((e: any) => e.name === "AGENT_BACKEND_DB_PASSWORD");
            expect(password.valueFrom.secretKeyRef, kind).to.deep.equal({ name: "agent-backend-secrets", key: "AGENT_BACKEND_DB_PASSWORD" });
        }
        await expectValidAndCompliant(r);
    });

    it("keeps its own Secret for the password without the vault (or with a password source of its own)", () => {
        expect(
            resolveAgentBackendArgs(backendArgs({}, { database: stackDatabase({ passwordRemoteKey: "database-password" }) }, WITHOUT_DATABASE))
                .passwordFromVault,
        ).to.equal(false);
        const own = backendArgs(
            { secrets: { databasePassword: { remoteKey: "mine" } } },
            { database: stackDatabase({ passwordRemoteKey: "database-password" }), keyVault: VAULT },
            EXTERNAL,
        );
        const resolved = resolveAgentBackendArgs(own);
        expect([resolved.passwordFromVault, resolved.database.passwordFromStack, resolved.secrets.values.databasePassword]).to.deep.equal([
            false,
            false,
            { remoteKey: "mine" },
        ]);
    });

    it("pulls its image and runs its migration with the registry's login; Reloader rolls it when the synced Secret changes", async () => {
        const args = backendArgs(
            { migrations: { mode: "job" } },
            {
                database: stackDatabase({ passwordRemoteKey: "database-password" }),
                keyVault: VAULT,
                images: { pullSecrets: ["platform-pull"], registryPullSecrets: [registry] },
            },
            EXTERNAL,
        );
        const r = await recordBackend(args);
        for (const kind of ["Deployment", "Job"]) {
            expect(podSpecOf(r.object(kind)).imagePullSecrets, kind).to.deep.equal([
                { name: "platform-pull" },
                { name: "agent-platform-registry-credentials-keyvault" },
            ]);
        }
        expect(r.object("Deployment").metadata.annotations).to.deep.equal({ "secret.reloader.stakater.com/reload": "agent-backend-secrets" });
        expect(r.object("Job").metadata.annotations ?? {}).not.to.have.property("secret.reloader.stakater.com/reload");
    });
});
