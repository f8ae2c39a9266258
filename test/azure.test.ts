/**
 * Azure services next to the cluster (MySQL Flexible Server, Key Vault with workload
 * identity) and the cluster add-ons, under mocks.
 */
import { expect } from "chai";
import { ClusterAddons, enabledAddonCharts } from "../components/addons";
import { AzureKeyVault, KEY_VAULT_SECRETS_USER_ROLE } from "../components/azure-keyvault";
import { AzureMysql, cidrRange } from "../components/azure-mysql";
import { REDACTED } from "../tools/render/wire";
import { recordComponents } from "./helpers/record";
import { configProblems, testConfig } from "./helpers/stack-config";

const AKS = { target: "aks", aks: { location: "westeurope" } };

const stackConfig = (blocks: Record<string, unknown>) => testConfig(blocks);
const problems = configProblems;

const placement = { stack: "prod", resourceGroupName: "agent-platform-prod", location: "westeurope", tags: { env: "prod" } };

describe("azure config", () => {
    it("refuses Azure services without the aks target", () => {
        expect(problems({ cluster: { kubeconfigPath: "/k" }, azure: { mysql: { enabled: true }, keyVault: { enabled: true } } })).to.deep.equal([
            "agent-platform:azure.mysql.enabled: needs `cluster.target: aks` (its resource group, region and OIDC issuer) (allowed: false with a kubeconfig target)",
            "agent-platform:azure.keyVault.enabled: needs `cluster.target: aks` (its resource group, region and OIDC issuer) (allowed: false with a kubeconfig target)",
        ]);
    });
    it("refuses high availability on the Burstable tier", () => {
        expect(problems({ cluster: AKS, azure: { mysql: { enabled: true, tier: "Burstable", highAvailability: "ZoneRedundant" } } })).to.deep.equal([
            "agent-platform:azure.mysql.highAvailability: is not available on the Burstable tier (allowed: Disabled, or tier GeneralPurpose / MemoryOptimized)",
        ]);
    });
});

describe("cidrRange", () => {
    it("gives the first and last address of a range", () => {
        expect(cidrRange("20.50.1.0/24")).to.deep.equal({ start: "20.50.1.0", end: "20.50.1.255" });
        expect(cidrRange("10.1.2.3/32")).to.deep.equal({ start: "10.1.2.3", end: "10.1.2.3" });
        expect(cidrRange("172.16.5.9/12")).to.deep.equal({ start: "172.16.0.0", end: "172.31.255.255" });
    });
});

describe("AzureMysql", () => {
    const config = stackConfig({ cluster: AKS, azure: { mysql: { enabled: true, highAvailability: "ZoneRedundant", backupRetentionDays: 14, allowedCidrs: ["20.50.1.0/24"] } } });
    let recorded: Awaited<ReturnType<typeof recordComponents>>;
    let mysql: AzureMysql;
    const byType = (type: string) => recorded.recording.resources.filter((r) => r.type === type);
    before(async () => {
        recorded = await recordComponents(() => {
            mysql = new AzureMysql("mysql", { config: config.azure.mysql, ...placement });
        });
    });

    it("creates a zone-redundant server with backups and a utf8mb4 database", () => {
        const server = byType("azure-native:dbformysql:Server")[0]!.inputs as any;
        expect(server.serverName).to.equal("agent-platform-prod-mysql");
        expect(server.highAvailability).to.deep.equal({ mode: "ZoneRedundant" });
        expect(server.backup).to.deep.equal({ backupRetentionDays: 14, geoRedundantBackup: "Disabled" });
        expect(server.storage).to.include({ storageSizeGB: 64, autoGrow: "Enabled" });
        expect(byType("azure-native:dbformysql:Database")[0]!.inputs).to.include({ databaseName: "agent_backend", charset: "utf8mb4" });
    });

    it("generates the administrator password once with @pulumi/random and sends it only as a secret", () => {
        expect(byType("random:index/randomPassword:RandomPassword")[0]!.inputs).to.include({ length: 32, special: true });
        expect(byType("azure-native:dbformysql:Server")[0]!.inputs["administratorLoginPassword"]).to.equal(REDACTED);
    });

    it("opens the firewall exactly for the allowed ranges", () => {
        const rules = byType("azure-native:dbformysql:FirewallRule").map((r) => r.inputs);
        expect(rules).to.have.length(1);
        expect(rules[0]).to.include({ startIpAddress: "20.50.1.0", endIpAddress: "20.50.1.255", serverName: "agent-platform-prod-mysql" });
        expect((byType("azure-native:dbformysql:Server")[0]!.inputs as any).network).to.deep.equal({ publicNetworkAccess: "Enabled" });
    });

    it("exposes connection settings for the services, the password as a secret", async () => {
        const host = await new Promise<string>((resolve) => mysql.connection.host.apply(resolve));
        expect(host).to.equal("agent-platform-prod-mysql.mysql.rendered.invalid");
        expect(mysql.connection).to.include({ port: 3306, username: "agentadmin" });
        expect(await (mysql.connection.password as any).isSecret).to.equal(true);
    });
});

