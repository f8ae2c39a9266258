/**
 * Mode `external` of the secrets building block, the Kubernetes side: Azure Key Vault through
 * External Secrets Operator (ESO) with workload identity. A sync is three objects: a
 * ServiceAccount ESO exchanges for an Azure token (no pod runs as it), a SecretStore for the
 * vault, and an ExternalSecret that writes the Secret pods read. Used by `Secrets` and by the
 * registry credentials (a dockerconfigjson rendered from two vault secrets).
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ResolvedExternalSecrets } from "./resolve";

/** Annotations read by Azure workload identity (and by ESO's azurekv provider). */
export const WORKLOAD_IDENTITY_CLIENT_ID = "azure.workload.identity/client-id";
export const WORKLOAD_IDENTITY_TENANT_ID = "azure.workload.identity/tenant-id";

/**
 * The Kubernetes provider's custom readiness check (pulumi-kubernetes 4.18+, "pulumi.com/waitFor":
 * `condition=<type>` behaves like `kubectl wait --for=condition=`): the ExternalSecret is created
 * (or updated) only once ESO reports it `Ready`, i.e. the Secret holds every key. Until then the
 * provider logs ESO's Warning events, which name the remote key it could not read, and fails
 * after its 10-minute timeout.
 */
export const EXTERNAL_SECRET_READY = { "pulumi.com/waitFor": "condition=Ready" } as const;

/** The ServiceAccount the SecretStore exchanges for an Azure token; no pod runs as it. */
export function buildKeyVaultServiceAccount(external: ResolvedExternalSecrets, metadata: { namespace: pulumi.Input<string>; labels: Record<string, string> }) {
    return {
        metadata: {
            name: external.serviceAccountName,
            namespace: metadata.namespace,
            labels: metadata.labels,
            // The tenant goes here, not into the store: ESO rejects a tenant set in both places.
            annotations: {
                [WORKLOAD_IDENTITY_CLIENT_ID]: external.clientId,
                ...(external.tenantId ? { [WORKLOAD_IDENTITY_TENANT_ID]: external.tenantId } : {}),
            },
        },
        automountServiceAccountToken: false,
    };
}

export function buildSecretStoreSpec(external: ResolvedExternalSecrets) {
    return {
        provider: {
            azurekv: {
                authType: "WorkloadIdentity",
                vaultUrl: external.vaultUrl,
                serviceAccountRef: { name: external.serviceAccountName },
            },
        },
    };
}

/** An ESO template (engine v2): the Secret's type and its data rendered from the fetched keys. */
export interface ExternalSecretTemplate {
    type: string;
    data: Record<string, string>;
}

/**
 * `deletionPolicy: Retain` (ESO's default, set so it cannot drift) is what makes a missing vault
 * secret an error: with `Delete` or `Merge` ESO skips it and reports the ExternalSecret Ready
 * with the key absent (external-secrets v0.17 externalsecret_types.go, DeletionPolicy).
 */
export function buildExternalSecretSpec(
    external: Pick<ResolvedExternalSecrets, "refreshInterval" | "storeName" | "secretName" | "data">,
    template?: ExternalSecretTemplate,
) {
    return {
        refreshInterval: external.refreshInterval,
        secretStoreRef: { kind: "SecretStore", name: external.storeName },
        target: {
            name: external.secretName,
            creationPolicy: "Owner",
            deletionPolicy: "Retain",
            ...(template ? { template: { engineVersion: "v2", ...template } } : {}),
        },
        data: external.data.map((d) => ({ secretKey: d.secretKey, remoteRef: { key: d.remoteKey } })),
    };
}

export interface KeyVaultSyncArgs {
    external: ResolvedExternalSecrets;
    metadata: { namespace: pulumi.Input<string>; labels: Record<string, string> };
    template?: ExternalSecretTemplate;
    crdsReady?: pulumi.Resource[];
    externalReady?: pulumi.Resource[];
}

/**
 * The three objects of a Key Vault sync: the workload-identity ServiceAccount, the SecretStore
 * and the ExternalSecret, which waits until ESO reports it Ready. Returns the synced Secret's
 * name as an output of the ExternalSecret, so whatever reads it is created after it is Ready.
 */
export function createKeyVaultSync(name: string, args: KeyVaultSyncArgs, parent: pulumi.Resource): pulumi.Output<string> {
    const { external, metadata } = args;
    const account = new k8s.core.v1.ServiceAccount(`${name}-keyvault-identity`, buildKeyVaultServiceAccount(external, metadata), { parent });
    const store = new k8s.apiextensions.CustomResource(
        `${name}-secretstore`,
        {
            apiVersion: "external-secrets.io/v1",
            kind: "SecretStore",
            metadata: { ...metadata, name: external.storeName },
            spec: buildSecretStoreSpec(external),
        },
        { parent, dependsOn: [account, ...(args.crdsReady ?? [])] },
    );
    const externalSecret = new k8s.apiextensions.CustomResource(
        `${name}-externalsecret`,
        {
            apiVersion: "external-secrets.io/v1",
            kind: "ExternalSecret",
            metadata: { ...metadata, name: external.secretName, annotations: { ...EXTERNAL_SECRET_READY } },
            spec: buildExternalSecretSpec(external, args.template),
        },
        // The vault's secrets (seeded or generated) and the reader's access first: ESO reads once created.
        { parent, dependsOn: [store, ...(args.externalReady ?? [])] },
    );
    return externalSecret.metadata.apply(() => external.secretName);
}
