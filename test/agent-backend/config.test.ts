/**
 * Tier 1: the `agentBackend` block: the chart's defaults, its requirement checks as config
 * errors naming the keys, and the rules a Helm values file never checked.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { referenceRows, sensitivePathsIn, undescribedFields } from "../../components/config/introspect";
import { looksLikeCredential } from "../../components/agent-backend/pod-extras-schema";
import { StackFacts, agentBackendProblems } from "../../components/agent-backend/resolve";
import { stackProblems as stackRules } from "../../components/config/rules";
import { keyPath } from "../../components/core/problems";
import { externalVaultProblems } from "../../components/secrets/resolve";
import { AgentBackendConfig, agentBackendBlock } from "../../components/agent-backend/schema";
import { BASE_BLOCK, backendConfig, blockIssues, merge } from "./fixtures";

const NO_STACK: StackFacts = { stackDatabase: false, platformDomain: "example.com" };
const stackProblems = (config: AgentBackendConfig, facts: StackFacts = NO_STACK) =>
    agentBackendProblems(config, facts).map((p) => `${keyPath(p.path)}: ${p.message}`);

const undescribed = undescribedFields;

/** Every key of the values table of the seed chart (seeds/001, agent-backend 0.1.4). */
const CHART_VALUES_KEYS = [
    "global.platformExternalDomain",
    "global.agentBackendDomain",
    "global.mcpDomain",
    "global.imageCredentials",
    "global.imageCredentialsSecrets",
    "database.host",
    "database.port",
    "database.name",
    "database.username",
    "database.password",
    "database.existingSecretName",
    "database.existingSecretKey",
    "image.registry",
    "image.repository",
    "image.tag",
    "image.digest",
    "image.pullPolicy",
    "image.pullSecrets",
    "anthropicApiKey",
    "anthropicApiKeyExistingSecretName",
    "anthropicApiKeyExistingSecretKey",
    "langchainApiKey",
    "langchainApiKeyExistingSecretName",
    "langchainApiKeyExistingSecretKey",
    "environment",
    "logLevel",
    "anthropicModel",
    "service",
    "service.type",
    "service.http.name",
    "service.http.port",
    "service.http.targetPort",
    "service.http.nodePort",
    "service.extraServices",
    "service.extraOptions",
    "dbMigrationInitContainer.command",
    "dbMigrationInitContainer.securityContext.runAsUser",
    "dbMigrationInitContainer.securityContext.runAsNonRoot",
    "dbMigrationInitContainer.securityContext.readOnlyRootFilesystem",
    "dbMigrationInitContainer.securityContext.capabilities",
    "dbMigrationInitContainer.resources",
    "initContainers",
    "command",
    "args",
    "podLabels",
    "podAnnotations",
    "extraOptionsSpec",
    "extraOptionsTemplateSpec",
    "extraEnvVars",
    "extraEnvVarsCMs",
    "extraEnvVarsSecrets",
    "extraVolumes",
    "extraVolumeMounts",
    "podSecurityContext.enabled",
    "podSecurityContext.fsGroup",
    "containerSecurityContext.enabled",
    "containerSecurityContext.runAsUser",
    "containerSecurityContext.runAsNonRoot",
    "containerSecurityContext.readOnlyRootFilesystem",
    "containerSecurityContext.capabilities",
    "resources",
    "initContainerDependencies.enabled",
    "initContainerDependencies.waitForMySQL.enabled",
    "initContainerDependencies.waitForMySQL.image.registry",
    "initContainerDependencies.waitForMySQL.image.repository",
    "initContainerDependencies.waitForMySQL.image.tag",
    "initContainerDependencies.waitForMySQL.image.digest",
    "initContainerDependencies.waitForMySQL.image.pullPolicy",
    "initContainerDependencies.waitForMySQL.securityContext.runAsUser",
    "initContainerDependencies.waitForMySQL.securityContext.runAsNonRoot",
    "initContainerDependencies.waitForMySQL.securityContext.readOnlyRootFilesystem",
    "initContainerDependencies.waitForMySQL.securityContext.capabilities",
    "initContainerDependencies.waitForMySQL.resources",
    "startupProbe.enabled",
    "startupProbe.httpGet.path",
    "startupProbe.httpGet.port",
    "startupProbe.initialDelaySeconds",
    "startupProbe.periodSeconds",
    "startupProbe.timeoutSeconds",
    "startupProbe.failureThreshold",
    "startupProbe.successThreshold",
    "readinessProbe.enabled",
    "readinessProbe.httpGet.path",
    "readinessProbe.httpGet.port",
    "readinessProbe.initialDelaySeconds",
    "readinessProbe.periodSeconds",
    "readinessProbe.timeoutSeconds",
    "readinessProbe.failureThreshold",
    "readinessProbe.successThreshold",
    "livenessProbe.enabled",
    "livenessProbe.httpGet.path",
    "livenessProbe.httpGet.port",
    "livenessProbe.initialDelaySeconds",
    "livenessProbe.periodSeconds",
    "livenessProbe.timeoutSeconds",
    "livenessProbe.failureThreshold",
    "livenessProbe.successThreshold",
    "serviceAccount",
    "serviceAccount.name",
    "serviceAccount.annotations",
    "serviceAccount.imagePullSecretNames",
    "serviceAccount.automountServiceAccountToken",
    "ingress.enabled",
    "ingress.path",
    "ingress.defaultPathType",
    "ingress.defaultBackend",
    "ingress.extraHosts",
    "ingress.annotations",
    "ingress.extraLabels",
    "ingress.ingressClassName",
    "ingress.tls",
    "extraDeploy",
    "commonAnnotations",
    "commonLabels",
    "secretLabels",
    "secretAnnotations",
    "configMapLabels",
    "configMapAnnotations",
];

