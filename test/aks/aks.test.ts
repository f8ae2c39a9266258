/**
 * AksCluster: the kubelogin mode of its kubeconfig, the overlay's address ranges, and the secure
 * baseline under mocks with the stack's explicit azure-native provider.
 */
import { expect } from "chai";
import { parse } from "yaml";
import { NETWORK_CONTRIBUTOR_ROLE, withKubeloginMode } from "../../components/aks";
import { ClusterTarget } from "../../components/cluster";
import { AKS_SERVER_APP } from "../../tools/render/azure-mocks";
import { REDACTED } from "../../tools/render/wire";
import { azureProviderRef, one, recordWithAzure, withoutAzureProvider } from "../azure/fixtures";
import { configProblems, testConfig } from "../helpers/stack-config";

function clusterProblems(block: Record<string, unknown>, secret = false): readonly string[] {
    return configProblems({ cluster: block }, secret ? ["agent-platform:cluster"] : []);
}

describe("kubelogin mode", () => {
    const kubeconfig = [
        "apiVersion: v1",
        "kind: Config",
        "users:",
        "  - name: clusterUser",
        "    user:",
        "      exec:",
        "        command: kubelogin",
        "        args: [get-token, --environment, AzurePublicCloud, --server-id, 6dae42f8-4368-4678-94ff-3960e28e3630, --client-id, 80faf920-1908-4b52-b5ef-a8e7bedfc67a, --tenant-id, t1, --login, devicecode]",
    ].join("\n");
    const argsFor = (mode: Parameters<typeof withKubeloginMode>[1]) => parse(withKubeloginMode(kubeconfig, mode)).users[0].user.exec.args;

    it("replaces the device-code login AKS hands out, keeping only the server id as kubelogin convert-kubeconfig does", () => {
        expect(argsFor("azurecli")).to.deep.equal(["get-token", "--server-id", "6dae42f8-4368-4678-94ff-3960e28e3630", "--login", "azurecli"]);
        // AKS's own public client id would make workload identity and MSI sign in as the wrong application.
        expect(argsFor("workloadidentity")).to.deep.equal(["get-token", "--server-id", "6dae42f8-4368-4678-94ff-3960e28e3630", "--login", "workloadidentity"]);
        expect(argsFor("msi")).to.not.include("--client-id");
    });
    it("keeps the client and tenant for the logins that use them", () => {
        expect(argsFor("devicecode")).to.include.members(["--client-id", "80faf920-1908-4b52-b5ef-a8e7bedfc67a", "--tenant-id", "t1"]);
        expect(argsFor("spn").slice(-2)).to.deep.equal(["--login", "spn"]);
    });
    it("leaves users that are not kubelogin alone", () => {
        const other = "users:\n  - name: u\n    user:\n      token: abc\n";
        expect(parse(withKubeloginMode(other, "azurecli"))).to.deep.equal(parse(other));
    });
});

describe("AKS overlay ranges", () => {
    const aksProblems = (network: Record<string, unknown>) =>
        clusterProblems({ target: "aks", aks: { location: "westeurope", network } }).filter((p) => p.startsWith("agent-platform:cluster."));

    it("refuses a Service range that overlaps the pod range", () => {
        expect(aksProblems({ podCidr: "10.0.0.0/8" })).to.deep.equal([
            "agent-platform:cluster.aks.network.serviceCidr: 10.0.0.0/16 overlaps cluster.aks.network.podCidr 10.0.0.0/8 (allowed: disjoint ranges, e.g. the defaults 10.0.0.0/16 and 10.244.0.0/16)",
        ]);
    });
    it("refuses a DNS Service IP outside the Service range, or its first address", () => {
        expect(aksProblems({ dnsServiceIp: "10.1.0.10" })).to.deep.equal([
            "agent-platform:cluster.aks.network.dnsServiceIp: 10.1.0.10 is outside cluster.aks.network.serviceCidr 10.0.0.0/16 (allowed: an address inside it, e.g. its tenth)",
        ]);
        expect(aksProblems({ dnsServiceIp: "10.0.0.0" })).to.deep.equal([
            "agent-platform:cluster.aks.network.dnsServiceIp: 10.0.0.0 is the first address of 10.0.0.0/16, which `kubernetes.default` takes (allowed: another address inside it, e.g. its tenth)",
        ]);
        // Octets above 255 are no address: refused by the field, not passed on to the range checks.
        expect(aksProblems({ dnsServiceIp: "10.0.0.999" }).join("\n")).to.contain("agent-platform:cluster.aks.network.dnsServiceIp: must be an IPv4 address");
    });
    it("refuses ranges AKS reserves and a Service range larger than /12", () => {
        expect(aksProblems({ podCidr: "172.31.0.0/16", serviceCidr: "10.0.0.0/11", dnsServiceIp: "10.0.0.10" })).to.deep.equal([
            "agent-platform:cluster.aks.network.podCidr: 172.31.0.0/16 overlaps 172.31.0.0/16, which AKS reserves (allowed: a private range outside 169.254.0.0/16, 172.30.0.0/16, 172.31.0.0/16, 192.0.2.0/24)",
            "agent-platform:cluster.aks.network.serviceCidr: 10.0.0.0/11 is larger than AKS allows (allowed: a prefix of /12 or longer, e.g. /16)",
        ]);
    });
});

