/**
 * Tier 3 for the AKS stacks: staging and prod rendered through the real program in-process.
 * The engine would accept every Azure resource and invoke (one explicit azure-native provider,
 * the default one being disabled), the pools and the MySQL server sit in the stack's own
 * subnets, and the backend and its migration can reach the server on 3306, through the
 * rendered NetworkPolicies, at exactly the subnet the server was created in.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildNetwork, egressAllowed, type Endpoint } from "../../tools/connectivity/index";
import { KEY_VAULT_NAME, MYSQL_SERVER_NAME } from "../../components/azure/names";
import type { RecordedResource } from "../../tools/render/recorder";
import { objectsOf, type StackRender } from "../../tools/render/render-stack";
import { renderedStack } from "../helpers/render";

const ROOT = path.resolve(__dirname, "../..");

/** The address `offset` after the start of `cidr` (past its end, for the next range). */
function addressAt(cidr: string, offset: number): string {
    const n =
        cidr
            .split("/")[0]!
            .split(".")
            .reduce((acc, octet) => acc * 256 + Number(octet), 0) + offset;
    return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}
const sizeOf = (cidr: string) => 2 ** (32 - Number(cidr.split("/")[1]));

for (const stack of ["staging", "prod"]) {
    describe(`AKS stack ${stack}, rendered`, () => {
        let render: StackRender;
        const resources = (type: string) => render.recording.resources.filter((r) => r.type === type);
        const one = (type: string, name?: string): RecordedResource => {
            const found = resources(type).filter((r) => name === undefined || r.name === name);
            if (found.length !== 1) throw new Error(`expected one ${type} ${name ?? ""}, found ${found.length}`);
            return found[0]!;
        };
        before(async () => {
            render = await renderedStack(stack);
        });

        it("creates one azure-native provider and gives it to every Azure resource and invoke", () => {
            const providers = resources("pulumi:providers:azure-native");
            expect(providers.map((p) => [p.name, p.inputs["location"]])).to.deep.equal([["azure", "westeurope"]]);
            const uses = (ref: string | undefined) => ref?.startsWith(`${providers[0]!.urn}::`) === true;
            const azure = render.recording.resources.filter((r) => r.custom && r.type.startsWith("azure-native:"));
            expect(azure.length).to.be.greaterThan(10);
            expect(azure.filter((r) => !uses(r.provider)).map((r) => r.urn)).to.deep.equal([]);
            const invokes = render.recording.calls.filter((c) => c.token.startsWith("azure-native:"));
            expect(invokes.map((c) => c.token)).to.include("azure-native:containerservice:listManagedClusterUserCredentials");
            expect(invokes.filter((c) => !uses(c.provider)).map((c) => c.token)).to.deep.equal([]);
        });

        it("has nothing the engine would refuse", () => {
            expect(render.readiness.filter((f) => f.rule === "engine")).to.deep.equal([]);
        });

        it("runs both node pools in the node subnet of the stack's virtual network", () => {
            const vnet = one("azure-native:network:VirtualNetwork").inputs as any;
            const nodes = one("azure-native:network:Subnet", "cluster-aks-network-nodes");
            const subnetId = new RegExp(`/virtualNetworks/${vnet.virtualNetworkName}/subnets/${String(nodes.inputs["subnetName"])}$`);
            const cluster = one("azure-native:containerservice:ManagedCluster");
            const pool = one("azure-native:containerservice:AgentPool");
            expect((cluster.inputs as any).agentPoolProfiles[0].vnetSubnetID).to.match(subnetId);
            expect((pool.inputs as any).vnetSubnetID).to.match(subnetId);
            expect(cluster.dependsOn).to.include(nodes.urn);
            expect(pool.dependsOn).to.include(nodes.urn);
        });

        it("creates a private MySQL server in the delegated subnet, its DNS zone linked first, TLS required", () => {
            const mysqlSubnet = one("azure-native:network:Subnet", "cluster-aks-network-mysql");
            const server = one("azure-native:dbformysql:Server");
            const link = one("azure-native:privatedns:VirtualNetworkLink");
            const network = (server.inputs as any).network;
            expect(mysqlSubnet.inputs["delegations"]).to.deep.equal([{ name: "mysql-flexible-servers", serviceName: "Microsoft.DBforMySQL/flexibleServers" }]);
            expect(network.delegatedSubnetResourceId).to.match(/\/subnets\/mysql$/);
            expect(network.publicNetworkAccess).to.equal("Disabled");
            expect(network.privateDnsZoneResourceId).to.match(
                new RegExp(`/privateDnsZones/${String(server.inputs["serverName"])}\\.private\\.mysql\\.database\\.azure\\.com$`),
            );
            expect(server.dependsOn).to.include.members([link.urn, mysqlSubnet.urn]);
            expect(one("azure-native:dbformysql:Configuration").inputs).to.include({ configurationName: "require_secure_transport", value: "ON" });
        });

        it("creates no Kubernetes object before the deployer's Cluster Admin assignment: all go through the provider that waits for it", () => {
            const deployer = one("azure-native:authorization:RoleAssignment", "cluster-aks-access-deployer-cluster-admin");
            expect(deployer.inputs["roleDefinitionId"]).to.match(/\/roleDefinitions\/b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b$/);
            const provider = one("pulumi:providers:kubernetes", "cluster-k8s");
            expect(provider.dependsOn).to.include(deployer.urn);
            const kubernetes = render.recording.resources.filter((r) => (r.custom || r.remote) && r.type.startsWith("kubernetes:"));
            expect(kubernetes.length).to.be.greaterThan(20);
            const usesProvider = (r: RecordedResource) =>
                r.provider?.startsWith(`${provider.urn}::`) === true || r.providers["kubernetes"]?.startsWith(`${provider.urn}::`) === true;
            expect(kubernetes.filter((r) => !usesProvider(r)).map((r) => r.urn)).to.deep.equal([]);
        });

        it("names its Key Vault and MySQL server by Azure's rules, unique by a random suffix", () => {
            const server = String(one("azure-native:dbformysql:Server").inputs["serverName"]);
            expect(MYSQL_SERVER_NAME.problem(server), server).to.equal(undefined);
            expect(server).to.match(new RegExp(`^agent-platform-${stack}-mysql-[a-z0-9]{6}$`));
            for (const vault of resources("azure-native:keyvault:Vault")) {
                const name = String(vault.inputs["vaultName"]);
                expect(KEY_VAULT_NAME.problem(name), name).to.equal(undefined);
                expect(name).to.match(new RegExp(`^ap-${stack}-kv-[a-z0-9]{6}$`));
            }
        });

        it("lets the backend and its migration reach the server's subnet on 3306, and nothing else of the network", () => {
            const subnet = String(one("azure-native:network:Subnet", "cluster-aks-network-mysql").inputs["addressPrefix"]);
            const objects = objectsOf(render);
            const net = buildNetwork(objects, { cni: "cilium" });
            const podsOf = (kind: string) =>
                objects
                    .filter((o) => o.kind === kind && (o as any).metadata.labels?.["app.kubernetes.io/name"] === "agent-backend")
                    .map((o) => (o as any).spec.template.metadata);
            const pods = [...podsOf("Deployment"), ...podsOf("Job")];
            expect(pods.length, "the backend Deployment and, in prod, the migration Job").to.equal(stack === "prod" ? 2 : 1);
            for (const pod of pods) {
                const from: Endpoint = {
                    pod: { namespace: pod.namespace ?? objects.find((o) => o.kind === "Deployment")!.metadata.namespace!, labels: pod.labels },
                };
                // The server's address: Azure keeps the first four of a subnet; the last one too.
                for (const offset of [4, sizeOf(subnet) - 2]) {
                    expect(
                        egressAllowed(net, from, { ip: addressAt(subnet, offset) }).allows("TCP", 3306),
                        `${pod.labels["app.kubernetes.io/instance"]} -> ${subnet}`,
                    ).to.equal(true);
                }
                expect(egressAllowed(net, from, { ip: addressAt(subnet, sizeOf(subnet) + 4) }).allows("TCP", 3306), "the next range").to.equal(false);
                expect(egressAllowed(net, from, { ip: addressAt(subnet, 4) }).allows("TCP", 3307), "another port").to.equal(false);
                expect(egressAllowed(net, from, { ip: "10.30.0.5" }).allows("TCP", 3306), "the old hand-typed staging range").to.equal(false);
            }
            const settings = objects.find((o) => o.kind === "ConfigMap" && (o as any).data?.AGENT_BACKEND_DB_HOST) as any;
            expect(settings.data.AGENT_BACKEND_DB_HOST).to.match(/\.mysql\.rendered\.invalid$/);
        });
    });
}

