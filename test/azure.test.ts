/**
 * Azure resources around the cluster: the address plan of the stack's virtual network (pure
 * rules, refused before any resource exists), the network, the private MySQL server and the
 * Key Vault under mocks, each with the stack's explicit azure-native provider; and the cluster
 * add-ons.
 */
import { expect } from "chai";
import { ClusterAddons, enabledAddonCharts } from "../components/addons";
import { AgentBackend } from "../components/agent-backend";
import { AzureKeyVault, KEY_VAULT_SECRETS_USER_ROLE } from "../components/azure/keyvault";
import { AzureMysql, MysqlConnection, mysqlPrivateDnsZoneName } from "../components/azure/mysql";
import { AzureNetwork, MYSQL_DELEGATION_SERVICE } from "../components/azure/network";
import { addressInCidr, cidrContains, cidrsOverlap, cidrSize } from "../components/azure/network/cidr";
import { azureProviderArgs } from "../components/azure/provider";
import { REDACTED } from "../tools/render/wire";
import { ANTHROPIC_KEY, BASE_BLOCK, backendArgs, LANGCHAIN_KEY } from "./agent-backend/fixtures";
import { azureResources, byType, one, recordWithAzure, withoutAzureProvider } from "./azure-fixtures";
import { recordComponents } from "./helpers/record";
import { configProblems, testConfig } from "./helpers/stack-config";

const AKS = { target: "aks", aks: { location: "westeurope" } };

const stackConfig = (blocks: Record<string, unknown>) => testConfig(blocks);
const problems = configProblems;
/** The address plan's problems (a moved pod range also trips the network policy's own cluster-range rule, tested elsewhere). */
const networkProblems = (network: Record<string, unknown>, aks: Record<string, unknown> = {}) =>
    problems({ cluster: { target: "aks", aks: { location: "westeurope", ...aks } }, azure: { network } }).filter((p) => !p.startsWith("agent-platform:networkPolicy."));

const placement = { stack: "prod", resourceGroupName: "agent-platform-prod", location: "westeurope", tags: { env: "prod" } };
const outputOf = <T>(output: { apply(f: (v: T) => unknown): unknown }) => new Promise<T>((resolve) => output.apply((v) => resolve(v)));

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
    it("no longer takes firewall rules: a private server has no public endpoint", () => {
        expect(problems({ cluster: AKS, azure: { mysql: { enabled: true, allowedCidrs: ["20.50.1.0/24"] } } })[0]).to.match(/^agent-platform:azure\.mysql\.allowedCidrs: unknown key/);
    });
});

describe("CIDR arithmetic", () => {
    it("tells containment, overlap, size and membership", () => {
        expect(cidrContains("10.224.0.0/16", "10.224.16.0/24")).to.equal(true);
        expect(cidrContains("10.224.0.0/16", "10.224.0.0/16")).to.equal(true);
        expect(cidrContains("10.224.16.0/24", "10.224.0.0/16")).to.equal(false);
        expect(cidrsOverlap("10.224.0.0/20", "10.224.15.0/24")).to.equal(true);
        expect(cidrsOverlap("10.224.0.0/20", "10.224.16.0/24")).to.equal(false);
        expect(cidrsOverlap("0.0.0.0/0", "255.255.255.255/32")).to.equal(true);
        expect(cidrSize("10.224.16.0/29")).to.equal(8);
        expect(cidrSize("0.0.0.0/0")).to.equal(2 ** 32);
        expect(addressInCidr("10.0.0.10", "10.0.0.0/16")).to.equal(true);
        expect(addressInCidr("10.1.0.10", "10.0.0.0/16")).to.equal(false);
    });
    it("treats a non-canonical CIDR as no range at all", () => {
        expect(cidrsOverlap("10.224.1.0/16", "10.224.0.0/16")).to.equal(false);
        expect(cidrSize("10.224.1.0/16")).to.equal(0);
    });
});

