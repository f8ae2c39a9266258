/**
 * Rule `references`, the vault side: every key an ExternalSecret reads from the stack's own Key
 * Vault is written by the stack: seeded from secret config (`azure.keyVault.secrets`) or
 * generated (the MySQL administrator password). The vault is created by the same `up`, so a key
 * the stack does not write cannot be there when the ExternalSecret is first reconciled.
 *
 * Why it matters: with `deletionPolicy: Retain` (ESO's default), a remote key that does not exist
 * fails the whole ExternalSecret ("error processing spec.data[i] (key: <key>), err: Secret does
 * not exist"; external-secrets v0.17 externalsecret_controller_secret.go, provider.go
 * NoSecretError), so the Secret is never written. The ExternalSecret carries
 * `pulumi.com/waitFor: condition=Ready`, so `pulumi up` waits for it and fails after 10 minutes;
 * without the wait the pods reading the Secret would never start.
 *
 * A vault the stack does not create (`secrets.external.vaultUrl`) is not checked: its contents
 * are not visible offline. What the stack writes is read from the recording (every
 * `keyvault:Secret` on the vault), plus what the config seeds.
 */
import type { KubernetesObject } from "../render/manifests";
import type { Recording } from "../render/recorder";
import { arrayAt, objectAt, stringAt } from "../../policies/rules/values";
import type { ReadinessFacts } from "./facts";
import { objectRef, type Finding } from "./findings";
import { ObjectIndex } from "./object-index";

const VAULT = "azure-native:keyvault:Vault";
const VAULT_SECRET = "azure-native:keyvault:Secret";

/** What `az keyvault secret set --vault-name` takes when the name is only known after `up`. */
export const VAULT_NAME_PLACEHOLDER = "<vault name: pulumi stack output keyVaultName>";

/** `https://<name>.vault.azure.net/` -> `<name>`: a vault's URL starts with its name. */
export function vaultNameOfUrl(url: string): string | undefined {
    const match = /^https:\/\/([^./]+)\./.exec(url);
    return match?.[1]?.toLowerCase();
}

/** The command that sets a missing key by hand once the vault exists. */
export function setSecretCommand(vaultName: string, key: string): string {
    return `az keyvault secret set --vault-name ${vaultName} --name ${key} --value ...`;
}

export function keyVaultFindings(
    objects: readonly KubernetesObject[],
    recording: Recording,
    facts: ReadinessFacts,
    index = new ObjectIndex(objects),
): Finding[] {
    const vaults = recording.resources.filter((r) => r.type === VAULT);
    if (!facts.keyVault || vaults.length === 0) return [];
    // The name the render gave the vault (a stand-in when it is generated at deploy time).
    const renderedNames = new Set(
        vaults
            .map((v) => v.inputs["vaultName"])
            .filter((n): n is string => typeof n === "string")
            .map((n) => n.toLowerCase()),
    );
    const written = new Set([
        ...facts.keyVault.seeded,
        ...recording.resources
            .filter(
                (r) => r.type === VAULT_SECRET && typeof r.inputs["vaultName"] === "string" && renderedNames.has(String(r.inputs["vaultName"]).toLowerCase()),
            )
            .map((r) => r.inputs["secretName"])
            .filter((n): n is string => typeof n === "string"),
    ]);
    // Only a configured name is the real one; a generated one is known once the vault exists.
    const vaultName = facts.keyVault.name ?? VAULT_NAME_PLACEHOLDER;

    const findings: Finding[] = [];
    for (const externalSecret of index.ofKind("ExternalSecret")) {
        const spec = objectAt(externalSecret["spec"]) ?? {};
        const storeRef = objectAt(spec["secretStoreRef"]);
        const storeKind = stringAt(storeRef?.["kind"]) ?? "SecretStore";
        const storeName = stringAt(storeRef?.["name"]);
        const store = storeName
            ? index.get(storeKind, storeKind === "ClusterSecretStore" ? undefined : externalSecret.metadata.namespace, storeName)
            : undefined;
        const vaultUrl = stringAt(objectAt(objectAt(objectAt(store?.["spec"])?.["provider"])?.["azurekv"])?.["vaultUrl"]);
        const readsStackVault = vaultUrl !== undefined && renderedNames.has(vaultNameOfUrl(vaultUrl) ?? "");
        if (!readsStackVault) continue;
        arrayAt(spec["data"]).forEach((entry, i) => {
            const key = stringAt(objectAt(objectAt(entry)?.["remoteRef"])?.["key"]);
            if (key === undefined || written.has(key)) return;
            const secretKey = stringAt(objectAt(entry)?.["secretKey"]) ?? "?";
            findings.push({
                severity: "error",
                rule: "references",
                object: objectRef(externalSecret),
                message:
                    `reads Key Vault secret "${key}" (spec.data[${i}], key ${secretKey} of Secret ${externalSecret.metadata.namespace}/${stringAt(objectAt(spec["target"])?.["name"]) ?? externalSecret.metadata.name}), which the stack neither seeds nor generates, in a vault the same \`up\` creates; ESO fails the ExternalSecret ("Secret does not exist") and \`pulumi up\` fails after waiting 10 minutes for it to be Ready. ` +
                    `Seed it: \`pulumi config set --secret --path 'azure.keyVault.secrets.${key}' <value>\`, or set it once the vault exists: \`${setSecretCommand(vaultName, key)}\`.`,
            });
        });
    }
    return findings;
}