describe("agentBackend block: the chart's defaults", () => {
    const config = backendConfig();

    it("an absent block is valid: the backend off, its values in the chart's own Secret", () => {
        const absent = agentBackendBlock.parse({});
        expect(absent.enabled).to.equal(false);
        expect(absent.secrets).to.deep.equal({ mode: "existing", existingSecret: { name: "agent-backend", keys: {} }, values: {} });
        expect(stackRules({ agentBackend: absent })).to.deep.equal([]);
    });

    it("images: the backend at the chart's app version, the MySQL wait on mysql:9, IfNotPresent", () => {
        expect(config.image).to.deep.include({
            repository: "private/nf-tower-enterprise/agent-backend",
            tag: "0.1.0",
            pullPolicy: "IfNotPresent",
            pullSecrets: [],
        });
        expect(config.initContainerDependencies.waitForMySQL.image).to.deep.include({ repository: "mysql", tag: "9", pullPolicy: "IfNotPresent" });
    });

    it("port 8002 behind a ClusterIP Service on 80; the model, environment and log level", () => {
        expect(config.containerPort).to.equal(8002);
        expect(config.service).to.deep.include({ type: "ClusterIP", port: 80, portName: "http", extraPorts: [] });
        expect([config.anthropicModel, config.environment, config.logLevel]).to.deep.equal(["claude-sonnet-4-20250514", "production", "INFO"]);
        expect([config.platformApiUrl, config.mcpUrl]).to.deep.equal(["https://{domain}/api", "https://mcp.{domain}/mcp"]);
        expect(config.database.port).to.equal(3306);
    });

    it("probes on /health: startup off (5/10/3/5), readiness 5/5/3/5, liveness 5/10/3/10", () => {
        const timings = (p: AgentBackendConfig["readinessProbe"]) => [
            p.enabled,
            p.path,
            p.initialDelaySeconds,
            p.periodSeconds,
            p.timeoutSeconds,
            p.failureThreshold,
        ];
        expect(timings(config.startupProbe)).to.deep.equal([false, "/health", 5, 10, 3, 5]);
        expect(timings(config.readinessProbe)).to.deep.equal([true, "/health", 5, 5, 3, 5]);
        expect(timings(config.livenessProbe)).to.deep.equal([true, "/health", 5, 10, 3, 10]);
    });

    it("init containers on with the chart's resources; migrations as init container running ./init.sh; UID/fsGroup 101", () => {
        const small = { requests: { cpu: "500m", memory: "50Mi" }, limits: { memory: "100Mi" } };
        expect(config.initContainerDependencies.enabled).to.equal(true);
        expect(config.initContainerDependencies.waitForMySQL).to.deep.include({ enabled: true, resources: small, timeoutSeconds: 300, intervalSeconds: 5 });
        expect(config.migrations).to.deep.include({ mode: "initContainer", command: ["./init.sh"], resources: small });
        expect(config.securityContext).to.deep.equal({ runAsUser: 101, runAsGroup: 101, fsGroup: 101 });
        expect(config.serviceAccount.automountServiceAccountToken).to.equal(false);
    });

    it("the Secret keys are the chart's, an existing Secret's key defaults to AGENT_BACKEND_DB_PASSWORD", () => {
        const existing = backendConfig({ secrets: { databasePassword: { value: undefined, existingSecret: { name: "mysql-credentials" } } } });
        expect(existing.secrets.values.databasePassword!.existingSecret).to.deep.equal({ name: "mysql-credentials", key: "AGENT_BACKEND_DB_PASSWORD" });
        const shared = backendConfig({
            secrets: {
                mode: "existing",
                existingSecret: { name: "agent-backend" },
                databasePassword: undefined,
                anthropicApiKey: undefined,
                langchainApiKey: undefined,
            },
        });
        expect(shared.secrets.existingSecret).to.deep.equal({ name: "agent-backend", keys: {} });
    });
});

