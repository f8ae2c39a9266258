/**
 * The Azure built-in roles a `cluster.aks.access` entry (and the deployer) can be given, by the
 * short name the config uses. The cluster has Entra ID integration with Azure RBAC for Kubernetes
 * authorization (`aadProfile.enableAzureRBAC`, local accounts disabled, components/aks/), so
 * Entra principals are authorized for Kubernetes calls by these Azure roles on the cluster, or on
 * one namespace of it (scope `<cluster id>/namespaces/<name>`):
 * https://learn.microsoft.com/azure/aks/manage-azure-rbac
 *
 * Role definition ids: https://learn.microsoft.com/azure/role-based-access-control/built-in-roles
 * (containers: the four "Azure Kubernetes Service RBAC ..." roles and "Azure Kubernetes Service
 * Cluster User Role"; general: "Reader").
 */

export const ACCESS_ROLE_NAMES = ["clusterAdmin", "admin", "writer", "reader", "clusterUser", "resourceGroupReader"] as const;
export type AccessRole = (typeof ACCESS_ROLE_NAMES)[number];

export interface AccessRoleSpec {
    /** The built-in role's name in Azure. */
    azureName: string;
    /** The built-in role definition's GUID (the same in every subscription). */
    roleDefinition: string;
    /** What the role's assignment is scoped to. */
    scope: "cluster" | "resourceGroup";
    /** Whether an entry may narrow it to one Kubernetes namespace. */
    namespaced: boolean;
    /** What it lets the principal do, for docs and descriptions. */
    grants: string;
}

export const ACCESS_ROLES: Readonly<Record<AccessRole, AccessRoleSpec>> = {
    clusterAdmin: {
        azureName: "Azure Kubernetes Service RBAC Cluster Admin",
        roleDefinition: "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b",
        scope: "cluster",
        namespaced: false,
        grants: "every Kubernetes action on every object (CRDs, cluster roles, namespaces): what `pulumi up` needs",
    },
    admin: {
        azureName: "Azure Kubernetes Service RBAC Admin",
        roleDefinition: "3498e952-d568-435e-9b2c-8d77e338d7f7",
        scope: "cluster",
        namespaced: true,
        grants: "read and write most objects, Roles and RoleBindings included, in the cluster or one namespace; not namespaces or quotas",
    },
    writer: {
        azureName: "Azure Kubernetes Service RBAC Writer",
        roleDefinition: "a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb",
        scope: "cluster",
        namespaced: true,
        grants: "read and write most objects in the cluster or one namespace; not Roles or RoleBindings",
    },
    reader: {
        azureName: "Azure Kubernetes Service RBAC Reader",
        roleDefinition: "7f6c6a51-bcf8-42ba-9220-52d62157d7db",
        scope: "cluster",
        namespaced: true,
        grants: "read most objects in the cluster or one namespace; not Secrets, Roles or RoleBindings",
    },
    clusterUser: {
        azureName: "Azure Kubernetes Service Cluster User Role",
        roleDefinition: "4abbcc35-e782-43d8-92c5-2d3f1bd2253f",
        scope: "cluster",
        namespaced: false,
        grants: "fetch the cluster's user kubeconfig (listClusterUserCredential: `az aks get-credentials`, and the stack's own credentials invoke); no Kubernetes rights by itself",
    },
    resourceGroupReader: {
        azureName: "Reader",
        roleDefinition: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
        scope: "resourceGroup",
        namespaced: false,
        grants: "read every Azure resource in the stack's resource group (`pulumi refresh`, the portal); no writes, no Kubernetes rights",
    },
};

/** A built-in role's definition id in the subscription of an Azure resource id. */
export function roleDefinitionIdFor(resourceId: string, roleDefinition: string): string {
    const subscription = resourceId.split("/")[2];
    return `/subscriptions/${subscription}/providers/Microsoft.Authorization/roleDefinitions/${roleDefinition}`;
}
