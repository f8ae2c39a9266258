/**
 * The stack's virtual network: CIDR arithmetic, the address plan (pure rules, refused before any
 * resource exists) and AzureNetwork under mocks with the stack's explicit azure-native provider.
 */
import { expect } from "chai";
import { AzureNetwork, MYSQL_DELEGATION_SERVICE } from "../../components/azure/network";
import { azureResources, one, recordWithAzure, withoutAzureProvider } from "./fixtures";
import { configProblems, testConfig } from "../helpers/stack-config";

const AKS = { target: "aks", aks: { location: "westeurope" } };

const stackConfig = (blocks: Record<string, unknown>) => testConfig(blocks);
const problems = configProblems;
/** The address plan's problems (a moved pod range also trips the network policy's own cluster-range rule, tested elsewhere). */
const networkProblems = (network: Record<string, unknown>, aks: Record<string, unknown> = {}) =>
    problems({ cluster: { target: "aks", aks: { location: "westeurope", ...aks } }, azure: { network } }).filter(
        (p) => !p.startsWith("agent-platform:networkPolicy."),
    );

const placement = { stack: "prod", resourceGroupName: "agent-platform-prod", location: "westeurope", tags: { env: "prod" } };
const outputOf = <T>(output: { apply(f: (v: T) => unknown): unknown }) => new Promise<T>((resolve) => output.apply((v) => resolve(v)));

describe("azure.network address plan", () => {
    it("defaults to 10.224.0.0/16 with a /20 for the nodes and a /24 for MySQL, clear of the overlay ranges", () => {
        expect(stackConfig({ cluster: AKS }).azure.network).to.deep.equal({
            addressSpace: "10.224.0.0/16",
            subnets: { nodes: "10.224.0.0/20", mysql: "10.224.16.0/24" },
            peeredRanges: [],
        });
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
                cluster: {
                    target: "aks",
                    aks: { location: "westeurope", network: { podCidr: "192.168.0.0/16", serviceCidr: "172.20.0.0/16", dnsServiceIp: "172.20.0.10" } },
                },
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
                    {
                        config: { addressSpace: "10.224.0.0/16", subnets: { nodes: "10.224.0.0/20", mysql: "10.225.0.0/24" }, peeredRanges: [] },
                        cluster: config.cluster.aks!,
                        ...placement,
                    },
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