describe("azure.network address plan", () => {
    it("defaults to 10.224.0.0/16 with a /20 for the nodes and a /24 for MySQL, clear of the overlay ranges", () => {
        expect(stackConfig({ cluster: AKS }).azure.network).to.deep.equal({ addressSpace: "10.224.0.0/16", subnets: { nodes: "10.224.0.0/20", mysql: "10.224.16.0/24" }, peeredRanges: [] });
    });
    it("refuses a peered range that overlaps the address space", () => {
        expect(networkProblems({ peeredRanges: ["10.20.0.0/24", "10.224.128.0/17"] })).to.deep.equal([
            "agent-platform:azure.network.peeredRanges[1]: 10.224.128.0/17 overlaps azure.network.addressSpace 10.224.0.0/16; peered networks need their own ranges (allowed: a range outside 10.224.0.0/16)",
        ]);
    });
    it("refuses a subnet outside the address space, naming both keys", () => {
        expect(networkProblems({ subnets: { mysql: "10.1.0.0/24" } })).to.deep.equal([
            "agent-platform:azure.network.subnets.mysql: 10.1.0.0/24 is outside azure.network.addressSpace 10.224.0.0/16",
        ]);
    });
    it("refuses overlapping subnets", () => {
        expect(networkProblems({ subnets: { nodes: "10.224.0.0/20", mysql: "10.224.8.0/24" } })).to.deep.equal([
            "agent-platform:azure.network.subnets.mysql: 10.224.8.0/24 overlaps azure.network.subnets.nodes 10.224.0.0/20 (allowed: disjoint ranges inside azure.network.addressSpace)",
        ]);
    });
    it("refuses an address space that overlaps the overlay's pod range", () => {
        expect(networkProblems({}, { network: { podCidr: "10.224.0.0/16" } })).to.deep.equal([
            "agent-platform:azure.network.addressSpace: 10.224.0.0/16 overlaps cluster.aks.network.podCidr 10.224.0.0/16: the overlay's pod range must not overlap the network the nodes live in (allowed: disjoint ranges, e.g. the default 10.224.0.0/16 with 10.244.0.0/16)",
        ]);
    });
    it("refuses an address space that overlaps the Service range", () => {
        expect(networkProblems({ addressSpace: "10.0.0.0/12", subnets: { nodes: "10.8.0.0/20", mysql: "10.8.16.0/24" } })).to.deep.equal([
            "agent-platform:azure.network.addressSpace: 10.0.0.0/12 overlaps cluster.aks.network.serviceCidr 10.0.0.0/16: Service IPs inside the network would shadow its addresses (allowed: disjoint ranges, e.g. the default 10.224.0.0/16 with 10.0.0.0/16)",
        ]);
    });
    it("accepts a moved plan when every range moves together", () => {
        expect(() =>
            stackConfig({
                cluster: { target: "aks", aks: { location: "westeurope", network: { podCidr: "192.168.0.0/16", serviceCidr: "172.20.0.0/16", dnsServiceIp: "172.20.0.10" } } },
                azure: { network: { addressSpace: "10.0.0.0/16", subnets: { nodes: "10.0.0.0/22", mysql: "10.0.4.0/28" } } },
                networkPolicy: { clusterCidrs: { pods: ["192.168.0.0/16"], services: ["172.20.0.0/16"] } },
            }),
        ).not.to.throw();
    });
    it("refuses a MySQL subnet smaller than Azure's /29 minimum", () => {
        expect(networkProblems({ subnets: { mysql: "10.224.16.0/30" } })).to.deep.equal([
            "agent-platform:azure.network.subnets.mysql: 10.224.16.0/30 is smaller than /29, the smallest subnet Azure Database for MySQL accepts (allowed: a prefix of /29 or shorter, e.g. /28)",
        ]);
    });
    it("refuses a node subnet that cannot hold the pools at their maximum plus the upgrade surge", () => {
        expect(networkProblems({ subnets: { nodes: "10.224.0.0/28" } }, { userPool: { maxCount: 10 } })).to.deep.equal([
            "agent-platform:azure.network.subnets.nodes: 10.224.0.0/28 has 11 usable addresses, but the node pools may need 17 (cluster.aks.systemPool.maxCount 5 + cluster.aks.userPool.maxCount 10, plus 10% upgrade surge each) (allowed: a larger subnet, e.g. a /24)",
        ]);
    });
    it("refuses ranges AKS reserves and CIDRs with host bits set", () => {
        expect(networkProblems({ addressSpace: "172.30.0.0/16", subnets: { nodes: "172.30.0.0/20", mysql: "172.30.16.1/24" } })).to.deep.equal([
            "agent-platform:azure.network.subnets.mysql: '172.30.16.1/24' is not allowed (allowed: an IPv4 CIDR with the host bits zero, e.g. 10.244.0.0/16)",
            "agent-platform:azure.network.addressSpace: 172.30.0.0/16 overlaps 172.30.0.0/16, which AKS reserves (allowed: a private range outside 169.254.0.0/16, 172.30.0.0/16, 172.31.0.0/16, 192.0.2.0/24)",
        ]);
    });
    it("refuses a bad plan before any resource is registered, also when built in code", async () => {
        const config = stackConfig({ cluster: AKS });
        let error: unknown;
        const r = await recordWithAzure((azure) => {
            try {
                new AzureNetwork(
                    "network",
                    { config: { addressSpace: "10.224.0.0/16", subnets: { nodes: "10.224.0.0/20", mysql: "10.225.0.0/24" }, peeredRanges: [] }, cluster: config.cluster.aks!, ...placement },
                    azure,
                );
            } catch (err) {
                error = err;
            }
        });
        expect(String(error)).to.contain("azure.network.subnets.mysql: 10.225.0.0/24 is outside azure.network.addressSpace 10.224.0.0/16");
        expect(r.recording.resources.filter((x) => x.type !== "pulumi:pulumi:Stack" && !x.type.startsWith("pulumi:providers:"))).to.deep.equal([]);
    });
});

