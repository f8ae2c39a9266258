/**
 * Secrets: the one way a service gets its sensitive values, whatever their source.
 *
 * A service declares its logical values (`SecretValueSpec`); the stack picks a mode per service:
 * - `managed`: values from stack secrets go into a Secret this stack owns;
 * - `existing`: the user's own Secret (one per service, with key remaps), read in place;
 * - `external`: an ExternalSecret (external-secrets.io/v1) fed by a SecretStore for Azure Key
 *   Vault that authenticates with workload identity.
 * Any value may instead point at a key of any existing Secret (`<id>.existingSecret`). Whatever
 * the mode, consumers get the same answer: a Secret name and key per value (`refs`), which
 * `secretEnv` turns into `secretKeyRef` env entries.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { objectLabels } from "../pod";
import { createKeyVaultSync } from "./keyvault";
import { buildManagedSecret, resolveSecretsArgs, SecretRef, SecretRefs, SecretsArgs } from "./resolve";

export {
    buildExternalSecretSpec,
    buildKeyVaultServiceAccount,
    buildSecretStoreSpec,
    createKeyVaultSync,
    EXTERNAL_SECRET_READY,
    WORKLOAD_IDENTITY_CLIENT_ID,
    WORKLOAD_IDENTITY_TENANT_ID,
} from "./keyvault";
export type { ExternalSecretTemplate, KeyVaultSyncArgs } from "./keyvault";
export * from "./resolve";

export class Secrets<Id extends string = string> extends pulumi.ComponentResource {
    /** Where each value is read; the same shape in every mode. */
    readonly refs: SecretRefs<Id>;
    /** Names of the Secrets read here whose content changes in place (for `reloaderAnnotations`). */
    readonly rotatingSecretNames: string[];

    constructor(name: string, args: SecretsArgs<Id>, opts?: pulumi.ComponentResourceOptions) {
        super("agent-platform:secrets:Secrets", name, {}, opts);
        const resolved = resolveSecretsArgs(args);
        const metadata = { namespace: args.namespace, labels: objectLabels(args.identity) };

        let managedName: pulumi.Output<string> | undefined;
        if (Object.keys(resolved.managedData).length > 0) {
            const secret = new k8s.core.v1.Secret(`${name}-managed`, buildManagedSecret(resolved, metadata), {
                parent: this,
                // Replace on change even if the provider were told Secrets are mutable.
                replaceOnChanges: ["stringData"],
            });
            managedName = secret.metadata.name;
        }

        let externalName: pulumi.Output<string> | undefined;
        if (resolved.external) {
            // Through the ExternalSecret's output, so workloads that read it are created after it is Ready.
            externalName = createKeyVaultSync(
                name,
                { external: resolved.external, metadata, crdsReady: args.crdsReady, externalReady: args.externalReady },
                this,
            );
        }

        const refs: Partial<Record<Id, SecretRef>> = {};
        for (const value of resolved.values) {
            const secretName = value.source.kind === "existing" ? value.source.secretName : value.source.kind === "managed" ? managedName! : externalName!;
            refs[value.id as Id] = { secretName, key: value.key, optional: value.optional };
        }
        this.refs = refs;
        // Secrets that change in place: ESO's (refreshed from the vault) and the user's. The managed one is replaced instead.
        this.rotatingSecretNames = [
            ...new Set([
                ...(resolved.external ? [resolved.external.secretName] : []),
                ...resolved.values.flatMap((v) => (v.source.kind === "existing" ? [v.source.secretName] : [])),
            ]),
        ];
        this.registerOutputs({ refs });
    }
}
