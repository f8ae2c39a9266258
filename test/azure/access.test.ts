/**
 * Who may use the AKS cluster: the deployer's RBAC Cluster Admin and the `cluster.aks.access`
 * roles. Pure rules (object ids, roles, scopes, principal types), then the cluster under mocks:
 * each assignment through the explicit azure-native provider with the built-in role's id, and the
 * Kubernetes provider (so every Kubernetes object) waiting for them.
 */
import { expect } from "chai";
import { ACCESS_ROLES, deployerPrincipalType, resolveClusterAccess } from "../../components/azure/access";
import { assignmentScope, buildRoleAssignmentSpec } from "../../components/azure/access/resolve";
import { ClusterTarget } from "../../components/cluster";
import { RENDERED_CLIENT } from "../../tools/render/azure-mocks";
import { byType, one, recordWithAzure, withoutAzureProvider } from "./fixtures";
import { configProblems, testConfig } from "../helpers/stack-config";

const PEOPLE = "6f1c8e9a-0b1d-4c2e-9f3a-5b6c7d8e9f01";
const PREVIEW = "0a4f2c3e-5b6d-4e7f-8a9b-0c1d2e3f4a5b";
const ONCALL = "11111111-2222-3333-4444-555555555555";
const aks = (extra: Record<string, unknown>) => ({ cluster: { target: "aks", aks: { location: "westeurope", ...extra } } });
/** The `cluster.aks` problems of a config, none when it is valid. */
function accessProblems(extra: Record<string, unknown>): string[] {
    try {
        testConfig(aks(extra));
        return [];
    } catch {
        return configProblems(aks(extra)).filter((p) => p.startsWith("agent-platform:cluster.aks."));
    }
}

describe("the built-in roles of cluster.aks.access", () => {
    it("are Azure's built-in role definitions, by their documented ids", () => {
        // https://learn.microsoft.com/azure/role-based-access-control/built-in-roles
        expect(Object.fromEntries(Object.values(ACCESS_ROLES).map((r) => [r.azureName, r.roleDefinition]))).to.deep.equal({
            "Azure Kubernetes Service RBAC Cluster Admin": "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b",
            "Azure Kubernetes Service RBAC Admin": "3498e952-d568-435e-9b2c-8d77e338d7f7",
            "Azure Kubernetes Service RBAC Writer": "a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb",
            "Azure Kubernetes Service RBAC Reader": "7f6c6a51-bcf8-42ba-9220-52d62157d7db",
            "Azure Kubernetes Service Cluster User Role": "4abbcc35-e782-43d8-92c5-2d3f1bd2253f",
            Reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
        });
    });
});

describe("cluster.aks.access config", () => {
    it("defaults to no entries and a deployer who gets Cluster Admin, its type detected", () => {
        const config = testConfig(aks({})).cluster.aks!;
        expect(config.access).to.deep.equal([]);
        expect(config.deployer).to.deep.equal({ grant: true, principalType: "auto" });
    });

    it("refuses an object id that is not a GUID, naming the key and the allowed form", () => {
        expect(accessProblems({ access: [{ principalId: "platform-admins", principalType: "Group", role: "clusterAdmin" }] })).to.deep.equal([
            "agent-platform:cluster.aks.access[0].principalId: must be an Entra ID object id (allowed: a GUID such as 6f1c8e9a-0b1d-4c2e-9f3a-5b6c7d8e9f01)",
        ]);
    });

    it("refuses an unknown principal type or role, listing the allowed ones", () => {
        expect(accessProblems({ access: [{ principalId: PEOPLE, principalType: "Robot", role: "owner" }] })).to.deep.equal([
            "agent-platform:cluster.aks.access[0].principalType: 'Robot' is not allowed (allowed: User, Group, ServicePrincipal)",
            "agent-platform:cluster.aks.access[0].role: 'owner' is not allowed (allowed: clusterAdmin, admin, writer, reader, clusterUser, resourceGroupReader)",
        ]);
    });

    it("refuses a namespace on a role that cannot be narrowed to one", () => {
        expect(
            accessProblems({ access: [{ principalId: PREVIEW, principalType: "ServicePrincipal", role: "clusterUser", namespace: "agents" }] }),
        ).to.deep.equal([
            "agent-platform:cluster.aks.access[0].namespace: role clusterUser cannot be narrowed to a namespace (allowed: remove namespace, or a role of admin, writer, reader)",
        ]);
    });

    it("refuses the same principal, role and scope twice, which Azure would refuse", () => {
        const entry = { principalId: PEOPLE, principalType: "Group", role: "writer", namespace: "agents" };
        expect(accessProblems({ access: [entry, { ...entry, principalId: PEOPLE.toUpperCase() }] })).to.deep.equal([
            "agent-platform:cluster.aks.access[1]: repeats cluster.aks.access[0] (the same principal, role and scope); Azure refuses a second identical role assignment (allowed: one entry per principal, role and namespace)",
        ]);
        // Another namespace is another scope.
        expect(accessProblems({ access: [entry, { ...entry, namespace: "monitoring" }] })).to.deep.equal([]);
    });

    it("refuses a deployer without a role when nobody else could deploy", () => {
        expect(accessProblems({ deployer: { grant: false } })).to.deep.equal([
            "agent-platform:cluster.aks.deployer.grant: is false, and no cluster.aks.access entry has role clusterAdmin and adminGroupObjectIds is empty: `pulumi up` could not create a single Kubernetes object (allowed: true, or give the identities that deploy role clusterAdmin in cluster.aks.access)",
        ]);
        expect(
            accessProblems({ deployer: { grant: false }, access: [{ principalId: ONCALL, principalType: "ServicePrincipal", role: "clusterAdmin" }] }),
        ).to.deep.equal([]);
        expect(accessProblems({ deployer: { grant: false }, adminGroupObjectIds: [PEOPLE] })).to.deep.equal([]);
    });
});

