/**
 * AksAccess: the Azure role assignments that let people and pipelines use the AKS cluster the
 * stack creates. The cluster uses Entra ID with Azure RBAC for Kubernetes authorization and has
 * local accounts disabled (components/aks/), so a Kubernetes call succeeds only for a principal
 * with one of the "Azure Kubernetes Service RBAC ..." roles on the cluster or the namespace
 * (https://learn.microsoft.com/azure/aks/manage-azure-rbac).
 *
 * - The deployer: the identity the azure-native provider signs in as (`getClientConfig`, through
 *   the stack's explicit provider) gets Azure Kubernetes Service RBAC Cluster Admin, so the same
 *   `pulumi up` that creates the cluster can create the Kubernetes objects in it.
 * - `cluster.aks.access`: named roles for users, groups and service principals (the CI identities).
 *
 * `assignments` are the custom resources the stack's Kubernetes provider depends on (a
 * component's dependsOn does not reach its children). New assignments can take up to five
 * minutes to reach the cluster's authorization webhook (same page); see docs/first-deploy-aks.md.
 */
import * as authorization from "@pulumi/azure-native/authorization";
import * as pulumi from "@pulumi/pulumi";
import { buildRoleAssignmentSpec, type ClusterAccessPlan, type PlannedAssignment } from "./resolve";

export { ACCESS_ROLES, ACCESS_ROLE_NAMES, type AccessRole, roleDefinitionIdFor } from "./roles";
export { accessEntry, accessList, accessProblems, deployerBlock, type AccessEntry, type DeployerConfig } from "./schema";
export { deployerPrincipalType, resolveClusterAccess, type ClusterAccessPlan, type PlannedAssignment } from "./resolve";

export interface AksAccessArgs {
    plan: ClusterAccessPlan;
    /** The ManagedCluster's resource id. */
    clusterId: pulumi.Input<string>;
    /** The stack's resource group id (scope of `resourceGroupReader`). */
    resourceGroupId: pulumi.Input<string>;
}

export class AksAccess extends pulumi.ComponentResource {
    /** The deployer's Cluster Admin assignment, when `cluster.aks.deployer.grant` is on. */
    readonly deployer?: authorization.RoleAssignment;
    /** Every assignment, the deployer's first: what Kubernetes objects must wait for. */
    readonly assignments: authorization.RoleAssignment[];
    /** Object id of the identity running the program. */
    readonly deployerObjectId: pulumi.Output<string>;

    constructor(name: string, args: AksAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("agent-platform:azure:AksAccess", name, {}, opts);
        // Through the explicit azure-native provider the parent chain carries.
        const client = authorization.getClientConfigOutput({ parent: this });
        this.deployerObjectId = client.objectId;
        const ids = pulumi.all([args.clusterId, args.resourceGroupId]).apply(([clusterId, resourceGroupId]) => ({ clusterId, resourceGroupId }));
        const assign = (plan: PlannedAssignment, principalId: pulumi.Input<string>) => {
            const spec = ids.apply((resolved) => buildRoleAssignmentSpec(plan, resolved));
            return new authorization.RoleAssignment(
                `${name}-${plan.key}`,
                {
                    principalId,
                    principalType: plan.principalType,
                    roleDefinitionId: spec.roleDefinitionId,
                    scope: spec.scope,
                    description: plan.description,
                },
                { parent: this },
            );
        };
        this.deployer = args.plan.deployer && assign(args.plan.deployer, client.objectId);
        this.assignments = [...(this.deployer ? [this.deployer] : []), ...args.plan.entries.map((entry) => assign(entry, entry.principal))];
        this.registerOutputs({ deployerObjectId: this.deployerObjectId });
    }
}