describe("agentBackend block: the chart's requirement checks, as config errors naming the keys", () => {
    it("without the stack's MySQL: host, name, username and the password are required", () => {
        const config = backendConfig({
            database: { host: undefined, name: undefined, username: undefined, cidr: undefined },
            secrets: { databasePassword: undefined },
        });
        expect(stackProblems(config)).to.deep.equal([
            "database.host: is required: the MySQL host name (or let the stack create Azure MySQL: `azure.mysql.enabled`)",
            "database.name: is required: the MySQL database name (or let the stack create Azure MySQL: `azure.mysql.enabled`)",
            "database.username: is required: the MySQL user name (or let the stack create Azure MySQL: `azure.mysql.enabled`)",
            "secrets.databasePassword: is required: set `databasePassword.value` (with `pulumi config set --secret`) or `databasePassword.existingSecret`",
        ]);
    });

    it("with the stack's MySQL: the database settings and the password may be left out", () => {
        const config = backendConfig({
            database: { host: undefined, name: undefined, username: undefined, cidr: undefined },
            secrets: { databasePassword: undefined },
        });
        expect(stackProblems(config, { ...NO_STACK, stackDatabase: true })).to.deep.equal([]);
    });

    it("the password: a value or an existing Secret, never both", () => {
        expect(blockIssues(merge(BASE_BLOCK, { secrets: { databasePassword: { value: "x", existingSecret: { name: "s" } } } }))).to.deep.equal([
            "secrets.databasePassword: set either `databasePassword.value` or `databasePassword.existingSecret`, not both",
        ]);
    });

    it("the Anthropic and LangChain keys: each required, a value or an existing Secret, never both", () => {
        const issues = blockIssues(
            merge(BASE_BLOCK, { secrets: { anthropicApiKey: undefined, langchainApiKey: { value: "x", existingSecret: { name: "s" } } } }),
        );
        expect(issues).to.deep.equal([
            "secrets.anthropicApiKey: is required: set `anthropicApiKey.value` (with `pulumi config set --secret`) or `anthropicApiKey.existingSecret`",
            "secrets.langchainApiKey: set either `langchainApiKey.value` or `langchainApiKey.existingSecret`, not both",
        ]);
        const existing = backendConfig({ secrets: { anthropicApiKey: { value: undefined, existingSecret: { name: "llm" } } } });
        expect(existing.secrets.values.anthropicApiKey!.existingSecret).to.deep.equal({ name: "llm", key: "ANTHROPIC_API_KEY" });
    });

    it("marks every secret value sensitive, so the config layer refuses it in plain text", () => {
        const paths = sensitivePathsIn(agentBackendBlock, BASE_BLOCK, "agentBackend");
        expect(paths).to.have.members([
            "agentBackend.secrets.databasePassword.value",
            "agentBackend.secrets.anthropicApiKey.value",
            "agentBackend.secrets.langchainApiKey.value",
        ]);
    });

    it("the private backend image needs a registry: its own, `images.registry`, or a host in the repository", () => {
        const noRegistry = backendConfig({}, { ...BASE_BLOCK, image: {} });
        expect(stackProblems(noRegistry)).to.deep.equal([
            "image.registry: is required: the backend image is private (allowed: `cr.seqera.io` or the registry you vendored it to, here or in `images.registry`)",
        ]);
        expect(stackProblems(noRegistry, { ...NO_STACK, imagesRegistry: "acr.example.io" })).to.deep.equal([]);
        expect(
            stackProblems(backendConfig({}, { ...BASE_BLOCK, image: { repository: "cr.seqera.io/private/nf-tower-enterprise/agent-backend" } })),
        ).to.deep.equal([]);
    });

    it("URLs with {domain} need the platform domain; explicit URLs do not", () => {
        expect(stackProblems(backendConfig(), { stackDatabase: false })).to.deep.equal([
            "platformApiUrl: 'https://{domain}/api' needs the platform domain for {domain} (allowed: set `platform.domain`, or a URL without {domain})",
            "mcpUrl: 'https://mcp.{domain}/mcp' needs the platform domain for {domain} (allowed: set `platform.domain`, or a URL without {domain})",
        ]);
        const explicit = backendConfig({ platformApiUrl: "http://platform-backend:8080/api", mcpUrl: "https://mcp.seqera.internal/mcp" });
        expect(stackProblems(explicit, { stackDatabase: false })).to.deep.equal([]);
        expect(blockIssues(merge(BASE_BLOCK, { mcpUrl: "mcp.{domain}" }))).to.deep.equal([
            "mcpUrl: must be an http(s) URL, optionally with `{domain}` for the platform domain",
        ]);
    });

    it("Key Vault mode needs a vault: the block's own, or the stack's", () => {
        const external = backendConfig({ secrets: { mode: "external", databasePassword: undefined, anthropicApiKey: undefined, langchainApiKey: undefined } });
        expect(externalVaultProblems(external.secrets, false).map((p) => `${keyPath(["secrets", ...p.path])}: ${p.message}`)).to.deep.equal([
            "secrets.external: mode `external` needs a vault (allowed: `external.vaultUrl` and `external.clientId`, or the stack's own `azure.keyVault.enabled`)",
        ]);
        expect(externalVaultProblems(external.secrets, true)).to.deep.equal([]);
    });

    it("a disabled backend needs nothing from the rest of the stack", () => {
        const config = backendConfig({ enabled: false, image: { registry: undefined }, database: { host: undefined, cidr: undefined } });
        expect(stackRules({ agentBackend: config })).to.deep.equal([]);
        expect(stackRules({ agentBackend: { ...config, enabled: true } })).not.to.deep.equal([]);
    });
});