describe("the azure-native provider", () => {
    it("takes the region, and subscription and tenant only when the stack file sets them", () => {
        expect(azureProviderArgs({ location: "westeurope" })).to.deep.equal({ location: "westeurope" });
        const ids = { subscriptionId: "6f1c8e9a-0b1d-4c2e-9f3a-5b6c7d8e9f01", tenantId: "7a2d9f0b-1c2e-4d3f-8a4b-6c7d8e9f0a12" };
        expect(azureProviderArgs({ location: "westeurope", ...ids })).to.deep.equal({ location: "westeurope", ...ids });
    });
    it("refuses a subscription that is not an id", () => {
        expect(problems({ cluster: { target: "aks", aks: { location: "westeurope", subscriptionId: "prod" } } })[0]).to.match(/^agent-platform:cluster\.aks\.subscriptionId: must be an Azure subscription id/);
    });
});

describe("AzureNetwork", () => {
    const config = stackConfig({ cluster: AKS });
    let recorded: Awaited<ReturnType<typeof recordWithAzure>>;
    let net: AzureNetwork;
    before(async () => {
        recorded = await recordWithAzure((azure) => {
            net = new AzureNetwork("network", { config: config.azure.network, cluster: config.cluster.aks!, ...placement }, azure);
        });
    });

    it("creates the virtual network with the configured address space and no inline subnets", () => {
        const vnet = one(recorded.recording, "azure-native:network:VirtualNetwork").inputs as any;
        expect(vnet).to.include({ virtualNetworkName: "agent-platform-prod-vnet", resourceGroupName: "agent-platform-prod", location: "westeurope" });
        expect(vnet.addressSpace).to.deep.equal({ addressPrefixes: ["10.224.0.0/16"] });
        expect(vnet).not.to.have.property("subnets");
    });

    it("creates a plain node subnet and a subnet delegated to MySQL Flexible Server, one after the other", () => {
        const nodes = one(recorded.recording, "azure-native:network:Subnet", "network-nodes");
        const mysql = one(recorded.recording, "azure-native:network:Subnet", "network-mysql");
        expect(nodes.inputs).to.include({ subnetName: "nodes", addressPrefix: "10.224.0.0/20", virtualNetworkName: "agent-platform-prod-vnet" });
        expect(nodes.inputs).not.to.have.property("delegations");
        expect(mysql.inputs).to.include({ subnetName: "mysql", addressPrefix: "10.224.16.0/24" });
        expect(mysql.inputs["delegations"]).to.deep.equal([{ name: "mysql-flexible-servers", serviceName: MYSQL_DELEGATION_SERVICE }]);
        expect(mysql.dependsOn).to.include(nodes.urn);
    });

    it("uses the explicit azure-native provider for every resource", () => {
        expect(azureResources(recorded.recording)).to.have.length(3);
        expect(withoutAzureProvider(recorded.recording)).to.deep.equal([]);
    });

    it("exposes each subnet's id and range", async () => {
        expect(await outputOf<string>(net.mysqlSubnet.id)).to.match(/\/virtualNetworks\/agent-platform-prod-vnet\/subnets\/mysql$/);
        expect(net.mysqlSubnet.cidr).to.equal("10.224.16.0/24");
        expect(net.nodeSubnet.cidr).to.equal("10.224.0.0/20");
    });
});