describe("the deployer's principal type", () => {
    it("is a service principal when the azure-native provider signs in as an application, else a user", () => {
        expect(deployerPrincipalType("auto", {})).to.equal("User");
        expect(deployerPrincipalType("auto", { ARM_USE_OIDC: "true", ARM_CLIENT_ID: "x" })).to.equal("ServicePrincipal");
        expect(deployerPrincipalType("auto", { ARM_USE_MSI: "true" })).to.equal("ServicePrincipal");
        expect(deployerPrincipalType("auto", { ARM_CLIENT_SECRET: "s" })).to.equal("ServicePrincipal");
        expect(deployerPrincipalType("auto", { ARM_USE_OIDC: "false", ARM_SUBSCRIPTION_ID: "x" })).to.equal("User");
    });
    it("is what the config says when it says one", () => {
        expect(deployerPrincipalType("ServicePrincipal", {})).to.equal("ServicePrincipal");
        expect(deployerPrincipalType("User", { ARM_USE_OIDC: "true" })).to.equal("User");
    });
});

describe("resolveClusterAccess", () => {
    const ids = {
        clusterId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c",
        resourceGroupId: "/subscriptions/s/resourceGroups/rg",
    };
    const entries = [
        { principalId: PREVIEW, principalType: "ServicePrincipal" as const, role: "resourceGroupReader" as const },
        { principalId: PREVIEW, principalType: "ServicePrincipal" as const, role: "clusterUser" as const },
        { principalId: PEOPLE, principalType: "Group" as const, role: "writer" as const, namespace: "agents" },
    ];

    it("scopes each role: the resource group, the cluster, or one namespace of it", () => {
        const plan = resolveClusterAccess({ access: entries, deployer: { grant: true, principalType: "auto" } }, "User", "c");
        expect([plan.deployer!, ...plan.entries].map((p) => assignmentScope(p, ids))).to.deep.equal([
            ids.clusterId,
            ids.resourceGroupId,
            ids.clusterId,
            `${ids.clusterId}/namespaces/agents`,
        ]);
        expect(buildRoleAssignmentSpec(plan.entries[2]!, ids)).to.deep.equal({
            principalType: "Group",
            roleDefinitionId: "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb",
            scope: `${ids.clusterId}/namespaces/agents`,
            description: "Azure Kubernetes Service RBAC Writer on c (agent-platform: cluster.aks.access).",
        });
    });

    it("names each assignment after its entry, so reordering the list replaces nothing", () => {
        const keys = (list: typeof entries) =>
            resolveClusterAccess({ access: list, deployer: { grant: false, principalType: "auto" } }, "User", "c").entries.map((e) => e.key);
        expect(keys([...entries].reverse())).to.deep.equal(keys(entries).reverse());
        expect(new Set(keys(entries)).size).to.equal(3);
    });
});

