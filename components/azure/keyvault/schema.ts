/**
 * The `azure.keyVault` block: the stack's Key Vault and the secrets it seeds into it
 * (`azure.keyVault.secrets`). What the stack generates into the vault, and the rules that span
 * blocks, are the config layer's (components/config/vault.ts and rules.ts).
 *
 *   azure:
 *     keyVault:
 *       enabled: true
 *       secrets:
 *         anthropic-api-key: { secure: ... }   # pulumi config set --secret --path 'azure.keyVault.secrets.anthropic-api-key' ...
 */
import { z } from "zod";
import { sensitiveString } from "../../core/schema";
import { KEY_VAULT_SECRET_NAME_PATTERN } from "../../secrets/resolve";
import { azureName, KEY_VAULT_NAME } from "../names";

/** The `azure.keyVault.secrets` field: vault secret name -> secret value. */
export const keyVaultSecretsField = z
    .record(z.string(), sensitiveString("Value of the vault secret; set it with `pulumi config set --secret --path 'azure.keyVault.secrets.<name>' <value>`."))
    .default({})
    .superRefine((secrets, ctx) => {
        for (const name of Object.keys(secrets)) {
            if (!KEY_VAULT_SECRET_NAME_PATTERN.test(name)) {
                ctx.addIssue({ code: "custom", path: [name], message: "is not a Key Vault secret name (allowed: 1 to 127 letters, digits and '-')" });
            }
        }
    })
    .meta({
        description:
            "Secrets the stack writes into its vault, by vault secret name (1-127 letters, digits, '-'), each a secret config value. External Secrets reads them under these names (a service's `secrets.<id>.remoteKey`, default the id in kebab-case); the stack writes them before any ExternalSecret is created.",
    });

export const keyVaultBlock = z
    .strictObject({
        enabled: z.boolean().default(false).meta({
            description:
                "Create a Key Vault (RBAC mode) and a workload identity that reads it, federated with the ServiceAccount of every service whose secrets use mode `external` (needs `cluster.target: aks`).",
        }),
        name: azureName(
            KEY_VAULT_NAME,
            "Vault name, globally unique (it becomes `<name>.vault.azure.net`); default `ap-<stack>-kv-<suffix>`, the prefix cut to fit 24 characters and a random 6-character suffix generated once and kept in state. A deleted vault keeps its name for `softDeleteRetentionDays` (docs/first-deploy-aks.md).",
        ).optional(),
        sku: z.enum(["standard", "premium"]).default("standard").meta({ description: "Vault SKU (premium adds HSM-backed keys)." }),
        softDeleteRetentionDays: z.number().int().min(7).max(90).default(90).meta({ description: "Days a deleted secret can be recovered." }),
        purgeProtection: z.boolean().default(true).meta({ description: "Forbid purging deleted secrets before retention ends (cannot be turned off later)." }),
        secrets: keyVaultSecretsField,
    })
    .meta({ description: "Azure Key Vault for the secrets block's `external` mode." });

export type KeyVaultConfig = z.output<typeof keyVaultBlock>;