describe("AzureMysql", () => {
    const config = stackConfig({ cluster: AKS, azure: { mysql: { enabled: true, highAvailability: "ZoneRedundant", backupRetentionDays: 14 } } });
    let recorded: Awaited<ReturnType<typeof recordWithAzure>>;
    let mysql: AzureMysql;
    const resource = (type: string) => one(recorded.recording, type);
    before(async () => {
        recorded = await recordWithAzure((azure) => {
            const net = new AzureNetwork("network", { config: config.azure.network, cluster: config.cluster.aks!, ...placement }, azure);
            mysql = new AzureMysql("mysql", { config: config.azure.mysql, ...placement, network: { vnetId: net.vnetId, mysqlSubnet: net.mysqlSubnet } }, azure);
        });
    });

    it("creates a zone-redundant server with backups and a utf8mb4 database", () => {
        const server = resource("azure-native:dbformysql:Server").inputs as any;
        // The default name: the stack's prefix and the random suffix generated once (tested in azure-names.test.ts).
        expect(server.serverName).to.match(/^agent-platform-prod-mysql-[a-z0-9]{6}$/);
        expect(server.highAvailability).to.deep.equal({ mode: "ZoneRedundant" });
        expect(server.backup).to.deep.equal({ backupRetentionDays: 14, geoRedundantBackup: "Disabled" });
        expect(server.storage).to.include({ storageSizeGB: 64, autoGrow: "Enabled" });
        expect(resource("azure-native:dbformysql:Database").inputs).to.include({ databaseName: "agent_backend", charset: "utf8mb4" });
    });

    it("generates the administrator password once with @pulumi/random and sends it only as a secret", () => {
        expect(resource("random:index/randomPassword:RandomPassword").inputs).to.include({ length: 32, special: true });
        expect(resource("azure-native:dbformysql:Server").inputs["administratorLoginPassword"]).to.equal(REDACTED);
    });

    it("puts the server in the delegated subnet with no public endpoint and no firewall rules", () => {
        const server = resource("azure-native:dbformysql:Server").inputs as any;
        const subnet = one(recorded.recording, "azure-native:network:Subnet", "network-mysql");
        expect(server.network.delegatedSubnetResourceId).to.match(/\/virtualNetworks\/agent-platform-prod-vnet\/subnets\/mysql$/);
        expect(server.network.publicNetworkAccess).to.equal("Disabled");
        expect(subnet.inputs["delegations"]).to.deep.include({ name: "mysql-flexible-servers", serviceName: "Microsoft.DBforMySQL/flexibleServers" });
        // The delegated subnet exists before the server is created in it.
        expect(resource("azure-native:dbformysql:Server").dependsOn).to.include(subnet.urn);
        expect(byType(recorded.recording, "azure-native:dbformysql:FirewallRule")).to.deep.equal([]);
    });

    it("resolves the server through a private DNS zone linked to the virtual network, the link made before the server", () => {
        const zone = resource("azure-native:privatedns:PrivateZone");
        const link = resource("azure-native:privatedns:VirtualNetworkLink");
        const server = resource("azure-native:dbformysql:Server");
        const serverName = String(server.inputs["serverName"]);
        expect(zone.inputs).to.include({ privateZoneName: `${serverName}.private.mysql.database.azure.com`, location: "global" });
        expect(mysqlPrivateDnsZoneName("x")).to.match(/\.mysql\.database\.azure\.com$/);
        expect((server.inputs as any).network.privateDnsZoneResourceId).to.match(new RegExp(`/privateDnsZones/${serverName}\\.private\\.mysql\\.database\\.azure\\.com$`));
        expect(link.inputs).to.include({ privateZoneName: `${serverName}.private.mysql.database.azure.com`, registrationEnabled: false, location: "global" });
        expect((link.inputs as any).virtualNetwork.id).to.match(/\/virtualNetworks\/agent-platform-prod-vnet$/);
        expect(server.dependsOn).to.include(link.urn);
    });

    it("requires TLS from every client", () => {
        expect(resource("azure-native:dbformysql:Configuration").inputs).to.include({
            serverName: resource("azure-native:dbformysql:Server").inputs["serverName"],
            configurationName: "require_secure_transport",
            value: "ON",
            source: "user-override",
        });
    });

    it("uses the explicit azure-native provider for every resource", () => {
        expect(azureResources(recorded.recording).map((r) => r.type)).to.include.members(["azure-native:dbformysql:Server", "azure-native:privatedns:PrivateZone"]);
        expect(withoutAzureProvider(recorded.recording)).to.deep.equal([]);
    });

    it("exposes connection settings for the services: the password as a secret, the subnet on 3306 for their network policies", async () => {
        const connection: MysqlConnection = mysql.connection;
        expect(await outputOf<string>(connection.host)).to.equal(`${String(resource("azure-native:dbformysql:Server").inputs["serverName"])}.mysql.rendered.invalid`);
        expect(connection).to.include({ port: 3306, username: "agentadmin" });
        expect(await (connection.password as any).isSecret).to.equal(true);
        const subnet = one(recorded.recording, "azure-native:network:Subnet", "network-mysql");
        expect(connection.egress).to.deep.equal({ cidr: subnet.inputs["addressPrefix"], ports: [{ port: 3306, protocol: "TCP" }] });
    });
});

