/** Tier 1: the vault side of rule `references` over hand-written recordings and objects. */
import { expect } from "chai";
import { keyVaultFindings, setSecretCommand, VAULT_NAME_PLACEHOLDER, vaultNameOfUrl } from "../../../tools/readiness/keyvault";
import { facts, object, recording, resource } from "./fixtures";

const NS = "agents";
const VAULT_URL = "https://ap-prod-kv-x1y2z3.vault.rendered.invalid/";
const vault = resource("urn:pulumi:prod::p::azure-native:keyvault:Vault::keyvault-vault", "azure-native:keyvault:Vault", {
    inputs: { vaultName: "ap-prod-kv-x1y2z3" },
});
const written = (name: string, vaultName = "ap-prod-kv-x1y2z3") =>
    resource(`urn:pulumi:prod::p::azure-native:keyvault:Secret::keyvault-secrets-${name}`, "azure-native:keyvault:Secret", {
        inputs: { vaultName, secretName: name },
    });

function store(name: string, vaultUrl: string) {
    return object("external-secrets.io/v1", "SecretStore", name, NS, { spec: { provider: { azurekv: { authType: "WorkloadIdentity", vaultUrl } } } });
}

function externalSecret(name: string, storeName: string, keys: string[], extra: Record<string, unknown> = {}) {
    return object("external-secrets.io/v1", "ExternalSecret", name, NS, {
        spec: {
            secretStoreRef: { kind: "SecretStore", name: storeName },
            target: { name },
            data: keys.map((key) => ({ secretKey: key.toUpperCase(), remoteRef: { key } })),
            ...extra,
        },
    });
}

const stackVault = (name?: string, seeded: string[] = []) => facts({ clusterCreatedByStack: true, keyVault: { ...(name ? { name } : {}), seeded } });

describe("readiness rule references: keys read from the stack's Key Vault", () => {
    it("reports each key neither seeded nor generated, with the exact az command (the generated vault name as a placeholder)", () => {
        const objects = [store("rt", VAULT_URL), externalSecret("rt-secrets", "rt", ["supabase-key", "supabase-jwt-secret", "database-password"])];
        const findings = keyVaultFindings(objects, recording([vault, written("database-password")]), stackVault(undefined, ["supabase-key"]));
        expect(findings).to.have.length(1);
        expect(findings[0]).to.include({ severity: "error", rule: "references", object: "ExternalSecret/agents/rt-secrets" });
        expect(findings[0]!.message)
            .to.contain('reads Key Vault secret "supabase-jwt-secret" (spec.data[1], key SUPABASE-JWT-SECRET of Secret agents/rt-secrets)')
            .and.contain("`pulumi config set --secret --path 'azure.keyVault.secrets.supabase-jwt-secret' <value>`")
            .and.contain(`\`az keyvault secret set --vault-name ${VAULT_NAME_PLACEHOLDER} --name supabase-jwt-secret --value ...\``);
    });

    it("names a configured vault in the command: only that name is known before the vault exists", () => {
        const findings = keyVaultFindings(
            [store("rt", VAULT_URL), externalSecret("rt-secrets", "rt", ["anthropic-api-key"])],
            recording([vault]),
            stackVault("agents-prod-kv"),
        );
        expect(findings[0]!.message).to.contain(setSecretCommand("agents-prod-kv", "anthropic-api-key"));
        expect(setSecretCommand("agents-prod-kv", "k")).to.equal("az keyvault secret set --vault-name agents-prod-kv --name k --value ...");
    });

    it("counts what the stack writes into its own vault only, and leaves other vaults and dataFrom alone", () => {
        const other = "https://someone-elses-kv.vault.azure.net/";
        const objects = [
            store("rt", VAULT_URL),
            store("theirs", other),
            // Written, but into another vault: still missing from the stack's.
            externalSecret("rt-secrets", "rt", ["hypha-token"]),
            externalSecret("their-secrets", "theirs", ["never-checked"]),
            externalSecret("bulk", "rt", [], { dataFrom: [{ find: { name: { regexp: ".*" } } }] }),
        ];
        const findings = keyVaultFindings(objects, recording([vault, written("hypha-token", "someone-elses-kv")]), stackVault());
        expect(findings.map((f) => f.object)).to.deep.equal(["ExternalSecret/agents/rt-secrets"]);
    });

    it("says nothing without a stack vault, or when every key is written", () => {
        const objects = [store("rt", VAULT_URL), externalSecret("rt-secrets", "rt", ["supabase-key"])];
        expect(keyVaultFindings(objects, recording([]), facts())).to.deep.equal([]);
        expect(keyVaultFindings(objects, recording([vault, written("supabase-key")]), stackVault())).to.deep.equal([]);
    });

    it("reads a vault's name from its URL", () => {
        expect(vaultNameOfUrl("https://Agents-KV.vault.azure.net/")).to.equal("agents-kv");
        expect(vaultNameOfUrl("not a url")).to.equal(undefined);
    });
});