it("refuses network policy cluster ranges that miss the AKS ranges, which would count as the internet", () => {
    expect(configProblems({ cluster: { target: "aks", aks: { location: "westeurope", network: { podCidr: "10.50.0.0/16" } } } })).to.deep.equal([
        "agent-platform:networkPolicy.clusterCidrs.pods: must include the AKS pods range 10.50.0.0/16 (cluster.aks.network), or it would count as the internet",
    ]);
});

describe("ClusterTarget with AKS", () => {
    const stackConfig = testConfig({
        cluster: { target: "aks", aks: { location: "westeurope", adminGroupObjectIds: ["6f1c8e9a-0b1d-4c2e-9f3a-5b6c7d8e9f01"], tags: { team: "platform" } } },
    });
    const config = stackConfig.cluster;
    let recorded: Awaited<ReturnType<typeof recordWithAzure>>;
    const byType = (type: string) => recorded.recording.resources.filter((r) => r.type === type);
    before(async () => {
        recorded = await recordWithAzure((azure) => new ClusterTarget("cluster", { config, stack: "staging", network: stackConfig.azure.network }, azure));
    });

    it("creates a resource group, an identity, the cluster and a separate user pool, named after the stack", () => {
        expect(byType("azure-native:resources:ResourceGroup")[0]!.inputs["resourceGroupName"]).to.equal("agent-platform-staging");
        expect(byType("azure-native:containerservice:ManagedCluster")[0]!.inputs["resourceName"]).to.equal("agent-platform-staging");
        expect(byType("azure-native:managedidentity:UserAssignedIdentity")).to.have.length(1);
        expect(byType("azure-native:containerservice:AgentPool")).to.have.length(1);
    });

    it("gives the cluster the secure baseline", () => {
        const inputs = byType("azure-native:containerservice:ManagedCluster")[0]!.inputs as any;
        const identity = byType("azure-native:managedidentity:UserAssignedIdentity")[0]!;
        expect(inputs.identity.type).to.equal("UserAssigned");
        expect(inputs.identity.userAssignedIdentities).to.have.length(1);
        expect(inputs.identity.userAssignedIdentities[0]).to.match(/UserAssignedIdentity\/agent-platform-staging-control-plane$/);
        expect(identity.inputs["resourceName"]).to.equal("agent-platform-staging-control-plane");
        expect(inputs.oidcIssuerProfile).to.deep.equal({ enabled: true });
        expect(inputs.securityProfile.workloadIdentity).to.deep.equal({ enabled: true });
        expect(inputs.aadProfile).to.deep.equal({ managed: true, enableAzureRBAC: true, adminGroupObjectIDs: ["6f1c8e9a-0b1d-4c2e-9f3a-5b6c7d8e9f01"] });
        expect(inputs.disableLocalAccounts).to.equal(true);
        expect(inputs.networkProfile).to.include({ networkPlugin: "azure", networkPluginMode: "overlay", networkDataplane: "cilium", networkPolicy: "cilium" });
        expect(inputs.autoUpgradeProfile).to.deep.equal({ upgradeChannel: "stable", nodeOSUpgradeChannel: "NodeImage" });
        expect(inputs.tags).to.deep.equal({ team: "platform" });
    });

    it("autoscales the system pool across three zones and keeps workloads off it", () => {
        const [system] = (byType("azure-native:containerservice:ManagedCluster")[0]!.inputs as any).agentPoolProfiles;
        expect(system).to.include({ mode: "System", enableAutoScaling: true, minCount: 2, maxCount: 5 });
        expect(system.availabilityZones).to.deep.equal(["1", "2", "3"]);
        expect(system.nodeTaints).to.deep.equal(["CriticalAddonsOnly=true:NoSchedule"]);
    });

    it("runs workloads on a user pool that autoscales across zones", () => {
        const pool = byType("azure-native:containerservice:AgentPool")[0]!.inputs as any;
        expect(pool).to.include({ mode: "User", enableAutoScaling: true, minCount: 2, maxCount: 10, resourceName: "agent-platform-staging" });
        expect(pool.availabilityZones).to.deep.equal(["1", "2", "3"]);
    });

    it("fetches the exec-format user kubeconfig and keeps it secret in the provider", () => {
        expect(recorded.recording.calls.map((c) => c.token)).to.include("azure-native:containerservice:listManagedClusterUserCredentials");
        const provider = byType("pulumi:providers:kubernetes").find((r) => r.name === "cluster-k8s")!;
        expect(provider.inputs["kubeconfig"]).to.equal(REDACTED);
    });

    it("hands the provider AKS's user kubeconfig with the configured kubelogin login, as a secret", async () => {
        let target: ClusterTarget | undefined;
        await recordWithAzure((azure) => (target = new ClusterTarget("cluster", { config, stack: "staging", network: stackConfig.azure.network }, azure)));
        const kubeconfig = target!.aks!.kubeconfig;
        expect(await (kubeconfig as any).isSecret).to.equal(true);
        const value = await new Promise<string>((resolve) => kubeconfig.apply((v) => resolve(v)));
        const exec = parse(value).users[0].user.exec;
        expect(exec.command).to.equal("kubelogin");
        expect(exec.args).to.deep.equal(["get-token", "--server-id", AKS_SERVER_APP, "--login", "azurecli"]);
    });

    it("creates every Azure resource, and fetches the kubeconfig, with the stack's explicit azure-native provider", () => {
        expect(recorded.recording.calls.filter((c) => c.token.startsWith("azure-native:"))).to.have.length.greaterThan(0);
        expect(withoutAzureProvider(recorded.recording)).to.deep.equal([]);
        expect(azureProviderRef(recorded.recording)).to.match(/pulumi:providers:azure-native::test-azure$/);
    });

    it("puts both node pools in the node subnet of the stack's virtual network", () => {
        const subnet = one(recorded.recording, "azure-native:network:Subnet", "cluster-aks-network-nodes");
        const [system] = (byType("azure-native:containerservice:ManagedCluster")[0]!.inputs as any).agentPoolProfiles;
        const pool = byType("azure-native:containerservice:AgentPool")[0]!;
        expect(subnet.inputs).to.include({ addressPrefix: "10.224.0.0/20" });
        expect(system.vnetSubnetID).to.match(
            /\/resourceGroups\/agent-platform-staging\/providers\/Microsoft\.Network\/virtualNetworks\/agent-platform-staging-vnet\/subnets\/nodes$/,
        );
        expect((pool.inputs as any).vnetSubnetID).to.equal(system.vnetSubnetID);
        // Both pools wait for the subnet: the engine creates them after it.
        expect(one(recorded.recording, "azure-native:containerservice:ManagedCluster").dependsOn).to.include(subnet.urn);
        expect(pool.dependsOn).to.include(subnet.urn);
    });

    it("keeps Azure CNI overlay with Cilium, its ranges apart from the virtual network", () => {
        const inputs = byType("azure-native:containerservice:ManagedCluster")[0]!.inputs as any;
        expect(inputs.networkProfile).to.include({
            networkPluginMode: "overlay",
            networkDataplane: "cilium",
            podCidr: "10.244.0.0/16",
            serviceCidr: "10.0.0.0/16",
            dnsServiceIP: "10.0.0.10",
        });
        expect((one(recorded.recording, "azure-native:network:VirtualNetwork").inputs as any).addressSpace.addressPrefixes).to.deep.equal(["10.224.0.0/16"]);
    });

    it("lets the control plane's identity manage the node subnet before the cluster is created", () => {
        const assignment = one(recorded.recording, "azure-native:authorization:RoleAssignment", "cluster-aks-identity-network-contributor");
        const identity = one(recorded.recording, "azure-native:managedidentity:UserAssignedIdentity");
        const cluster = one(recorded.recording, "azure-native:containerservice:ManagedCluster");
        expect(assignment.inputs["roleDefinitionId"]).to.equal(
            `/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/${NETWORK_CONTRIBUTOR_ROLE}`,
        );
        expect(assignment.inputs["scope"]).to.match(/\/subnets\/nodes$/);
        expect(assignment.inputs).to.include({ principalType: "ServicePrincipal" });
        expect(assignment.inputs["principalId"]).to.be.a("string").and.not.be.empty;
        expect(identity.name).to.equal("cluster-aks-identity");
        expect(cluster.dependsOn).to.include(assignment.urn);
    });

    it("identifies the cluster by its Azure resource id and waits for the user pool", () => {
        const provider = byType("pulumi:providers:kubernetes").find((r) => r.name === "cluster-k8s")!;
        expect(provider.inputs["clusterIdentifier"]).to.match(/\/providers\/Microsoft\.ContainerService\/managedClusters\/agent-platform-staging$/);
        expect(provider.dependsOn).to.include(byType("azure-native:containerservice:AgentPool")[0]!.urn);
    });
});
