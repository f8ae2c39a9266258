/**
 * AzureKeyVault: a Key Vault in RBAC mode plus a user-assigned identity that may read its
 * secrets, federated with the cluster's OIDC issuer for the ServiceAccounts of the services
 * whose secrets block uses `external` mode, so External Secrets Operator reads the vault with
 * workload identity and no stored credential.
 */
import * as authorization from "@pulumi/azure-native/authorization";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { defaultKeyVaultName, NAME_SUFFIX_SPEC } from "../names";
import { KeyVaultSecrets, VaultSecret } from "./secrets";
import type { AzurePlacement } from "../placement";
import type { KeyVaultReader } from "../../secrets/resolve";
import type { KeyVaultConfig } from "./schema";

/** Built-in role "Key Vault Secrets User": read secret contents, nothing else. */
export const KEY_VAULT_SECRETS_USER_ROLE = "4633458b-17de-408a-b874-0445c86b69e6";
/** Built-in role "Key Vault Secrets Officer": every action on secrets (learn.microsoft.com/azure/role-based-access-control/built-in-roles/security). */
export const KEY_VAULT_SECRETS_OFFICER_ROLE = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7";

/** A Kubernetes ServiceAccount that reads the vault through workload identity. */
export type { KeyVaultReader };

export interface AzureKeyVaultArgs extends AzurePlacement {
    config: KeyVaultConfig;
    /** The AKS cluster's OIDC issuer URL. */
    oidcIssuerUrl: pulumi.Input<string>;
    /** ServiceAccounts that may read the vault (one federated credential each; Azure allows 20). */
    readers: KeyVaultReader[];
    /** Secrets the stack writes into the vault (seeded from config, or generated). @default [] */
    secrets?: readonly VaultSecret[];
    /** Principal type of the identity running `up` (its Secrets Officer assignment); unset lets Azure look it up. */
    deployerPrincipalType?: string;
}

/**
 * The vault's name: `azure.keyVault.name` as configured (checked by the config layer), else
 * `ap-<stack>-kv-<suffix>` with the stack's random suffix (azure/names.ts).
 */
export function keyVaultName(args: Pick<AzureKeyVaultArgs, "config" | "stack">, suffix: string): string {
    return args.config.name ?? defaultKeyVaultName(args.stack, suffix);
}

/** The `sub` claim of a ServiceAccount token, which the federated credential trusts. */
export function serviceAccountSubject(namespace: string, serviceAccount: string): string {
    return `system:serviceaccount:${namespace}:${serviceAccount}`;
}

export class AzureKeyVault extends pulumi.ComponentResource {
    /** The vault's (global) name, for `az keyvault` commands. */
    readonly vaultName: pulumi.Output<string>;
    readonly vaultUrl: pulumi.Output<string>;
    /** Client id of the reader identity, for the ServiceAccount's workload identity annotation. */
    readonly readerClientId: pulumi.Output<string>;
    readonly tenantId: pulumi.Output<string>;
    /**
     * What an ExternalSecret reading this vault waits for: the reader's role assignment and
     * federated credentials, and every secret the stack writes.
     */
    readonly ready: pulumi.Resource[];

    constructor(name: string, args: AzureKeyVaultArgs, opts?: pulumi.ComponentResourceOptions) {
        super("agent-platform:azure:AzureKeyVault", name, {}, opts);
        const { config } = args;
        const client = authorization.getClientConfigOutput({ parent: this });
        // The default name's suffix: generated on the first `up`, then kept in state; none for a configured name.
        const vaultName =
            config.name !== undefined
                ? pulumi.output(config.name)
                : new random.RandomString(`${name}-name-suffix`, { ...NAME_SUFFIX_SPEC }, { parent: this }).result.apply((suffix) =>
                      keyVaultName(args, suffix),
                  );
        const vault = new keyvault.Vault(
            `${name}-vault`,
            {
                resourceGroupName: args.resourceGroupName,
                vaultName,
                location: args.location,
                tags: args.tags,
                properties: {
                    tenantId: client.tenantId,
                    sku: { family: "A", name: config.sku },
                    enableRbacAuthorization: true,
                    enableSoftDelete: true,
                    softDeleteRetentionInDays: config.softDeleteRetentionDays,
                    ...(config.purgeProtection ? { enablePurgeProtection: true } : {}),
                },
            },
            { parent: this },
        );
        const reader = new managedidentity.UserAssignedIdentity(
            `${name}-reader`,
            { resourceGroupName: args.resourceGroupName, location: args.location, resourceName: pulumi.interpolate`${vaultName}-reader`, tags: args.tags },
            { parent: this },
        );
        if (args.readers.length > 20) throw new Error("a Key Vault reader identity can be federated with at most 20 ServiceAccounts");
        let previous: pulumi.Resource | undefined;
        for (const { namespace, serviceAccount } of args.readers) {
            previous = new managedidentity.FederatedIdentityCredential(
                `${name}-reader-${serviceAccount}`,
                {
                    resourceGroupName: args.resourceGroupName,
                    resourceName: reader.name,
                    federatedIdentityCredentialResourceName: serviceAccount,
                    issuer: args.oidcIssuerUrl,
                    subject: pulumi.output(namespace).apply((ns) => serviceAccountSubject(ns, serviceAccount)),
                    audiences: ["api://AzureADTokenExchange"],
                },
                // Azure rejects concurrent writes of federated credentials on one identity: one at a time.
                { parent: this, dependsOn: previous ? [previous] : [] },
            );
        }
        const readerAccess = new authorization.RoleAssignment(
            `${name}-reader-secrets-user`,
            {
                principalId: reader.principalId,
                principalType: "ServicePrincipal",
                roleDefinitionId: pulumi.interpolate`/subscriptions/${client.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${KEY_VAULT_SECRETS_USER_ROLE}`,
                scope: vault.id,
            },
            { parent: this },
        );
        this.vaultName = vault.name;
        // The identity running `up` writes the stack's secrets (and may set the others by hand).
        const writerAccess = new authorization.RoleAssignment(
            `${name}-deployer-secrets-officer`,
            {
                principalId: client.objectId,
                ...(args.deployerPrincipalType ? { principalType: args.deployerPrincipalType } : {}),
                roleDefinitionId: pulumi.interpolate`/subscriptions/${client.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${KEY_VAULT_SECRETS_OFFICER_ROLE}`,
                scope: vault.id,
            },
            { parent: this },
        );
        const written = (args.secrets ?? []).length
            ? new KeyVaultSecrets(
                  `${name}-secrets`,
                  { resourceGroupName: args.resourceGroupName, vaultName: vault.name, secrets: args.secrets!, writerAccess: [writerAccess], tags: args.tags },
                  { parent: this },
              ).written
            : [];
        this.ready = [readerAccess, ...(previous ? [previous] : []), ...written];
        this.vaultUrl = vault.properties.apply((p) => p.vaultUri ?? "");
        this.readerClientId = reader.clientId;
        this.tenantId = client.tenantId;
        this.registerOutputs({ vaultName: this.vaultName, vaultUrl: this.vaultUrl, readerClientId: this.readerClientId });
    }
}