describe("the agent backend on the stack's MySQL", () => {
    const config = stackConfig({ cluster: AKS, azure: { mysql: { enabled: true } } });
    const fromStack = { ...BASE_BLOCK, database: {}, secrets: { anthropicApiKey: { value: ANTHROPIC_KEY }, langchainApiKey: { value: LANGCHAIN_KEY } } };
    let recorded: Awaited<ReturnType<typeof recordWithAzure>>;
    before(async () => {
        recorded = await recordWithAzure((azure, k8sProvider) => {
            const net = new AzureNetwork("network", { config: config.azure.network, cluster: config.cluster.aks!, ...placement }, azure);
            const mysql = new AzureMysql("mysql", { config: config.azure.mysql, ...placement, network: { vnetId: net.vnetId, mysqlSubnet: net.mysqlSubnet } }, azure);
            new AgentBackend("agent-backend", backendArgs({ migrations: { mode: "job" } }, { database: mysql.connection }, fromStack), { providers: [k8sProvider] });
        });
    });

    it("lets the backend and its migration Job out to the server's subnet on 3306, and only there", () => {
        const subnet = String(one(recorded.recording, "azure-native:network:Subnet", "network-mysql").inputs["addressPrefix"]);
        const policies = recorded.objects.filter((o) => o.kind === "NetworkPolicy") as any[];
        expect(policies.map((p) => p.metadata.name).sort()).to.deep.equal(["agent-backend", "agent-backend-migration"]);
        for (const policy of policies) {
            const mysqlRules = policy.spec.egress.filter((rule: any) => (rule.ports ?? []).some((port: any) => port.port === 3306));
            expect(mysqlRules, policy.metadata.name).to.deep.equal([{ ports: [{ port: 3306, protocol: "TCP" }], to: [{ ipBlock: { cidr: subnet } }] }]);
        }
    });
});

describe("AzureKeyVault", () => {
    const config = stackConfig({ cluster: AKS, azure: { keyVault: { enabled: true } } });
    let recorded: Awaited<ReturnType<typeof recordWithAzure>>;
    const byKind = (type: string) => byType(recorded.recording, type);
    before(async () => {
        recorded = await recordWithAzure(
            (azure) =>
                new AzureKeyVault(
                    "kv",
                    {
                        config: config.azure.keyVault,
                        ...placement,
                        oidcIssuerUrl: "https://issuer.example/abc/",
                        readers: [
                            { namespace: "agents", serviceAccount: "agent-runtime-keyvault" },
                            { namespace: "hypha-jobs", serviceAccount: "hypha-worker-claude-agent-keyvault" },
                        ],
                    },
                    azure,
                ),
        );
    });

    it("creates the vault in RBAC mode with soft delete and purge protection", () => {
        const vault = byKind("azure-native:keyvault:Vault")[0]!.inputs as any;
        expect(vault.vaultName).to.match(/^ap-prod-kv-[a-z0-9]{6}$/);
        expect(vault.properties).to.include({ enableRbacAuthorization: true, enableSoftDelete: true, enablePurgeProtection: true, softDeleteRetentionInDays: 90 });
        expect(vault.properties.tenantId).to.equal("00000000-0000-0000-0000-00000000aaaa");
    });

    it("federates the reader identity with the cluster's issuer for each reading ServiceAccount, one write at a time", () => {
        const federations = byKind("azure-native:managedidentity:FederatedIdentityCredential");
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
        const assignment = one(recorded.recording, "azure-native:authorization:RoleAssignment", "kv-reader-secrets-user").inputs;
        expect(assignment["roleDefinitionId"]).to.match(new RegExp(`/roleDefinitions/${KEY_VAULT_SECRETS_USER_ROLE}$`));
        expect(assignment["scope"]).to.match(/\/providers\/Microsoft\.KeyVault\/vaults\/ap-prod-kv-[a-z0-9]{6}$/);
        expect(assignment["principalType"]).to.equal("ServicePrincipal");
    });

    it("reads the client config and creates every resource with the explicit azure-native provider", () => {
        expect(recorded.recording.calls.map((c) => c.token)).to.include("azure-native:authorization:getClientConfig");
        expect(withoutAzureProvider(recorded.recording)).to.deep.equal([]);
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
        expect(charts[0].values.crds).to.deep.equal({ enabled: true });
        expect(r.object("Namespace", "external-secrets").metadata.labels!["pod-security.kubernetes.io/enforce"]).to.equal("restricted");
    });
});
