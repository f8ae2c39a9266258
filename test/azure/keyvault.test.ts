/**
 * AzureKeyVault under mocks: the vault in RBAC mode, its reader identity federated with the
 * ServiceAccounts that read it, and the deployer's role.
 */
import { expect } from "chai";
import { AzureKeyVault, KEY_VAULT_SECRETS_USER_ROLE } from "../../components/azure/keyvault";
import { byType, one, recordWithAzure, withoutAzureProvider } from "./fixtures";
import { testConfig } from "../helpers/stack-config";

const AKS = { target: "aks", aks: { location: "westeurope" } };

const stackConfig = (blocks: Record<string, unknown>) => testConfig(blocks);
const placement = { stack: "prod", resourceGroupName: "agent-platform-prod", location: "westeurope", tags: { env: "prod" } };
describe("AzureKeyVault", () => {
    const config = stackConfig({ cluster: AKS, azure: { keyVault: { enabled: true } } });
    let recorded: Awaited<ReturnType<typeof recordWithAzure>>;
    const byKind = (type: string) => byType(recorded.recording, type);
    before(async () => {
        recorded = await recordWithAzure(
            (azure) =>
                new AzureKeyVault(
                    "kv",
                    {
                        config: config.azure.keyVault,
                        ...placement,
                        oidcIssuerUrl: "https://issuer.example/abc/",
                        readers: [
                            { namespace: "agents", serviceAccount: "agent-runtime-keyvault" },
                            { namespace: "hypha-jobs", serviceAccount: "hypha-worker-claude-agent-keyvault" },
                        ],
                    },
                    azure,
                ),
        );
    });

    it("creates the vault in RBAC mode with soft delete and purge protection", () => {
        const vault = byKind("azure-native:keyvault:Vault")[0]!.inputs as any;
        expect(vault.vaultName).to.match(/^ap-prod-kv-[a-z0-9]{6}$/);
        expect(vault.properties).to.include({
            enableRbacAuthorization: true,
            enableSoftDelete: true,
            enablePurgeProtection: true,
            softDeleteRetentionInDays: 90,
        });
        expect(vault.properties.tenantId).to.equal("00000000-0000-0000-0000-00000000aaaa");
    });

    it("federates the reader identity with the cluster's issuer for each reading ServiceAccount, one write at a time", () => {
        const federations = byKind("azure-native:managedidentity:FederatedIdentityCredential");
        expect(federations.map((f) => f.inputs["subject"])).to.deep.equal([
            "system:serviceaccount:agents:agent-runtime-keyvault",
            "system:serviceaccount:hypha-jobs:hypha-worker-claude-agent-keyvault",
        ]);
        for (const f of federations) {
            expect(f.inputs).to.include({ issuer: "https://issuer.example/abc/" });
            expect(f.inputs["audiences"]).to.deep.equal(["api://AzureADTokenExchange"]);
        }
        expect(federations[1]!.dependsOn).to.include(federations[0]!.urn);
    });

    it("lets the reader read secrets and nothing else, on this vault only", () => {
        const assignment = one(recorded.recording, "azure-native:authorization:RoleAssignment", "kv-reader-secrets-user").inputs;
        expect(assignment["roleDefinitionId"]).to.match(new RegExp(`/roleDefinitions/${KEY_VAULT_SECRETS_USER_ROLE}$`));
        expect(assignment["scope"]).to.match(/\/providers\/Microsoft\.KeyVault\/vaults\/ap-prod-kv-[a-z0-9]{6}$/);
        expect(assignment["principalType"]).to.equal("ServicePrincipal");
    });

    it("reads the client config and creates every resource with the explicit azure-native provider", () => {
        expect(recorded.recording.calls.map((c) => c.token)).to.include("azure-native:authorization:getClientConfig");
        expect(withoutAzureProvider(recorded.recording)).to.deep.equal([]);
    });
});