describe("AzureKeyVault", () => {
    const config = stackConfig({ cluster: AKS, azure: { keyVault: { enabled: true } } });
    let recorded: Awaited<ReturnType<typeof recordComponents>>;
    const byType = (type: string) => recorded.recording.resources.filter((r) => r.type === type);
    before(async () => {
        recorded = await recordComponents(
            () =>
                new AzureKeyVault("kv", {
                    config: config.azure.keyVault,
                    ...placement,
                    oidcIssuerUrl: "https://issuer.example/abc/",
                    readers: [
                        { namespace: "agents", serviceAccount: "agent-runtime-keyvault" },
                        { namespace: "hypha-jobs", serviceAccount: "hypha-worker-claude-agent-keyvault" },
                    ],
                }),
        );
    });

    it("creates the vault in RBAC mode with soft delete and purge protection", () => {
        const vault = byType("azure-native:keyvault:Vault")[0]!.inputs as any;
        expect(vault.vaultName).to.equal("ap-prod-kv");
        expect(vault.properties).to.include({ enableRbacAuthorization: true, enableSoftDelete: true, enablePurgeProtection: true, softDeleteRetentionInDays: 90 });
        expect(vault.properties.tenantId).to.equal("00000000-0000-0000-0000-00000000aaaa");
    });

    it("federates the reader identity with the cluster's issuer for each reading ServiceAccount, one write at a time", () => {
        const federations = byType("azure-native:managedidentity:FederatedIdentityCredential");
        expect(federations.map((f) => f.inputs["subject"])).to.deep.equal([
            "system:serviceaccount:agents:agent-runtime-keyvault",
            "system:serviceaccount:hypha-jobs:hypha-worker-claude-agent-keyvault",
        ]);
        for (const f of federations) {
            expect(f.inputs).to.include({ issuer: "https://issuer.example/abc/" });
            expect(f.inputs["audiences"]).to.deep.equal(["api://AzureADTokenExchange"]);
        }
        expect(federations[1]!.dependsOn).to.include(federations[0]!.urn);
    });

    it("lets the reader read secrets and nothing else, on this vault only", () => {
        const assignment = byType("azure-native:authorization:RoleAssignment")[0]!.inputs;
        expect(assignment["roleDefinitionId"]).to.match(new RegExp(`/roleDefinitions/${KEY_VAULT_SECRETS_USER_ROLE}$`));
        expect(assignment["scope"]).to.match(/\/Vault\/ap-prod-kv$/);
        expect(assignment["principalType"]).to.equal("ServicePrincipal");
    });
});

describe("ClusterAddons", () => {
    it("installs nothing by default", () => {
        expect(enabledAddonCharts(stackConfig({ cluster: { kubeconfigPath: "/k" } }).addons)).to.deep.equal([]);
    });

    it("installs each enabled add-on as a pinned chart in its own restricted namespace", async () => {
        const config = stackConfig({ cluster: { kubeconfigPath: "/k" }, addons: { certManager: { enabled: true }, externalSecrets: { enabled: true, version: "0.18.0" } } });
        const r = await recordComponents((provider) => new ClusterAddons("addons", { config: config.addons }, { providers: [provider] }));
        const charts = r.recording.resources
            .filter((x) => x.type === "kubernetes:helm.sh/v4:Chart")
            .map((x) => x.inputs as any)
            .sort((a, b) => a.chart.localeCompare(b.chart));
        expect(charts.map((c) => [c.chart, c.version, c.namespace])).to.deep.equal([
            ["cert-manager", "v1.17.2", "cert-manager"],
            ["external-secrets", "0.18.0", "external-secrets"],
        ]);
        expect(charts[0].values).to.deep.equal({ crds: { enabled: true } });
        expect(r.object("Namespace", "external-secrets").metadata.labels!["pod-security.kubernetes.io/enforce"]).to.equal("restricted");
    });
});
