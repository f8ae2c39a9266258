/**
 * What the stack writes into its own Key Vault: the `azure.keyVault.secrets` config and the
 * rules across blocks (tier 1), and AzureKeyVault writing them behind the deployer's Secrets
 * Officer role, values kept secret (tier 2, under mocks with the explicit azure-native provider).
 */
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { AzureKeyVault, KEY_VAULT_SECRETS_OFFICER_ROLE } from "../../components/azure/keyvault";
import { resolveVaultSecrets } from "../../components/azure/keyvault/secrets";
import { BACKEND_PASSWORD_REMOTE_KEY, generatedVaultSecrets } from "../../components/config";
import { REDACTED } from "../../tools/render/wire";
import { byType, one, recordWithAzure, withoutAzureProvider } from "./fixtures";
import { configProblems, testConfig } from "../helpers/stack-config";

const AKS = { target: "aks", aks: { location: "westeurope" } };
const BACKEND = { enabled: true, image: { registry: "cr.seqera.io" }, secrets: { mode: "external" } };
const SECRET_AZURE = ["agent-platform:azure"];
const stackWith = (keyVault: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    cluster: AKS,
    azure: { mysql: { enabled: true }, keyVault: { enabled: true, ...keyVault } },
    agentBackend: BACKEND,
    platform: { domain: "example.com" },
    ...extra,
});

describe("azure.keyVault.secrets", () => {
    it("takes vault secret names to secret values, each a secret Output", async () => {
        const config = testConfig(stackWith({ secrets: { "anthropic-api-key": "sk-ant-x" } }), SECRET_AZURE);
        const value = config.azure.keyVault.secrets["anthropic-api-key"]!;
        expect(await pulumi.isSecret(value)).to.equal(true);
    });

    it("refuses a value stored in plain text, naming the key and the command that stores it as a secret", () => {
        expect(configProblems(stackWith({ secrets: { "anthropic-api-key": "sk-ant-x" } }))).to.deep.equal([
            "agent-platform:azure.keyVault.secrets.anthropic-api-key: is sensitive and stored in plain text (allowed: a secret, set with `pulumi config set --secret --path azure.keyVault.secrets.anthropic-api-key <value>`)",
        ]);
    });

    it("refuses a name Key Vault would refuse", () => {
        expect(configProblems(stackWith({ secrets: { anthropic_api_key: "x", ["a".repeat(128)]: "y" } }), SECRET_AZURE)).to.deep.equal([
            "agent-platform:azure.keyVault.secrets.anthropic_api_key: is not a Key Vault secret name (allowed: 1 to 127 letters, digits and '-')",
            `agent-platform:azure.keyVault.secrets.${"a".repeat(128)}: is not a Key Vault secret name (allowed: 1 to 127 letters, digits and '-')`,
        ]);
    });

    it("refuses to seed what the stack generates: the backend's database password with the stack's MySQL", () => {
        expect(configProblems(stackWith({ secrets: { "database-password": "x" } }), SECRET_AZURE)).to.deep.equal([
            "agent-platform:azure.keyVault.secrets.database-password: is written by the stack: the MySQL administrator password the stack generates (azure.mysql); remove it here (or give `agentBackend.secrets.databasePassword.remoteKey` a vault secret of your own)",
        ]);
        // With a password key of the backend's own, the stack writes none and the seed is the user's.
        const own = stackWith(
            { secrets: { "database-password": "x" } },
            { agentBackend: { ...BACKEND, secrets: { mode: "external", databasePassword: { remoteKey: "database-password" } } } },
        );
        expect(() => testConfig(own, SECRET_AZURE)).not.to.throw();
    });
});

