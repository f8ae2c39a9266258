/**
 * Turns `cluster.aks.access` and `cluster.aks.deployer` into the role assignments to create
 * (pure, for tests): which principal, which built-in role, on which scope, and a resource name
 * that follows the entry rather than its position, so reordering the list replaces nothing.
 */
import { createHash } from "node:crypto";
import type { AccessEntry, DeployerConfig } from "./schema";
import { ACCESS_ROLES, type AccessRole, roleDefinitionIdFor } from "./roles";

export type PrincipalType = "User" | "Group" | "ServicePrincipal";

/**
 * Environment variables with which the azure-native provider signs in as an application
 * (service principal or managed identity) rather than through the Azure CLI's login.
 * https://www.pulumi.com/registry/packages/azure-native/installation-configuration/
 */
export const APPLICATION_SIGN_IN_ENV = [
    "ARM_USE_OIDC",
    "ARM_USE_MSI",
    "ARM_CLIENT_SECRET",
    "ARM_CLIENT_CERTIFICATE_PATH",
    "ARM_OIDC_TOKEN",
    "ARM_OIDC_TOKEN_FILE_PATH",
] as const;

/**
 * The deployer's principal type. A role assignment must state the right one: azure-native sends
 * `User` when none is given, and Azure answers UnmatchedPrincipalType for a service principal.
 */
export function deployerPrincipalType(
    setting: DeployerConfig["principalType"],
    env: Readonly<Record<string, string | undefined>>,
): "User" | "ServicePrincipal" {
    if (setting !== "auto") return setting;
    const signsInAsApplication = APPLICATION_SIGN_IN_ENV.some((name) => {
        const value = env[name]?.trim().toLowerCase();
        return value !== undefined && value !== "" && value !== "false" && value !== "0";
    });
    return signsInAsApplication ? "ServicePrincipal" : "User";
}

export interface PlannedAssignment {
    /** Stable part of the resource name: the role and a hash of principal and namespace. */
    key: string;
    /** The principal's object id, or `deployer` for the identity running `pulumi up`. */
    principal: string;
    principalType: PrincipalType;
    role: AccessRole;
    namespace?: string;
    description: string;
}

export interface ClusterAccessPlan {
    /** The deployer's assignment (role clusterAdmin on the cluster), unless `deployer.grant` is false. */
    deployer?: PlannedAssignment;
    entries: PlannedAssignment[];
}

function keyOf(role: AccessRole, principal: string, namespace: string | undefined): string {
    const hash = createHash("sha256")
        .update(`${principal.toLowerCase()}|${namespace ?? ""}`)
        .digest("hex")
        .slice(0, 8);
    return `${role}-${hash}`;
}

export function resolveClusterAccess(
    aks: { access: AccessEntry[]; deployer: DeployerConfig },
    deployerType: "User" | "ServicePrincipal",
    clusterName: string,
): ClusterAccessPlan {
    const deployer: PlannedAssignment | undefined = aks.deployer.grant
        ? {
              key: "deployer-cluster-admin",
              principal: "deployer",
              principalType: deployerType,
              role: "clusterAdmin",
              description: `The identity that runs pulumi up for ${clusterName} (agent-platform: cluster.aks.deployer).`,
          }
        : undefined;
    const entries = aks.access.map((entry): PlannedAssignment => ({
        key: keyOf(entry.role, entry.principalId, entry.namespace),
        principal: entry.principalId.toLowerCase(),
        principalType: entry.principalType,
        role: entry.role,
        ...(entry.namespace !== undefined ? { namespace: entry.namespace } : {}),
        description: entry.description ?? `${ACCESS_ROLES[entry.role].azureName} on ${clusterName} (agent-platform: cluster.aks.access).`,
    }));
    return { deployer, entries };
}

/** Where an assignment applies: the cluster, one of its namespaces, or the resource group. */
export function assignmentScope(plan: Pick<PlannedAssignment, "role" | "namespace">, ids: { clusterId: string; resourceGroupId: string }): string {
    if (ACCESS_ROLES[plan.role].scope === "resourceGroup") return ids.resourceGroupId;
    return plan.namespace !== undefined ? `${ids.clusterId}/namespaces/${plan.namespace}` : ids.clusterId;
}

/** The RoleAssignment's inputs apart from the principal id (pure). */
export function buildRoleAssignmentSpec(plan: PlannedAssignment, ids: { clusterId: string; resourceGroupId: string }) {
    return {
        principalType: plan.principalType,
        roleDefinitionId: roleDefinitionIdFor(ids.clusterId, ACCESS_ROLES[plan.role].roleDefinition),
        scope: assignmentScope(plan, ids),
        description: plan.description,
    };
}