describe("cluster access under mocks", () => {
    const access = [
        { principalId: PREVIEW, principalType: "ServicePrincipal", role: "resourceGroupReader", description: "CI previews" },
        { principalId: PREVIEW, principalType: "ServicePrincipal", role: "clusterUser" },
        { principalId: PREVIEW, principalType: "ServicePrincipal", role: "reader" },
        { principalId: PEOPLE, principalType: "Group", role: "writer", namespace: "agents" },
    ];
    const stackConfig = testConfig(aks({ access }));
    let recorded: Awaited<ReturnType<typeof recordWithAzure>>;
    const assignments = () => byType(recorded.recording, "azure-native:authorization:RoleAssignment").filter((r) => r.name.startsWith("cluster-aks-access-"));
    before(async () => {
        recorded = await recordWithAzure(
            (azure) =>
                new ClusterTarget(
                    "cluster",
                    { config: stackConfig.cluster, stack: "staging", network: stackConfig.azure.network, deployerPrincipalType: "ServicePrincipal" },
                    azure,
                ),
        );
    });

    it("gives the identity running pulumi up Cluster Admin on the cluster, found through getClientConfig", () => {
        const deployer = one(recorded.recording, "azure-native:authorization:RoleAssignment", "cluster-aks-access-deployer-cluster-admin");
        const cluster = one(recorded.recording, "azure-native:containerservice:ManagedCluster");
        expect(deployer.inputs).to.include({
            principalId: RENDERED_CLIENT.objectId,
            principalType: "ServicePrincipal",
            roleDefinitionId: `/subscriptions/${RENDERED_CLIENT.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b`,
        });
        expect(deployer.inputs["scope"]).to.match(/\/providers\/Microsoft\.ContainerService\/managedClusters\/agent-platform-staging$/);
        expect(deployer.dependsOn).to.include(cluster.urn);
        expect(recorded.recording.calls.map((c) => c.token)).to.include("azure-native:authorization:getClientConfig");
    });

    it("checks that the cluster authorizes Kubernetes calls with Azure RBAC, which these roles rely on", () => {
        const cluster = one(recorded.recording, "azure-native:containerservice:ManagedCluster").inputs as any;
        expect(cluster.aadProfile).to.include({ managed: true, enableAzureRBAC: true });
        expect(cluster.disableLocalAccounts).to.equal(true);
    });

    it("assigns each access entry its built-in role on its scope, with its principal type", () => {
        const rows = assignments()
            .filter((a) => a.name !== "cluster-aks-access-deployer-cluster-admin")
            .map((a) => [
                a.inputs["principalId"],
                a.inputs["principalType"],
                String(a.inputs["roleDefinitionId"]).split("/").pop(),
                String(a.inputs["scope"])
                    .replace(/^.*\/(resourceGroups\/[^/]+)$/, "$1")
                    .replace(/^.*\/managedClusters\//, "cluster:"),
            ]);
        expect(rows).to.deep.equal([
            [PREVIEW, "ServicePrincipal", "acdd72a7-3385-48ef-bd42-f606fba81ae7", "resourceGroups/agent-platform-staging"],
            [PREVIEW, "ServicePrincipal", "4abbcc35-e782-43d8-92c5-2d3f1bd2253f", "cluster:agent-platform-staging"],
            [PREVIEW, "ServicePrincipal", "7f6c6a51-bcf8-42ba-9220-52d62157d7db", "cluster:agent-platform-staging"],
            [PEOPLE, "Group", "a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb", "cluster:agent-platform-staging/namespaces/agents"],
        ]);
        expect(assignments()[1]!.inputs["description"]).to.equal("CI previews");
    });

    it("creates every assignment, and reads the client config, through the explicit azure-native provider", () => {
        expect(assignments()).to.have.length(5);
        expect(withoutAzureProvider(recorded.recording)).to.deep.equal([]);
    });

    it("makes the Kubernetes provider, so every Kubernetes object, wait for the deployer's and every entry's assignment", () => {
        const provider = byType(recorded.recording, "pulumi:providers:kubernetes").find((r) => r.name === "cluster-k8s")!;
        expect(provider.dependsOn).to.include.members(assignments().map((a) => a.urn));
        expect(provider.dependsOn).to.include(
            one(recorded.recording, "azure-native:authorization:RoleAssignment", "cluster-aks-access-deployer-cluster-admin").urn,
        );
    });
});

describe("cluster access when the deployer gets no role", () => {
    it("creates no deployer assignment, and the provider waits for the configured Cluster Admin instead", async () => {
        const stackConfig = testConfig(
            aks({ deployer: { grant: false }, access: [{ principalId: ONCALL, principalType: "ServicePrincipal", role: "clusterAdmin" }] }),
        );
        const recorded = await recordWithAzure(
            (azure) => new ClusterTarget("cluster", { config: stackConfig.cluster, stack: "prod", network: stackConfig.azure.network }, azure),
        );
        const access = byType(recorded.recording, "azure-native:authorization:RoleAssignment").filter((r) => r.name.startsWith("cluster-aks-access-"));
        expect(access.map((a) => a.inputs["principalId"])).to.deep.equal([ONCALL]);
        const provider = byType(recorded.recording, "pulumi:providers:kubernetes").find((r) => r.name === "cluster-k8s")!;
        expect(provider.dependsOn).to.include(access[0]!.urn);
    });

    it("states the configured type when the wiring resolves none (auto is User without the provider's environment)", async () => {
        const stackConfig = testConfig(aks({}));
        const recorded = await recordWithAzure(
            (azure) => new ClusterTarget("cluster", { config: stackConfig.cluster, stack: "prod", network: stackConfig.azure.network }, azure),
        );
        expect(
            one(recorded.recording, "azure-native:authorization:RoleAssignment", "cluster-aks-access-deployer-cluster-admin").inputs["principalType"],
        ).to.equal("User");
    });
});