describe("generated vault secrets", () => {
    it("writes the MySQL password under the backend's key only with the stack's MySQL, its vault and the backend reading that vault", () => {
        const generated = (blocks: Record<string, unknown>) => generatedVaultSecrets(testConfig(blocks));
        expect(generated(stackWith({})).map((g) => g.name)).to.deep.equal([BACKEND_PASSWORD_REMOTE_KEY]);
        expect(BACKEND_PASSWORD_REMOTE_KEY).to.equal("database-password");
        const database = { host: "mysql.example.com", name: "agent_backend", username: "agent", cidr: "10.9.0.0/24" };
        const passwordFromVault = { mode: "external", databasePassword: { remoteKey: "their-db-password" } };
        expect(
            generated({
                ...stackWith({}),
                azure: { mysql: { enabled: false }, keyVault: { enabled: true } },
                agentBackend: { ...BACKEND, database, secrets: passwordFromVault },
            }),
        ).to.deep.equal([]);
        expect(
            generated({ ...stackWith({}), agentBackend: { ...BACKEND, secrets: { mode: "existing", existingSecret: { name: "agent-backend" } } } }),
        ).to.deep.equal([]);
        expect(generated({ ...stackWith({}), agentBackend: { ...BACKEND, enabled: false } })).to.deep.equal([]);
        const ownVault = { mode: "external", external: { vaultUrl: "https://theirs.vault.azure.net/", clientId: "11111111-2222-3333-4444-555555555555" } };
        expect(generated({ ...stackWith({}), agentBackend: { ...BACKEND, secrets: ownVault } })).to.deep.equal([]);
    });

    it("writes each name once: a name seeded and generated is an error naming both sources", () => {
        expect(() => resolveVaultSecrets({ "database-password": "a" }, [{ name: "database-password", source: "the MySQL password", value: "b" }])).to.throw(
            "azure.keyVault.secrets.database-password: vault secret 'database-password' is also written by the MySQL password; write it once",
        );
        expect(resolveVaultSecrets({ b: "1", a: "2" }, [{ name: "c", source: "gen", value: "3" }]).map((s) => [s.name, s.source])).to.deep.equal([
            ["b", "azure.keyVault.secrets.b"],
            ["a", "azure.keyVault.secrets.a"],
            ["c", "gen"],
        ]);
    });
});

describe("AzureKeyVault writing the stack's secrets", () => {
    const config = testConfig({ cluster: AKS, azure: { keyVault: { enabled: true, secrets: { "anthropic-api-key": "VERY-SECRET-SEED" } } } }, SECRET_AZURE);
    let recorded: Awaited<ReturnType<typeof recordWithAzure>>;
    let ready: string[] = [];
    before(async () => {
        recorded = await recordWithAzure((azure) => {
            const vault = new AzureKeyVault(
                "kv",
                {
                    config: config.azure.keyVault,
                    stack: "prod",
                    resourceGroupName: "rg",
                    location: "westeurope",
                    tags: { env: "prod" },
                    oidcIssuerUrl: "https://issuer.example/abc/",
                    readers: [{ namespace: "agents", serviceAccount: "agent-runtime-keyvault" }],
                    secrets: resolveVaultSecrets(config.azure.keyVault.secrets, [
                        { name: "database-password", source: "generated", value: "GENERATED-PASSWORD" },
                    ]),
                    deployerPrincipalType: "ServicePrincipal",
                },
                azure,
            );
            ready = vault.ready.map((r) => (r as unknown as { __name: string }).__name);
        });
    });

    it("gives the identity running `up` Key Vault Secrets Officer on this vault only", () => {
        const officer = one(recorded.recording, "azure-native:authorization:RoleAssignment", "kv-deployer-secrets-officer").inputs;
        expect(officer["roleDefinitionId"]).to.match(new RegExp(`/roleDefinitions/${KEY_VAULT_SECRETS_OFFICER_ROLE}$`));
        expect(officer["scope"]).to.match(/\/providers\/Microsoft\.KeyVault\/vaults\/ap-prod-kv-[a-z0-9]+$/);
        expect(officer["principalType"]).to.equal("ServicePrincipal");
        // getClientConfig's objectId: the deployer itself.
        expect(officer["principalId"]).to.match(/^[0-9a-f-]{36}$/);
        expect(officer["principalId"]).not.to.equal(
            one(recorded.recording, "azure-native:authorization:RoleAssignment", "kv-reader-secrets-user").inputs["principalId"],
        );
    });

    it("writes each seeded and generated secret into the vault after that role, values never in the clear", () => {
        const secrets = byType(recorded.recording, "azure-native:keyvault:Secret");
        const vault = one(recorded.recording, "azure-native:keyvault:Vault");
        const officer = one(recorded.recording, "azure-native:authorization:RoleAssignment", "kv-deployer-secrets-officer");
        expect(secrets.map((s) => s.inputs["secretName"]).sort()).to.deep.equal(["anthropic-api-key", "database-password"]);
        for (const secret of secrets) {
            expect(secret.inputs).to.deep.include({ resourceGroupName: "rg", vaultName: vault.inputs["vaultName"], tags: { env: "prod" } });
            expect(secret.inputs["properties"]).to.deep.equal({ value: REDACTED });
            expect(secret.dependsOn).to.include.members([officer.urn, vault.urn]);
        }
        const text = JSON.stringify(recorded.recording);
        expect(text).not.to.contain("VERY-SECRET-SEED");
        expect(text).not.to.contain("GENERATED-PASSWORD");
        expect(withoutAzureProvider(recorded.recording)).to.deep.equal([]);
    });

    it("is ready for ExternalSecrets once the reader may read, is federated, and every secret is written", () => {
        expect(ready).to.deep.equal([
            "kv-reader-secrets-user",
            "kv-reader-agent-runtime-keyvault",
            "kv-secrets-anthropic-api-key",
            "kv-secrets-database-password",
        ]);
    });
});