describe("an AKS stack file with a bad address plan", () => {
    it("fails the render naming every bad key, before any resource is registered or file written", () => {
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "azure-plan-"));
        try {
            const stackFile = path.join(tmp, "Pulumi.badplan.yaml");
            fs.writeFileSync(
                stackFile,
                [
                    "config:",
                    "  agent-platform:cluster:",
                    "    target: aks",
                    "    aks: { location: westeurope, network: { podCidr: 10.224.0.0/16 } }",
                    "  agent-platform:networkPolicy:",
                    "    clusterCidrs: { pods: [10.224.0.0/16] }",
                    "  agent-platform:azure:",
                    "    network: { subnets: { nodes: 10.224.0.0/20, mysql: 10.225.0.0/24 } }",
                    "    mysql: { enabled: true }",
                    "  agent-platform:agentRuntime:",
                    "    secrets: { mode: existing, existingSecret: { name: runtime-secrets } }",
                    "",
                ].join("\n"),
            );
            const out = path.join(tmp, "out");
            const run = spawnSync(
                process.execPath,
                ["--require", path.join(ROOT, "tools/ts-register.js"), path.join(ROOT, "tools/render.ts"), "badplan", "--config-file", stackFile, "--out", out],
                {
                    cwd: ROOT,
                    encoding: "utf8",
                },
            );
            expect(run.status, run.stdout).to.equal(1);
            expect(run.stderr).to.contain("agent-platform:azure.network.subnets.mysql: 10.225.0.0/24 is outside azure.network.addressSpace 10.224.0.0/16");
            expect(run.stderr).to.contain("agent-platform:azure.network.addressSpace: 10.224.0.0/16 overlaps cluster.aks.network.podCidr 10.224.0.0/16");
            expect(run.stderr).not.to.match(/^\s+at /m);
            expect(fs.existsSync(out)).to.equal(false);
        } finally {
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    });
});
