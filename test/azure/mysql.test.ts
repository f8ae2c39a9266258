/**
 * AzureMysql under mocks (private access, TLS, the generated password kept secret), and the agent
 * backend on the stack's MySQL.
 */
import { expect } from "chai";
import { AgentBackend } from "../../components/agent-backend";
import { AzureMysql, MysqlConnection, mysqlPrivateDnsZoneName } from "../../components/azure/mysql";
import { AzureNetwork } from "../../components/azure/network";
import { REDACTED } from "../../tools/render/wire";
import { ANTHROPIC_KEY, BASE_BLOCK, backendArgs, LANGCHAIN_KEY } from "../agent-backend/fixtures";
import { azureResources, byType, one, recordWithAzure, withoutAzureProvider } from "./fixtures";
import { testConfig } from "../helpers/stack-config";

const AKS = { target: "aks", aks: { location: "westeurope" } };

const stackConfig = (blocks: Record<string, unknown>) => testConfig(blocks);
const placement = { stack: "prod", resourceGroupName: "agent-platform-prod", location: "westeurope", tags: { env: "prod" } };
const outputOf = <T>(output: { apply(f: (v: T) => unknown): unknown }) => new Promise<T>((resolve) => output.apply((v) => resolve(v)));

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
        expect((server.inputs as any).network.privateDnsZoneResourceId).to.match(
            new RegExp(`/privateDnsZones/${serverName}\\.private\\.mysql\\.database\\.azure\\.com$`),
        );
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
        expect(azureResources(recorded.recording).map((r) => r.type)).to.include.members([
            "azure-native:dbformysql:Server",
            "azure-native:privatedns:PrivateZone",
        ]);
        expect(withoutAzureProvider(recorded.recording)).to.deep.equal([]);
    });

    it("exposes connection settings for the services: the password as a secret, the subnet on 3306 for their network policies", async () => {
        const connection: MysqlConnection = mysql.connection;
        expect(await outputOf<string>(connection.host)).to.equal(
            `${String(resource("azure-native:dbformysql:Server").inputs["serverName"])}.mysql.rendered.invalid`,
        );
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
            const mysql = new AzureMysql(
                "mysql",
                { config: config.azure.mysql, ...placement, network: { vnetId: net.vnetId, mysqlSubnet: net.mysqlSubnet } },
                azure,
            );
            new AgentBackend("agent-backend", backendArgs({ migrations: { mode: "job" } }, { database: mysql.connection }, fromStack), {
                providers: [k8sProvider],
            });
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