describe("agentBackend block: rules the chart never checked", () => {
    it("refuses unknown keys at every level", () => {
        const result = agentBackendBlock.safeParse(
            merge(BASE_BLOCK, { replica: 2, database: { passwrod: "x" }, initContainerDependencies: { waitForMySQL: { image: { tags: "9" } } } }),
        );
        const unknown = result.error!.issues.filter((i) => i.code === "unrecognized_keys").map((i) => `${i.path.join(".")}: ${(i as { keys: string[] }).keys}`);
        expect(unknown).to.have.members([": replica", "database: passwrod", "initContainerDependencies.waitForMySQL.image: tags"]);
    });

    it("the network policy must know where MySQL is: a CIDR, selectors or an IPv4 host (never both kinds)", () => {
        const named = merge(BASE_BLOCK, { database: { cidr: undefined } });
        expect(blockIssues(named)).to.deep.equal([
            "database.cidr: the network policy must know where MySQL is (allowed: `database.cidr`, `database.namespaceSelector`/`podSelector`, an IPv4 `database.host`, or `networkPolicy.enabled: false`)",
        ]);
        expect(agentBackendBlock.safeParse(merge(named, { database: { host: "10.20.0.5" } })).success).to.equal(true);
        expect(agentBackendBlock.safeParse(merge(named, { database: { podSelector: { app: "mysql" } } })).success).to.equal(true);
        expect(agentBackendBlock.safeParse(merge(named, { networkPolicy: { enabled: false } })).success).to.equal(true);
        expect(blockIssues(merge(BASE_BLOCK, { database: { podSelector: { app: "mysql" } } }))).to.deep.equal([
            "database.cidr: set either `database.cidr` (outside the cluster) or selectors (in-cluster), not both",
        ]);
    });

    it("extra env vars: a value or a source, never a credential as a literal, never a variable the secrets block sets", () => {
        const env = (extraEnvVars: unknown[]) => blockIssues(merge(BASE_BLOCK, { extraEnvVars }));
        expect(env([{ name: "A" }])).to.deep.equal(["extraEnvVars.0: set either `value` or `valueFrom`"]);
        expect(env([{ name: "A", valueFrom: { secretKeyRef: { name: "s", key: "k" }, fieldRef: { fieldPath: "metadata.name" } } }])).to.deep.equal([
            "extraEnvVars.0.valueFrom: set exactly one of `secretKeyRef`, `configMapKeyRef`, `fieldRef`",
        ]);
        expect(env([{ name: "OPENAI_API_KEY", value: "sk-live" }])).to.deep.equal([
            "extraEnvVars.0.value: 'OPENAI_API_KEY' looks like a credential: read it from a Secret with `valueFrom.secretKeyRef`, never a literal value",
        ]);
        expect(env([{ name: "ANTHROPIC_API_KEY", valueFrom: { secretKeyRef: { name: "s", key: "k" } } }])).to.deep.equal([
            "extraEnvVars.0.name: ANTHROPIC_API_KEY comes from `secrets`; configure it there",
        ]);
        expect(
            backendConfig({
                extraEnvVars: [
                    { name: "HTTP_PROXY", value: "http://proxy:3128" },
                    { name: "TOKEN_FILE", value: "/var/run/token" },
                ],
            }).extraEnvVars,
        ).to.have.length(2);
    });

    it("recognises credential-looking names as the policy pack does", () => {
        expect(["API_KEY", "dbPassword", "GITHUB_TOKEN", "client.secret"].map(looksLikeCredential)).to.deep.equal([true, true, true, true]);
        expect(["API_KEY_FILE", "SECRET_NAME", "TOKEN_URL", "LOG_LEVEL", "KEYCLOAK_REALM"].map(looksLikeCredential)).to.deep.equal([
            false,
            false,
            false,
            false,
            false,
        ]);
    });

    it("extra volumes: one source each, `tmp` reserved; mounts name declared volumes and never /tmp", () => {
        expect(blockIssues(merge(BASE_BLOCK, { extraVolumes: [{ name: "cfg", configMap: { name: "c" }, emptyDir: {} }] }))).to.deep.equal([
            "extraVolumes.0: set exactly one of `configMap`, `secret`, `emptyDir`, `persistentVolumeClaim`, `csi`",
        ]);
        const issues = blockIssues(
            merge(BASE_BLOCK, {
                extraVolumes: [{ name: "tmp", emptyDir: {} }],
                extraVolumeMounts: [
                    { name: "certs", mountPath: "/etc/certs" },
                    { name: "tmp", mountPath: "/tmp" },
                ],
            }),
        );
        expect(issues).to.deep.equal([
            "extraVolumes.0.name: `tmp` is the backend's writable /tmp; choose another name",
            "extraVolumeMounts.0.name: 'certs' is not a volume of `extraVolumes` (allowed: tmp)",
            "extraVolumeMounts.1.mountPath: /tmp is already the writable emptyDir",
        ]);
        expect(blockIssues(merge(BASE_BLOCK, { extraVolumes: [{ name: "host", hostPath: { path: "/" } }] }))[0]).to.match(/^extraVolumes\.0: Unrecognized key/);
    });

    it("your init containers: unique names that are not the program's own", () => {
        const init = (name: string) => ({ name, image: "busybox:1.37" });
        expect(blockIssues(merge(BASE_BLOCK, { initContainers: [init("wait-for-mysql"), init("fetch"), init("fetch")] }))).to.deep.equal([
            "initContainers.0.name: 'wait-for-mysql' is the name of a container the program adds (taken: wait-for-mysql, db-migration, agent-backend)",
            "initContainers.2.name: 'fetch' is used twice",
        ]);
    });

    it("Service: node ports and external traffic policy only for NodePort or LoadBalancer; unique extra ports", () => {
        expect(blockIssues(merge(BASE_BLOCK, { service: { nodePort: 30080, externalTrafficPolicy: "Local" } }))).to.deep.equal([
            "service.nodePort: needs `service.type` NodePort or LoadBalancer",
            "service.externalTrafficPolicy: needs `service.type` NodePort or LoadBalancer",
        ]);
        expect(blockIssues(merge(BASE_BLOCK, { service: { extraPorts: [{ name: "http", port: 80, targetPort: 9000 }] } }))).to.deep.equal([
            "service.extraPorts.0.name: port name 'http' is used twice",
            "service.extraPorts.0.port: port 80 is used twice",
        ]);
        expect(backendConfig({ service: { type: "NodePort", nodePort: 30080 } }).service.nodePort).to.equal(30080);
    });

    it("an existing ServiceAccount takes no annotations or pull Secrets of ours", () => {
        expect(blockIssues(merge(BASE_BLOCK, { serviceAccount: { name: "shared", annotations: { a: "b" } } }))).to.deep.equal([
            "serviceAccount.annotations: is only used for the ServiceAccount the program creates; remove it or unset `serviceAccount.name`",
        ]);
    });

    it("the wait pauses less than its deadline", () => {
        expect(blockIssues(merge(BASE_BLOCK, { initContainerDependencies: { waitForMySQL: { timeoutSeconds: 10, intervalSeconds: 10 } } }))).to.deep.equal([
            "initContainerDependencies.waitForMySQL.intervalSeconds: must be below timeoutSeconds (10)",
        ]);
    });

    it("describes every field, list elements and map values included", () => {
        // The building blocks' fragments are checked by their own tests.
        expect(undescribed(agentBackendBlock, "").filter((path) => !/^(ingress|networkPolicy|secrets)\./.test(path))).to.deep.equal([]);
    });
});

describe("docs/agent-backend.md", () => {
    const doc = readFileSync(join(__dirname, "..", "..", "docs", "agent-backend.md"), "utf8");

    it("documents every config key of the block", () => {
        const keys = referenceRows(agentBackendBlock)
            .filter((row) => row.type !== "object")
            .map((row) => row.key)
            // The building blocks' fragments are documented in their own docs, linked from this one.
            .filter((key) => !/^(ingress|networkPolicy|secrets)\./.test(key));
        expect(keys.filter((key) => !doc.includes(`| \`${key}\` |`))).to.deep.equal([]);
    });

    it("maps every key of the chart's values table to a config key or says why Pulumi needs none", () => {
        expect(CHART_VALUES_KEYS.filter((key) => !doc.includes(`\`${key}\``))).to.deep.equal([]);
    });
});
