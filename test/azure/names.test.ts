/**
 * Global Azure names (Key Vault, MySQL Flexible Server): Azure's rules as pure checks, the
 * default names for any stack name, configured names refused naming their key, and under mocks
 * the random suffix that makes them unique, generated once by @pulumi/random.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { AzureKeyVault } from "../../components/azure/keyvault";
import { AzureMysql } from "../../components/azure/mysql";
import {
    azureNameProblem,
    defaultKeyVaultName,
    defaultMysqlServerName,
    KEY_VAULT_NAME,
    MYSQL_SERVER_NAME,
    NAME_SUFFIX_LENGTH,
    nameFromStack,
    uniqueAzureName,
} from "../../components/azure/names";
import { AzureNetwork } from "../../components/azure/network";
import { renderedRandomString } from "../../tools/render/recorder";
import { byType, one, recordWithAzure } from "./fixtures";
import { configProblems, testConfig } from "../helpers/stack-config";

const AKS = { target: "aks", aks: { location: "westeurope" } };
const SUFFIX = "x7k2q9";

/** Stack names Pulumi accepts (letters, digits, '-', '_', '.'), including awkward ones. */
const STACK_NAMES = [
    "qa",
    "Prod",
    "feature_login.v2",
    "1st",
    "a",
    "---",
    "team-platform-eu-west-canary-2026",
    "x".repeat(100),
    "ab-".repeat(30),
    "very-long-stack-name-that-ends-in-a-hyphen-",
    "abcdefghijklm-nopqrst",
];

describe("Azure name rules", () => {
    it("accept Key Vault names Azure accepts and say what is wrong with the others", () => {
        for (const ok of ["kv1", "ap-prod-kv-x7k2q9", "A-b-C", "a".repeat(24)]) expect(KEY_VAULT_NAME.problem(ok), ok).to.equal(undefined);
        expect(KEY_VAULT_NAME.problem("kv")).to.equal("is 2 characters long");
        expect(KEY_VAULT_NAME.problem("a".repeat(25))).to.equal("is 25 characters long");
        expect(KEY_VAULT_NAME.problem("1kv")).to.equal("does not start with a letter");
        expect(KEY_VAULT_NAME.problem("kv-")).to.equal("ends with a hyphen");
        expect(KEY_VAULT_NAME.problem("kv--a")).to.equal("has consecutive hyphens");
        expect(KEY_VAULT_NAME.problem("kv_a")).to.equal("has characters other than letters, digits and hyphens");
    });

    it("accept MySQL server names Azure accepts and say what is wrong with the others", () => {
        for (const ok of ["db1", "agent-platform-prod-mysql-x7k2q9", "1db", "a".repeat(63)]) expect(MYSQL_SERVER_NAME.problem(ok), ok).to.equal(undefined);
        expect(MYSQL_SERVER_NAME.problem("a".repeat(64))).to.equal("is 64 characters long");
        expect(MYSQL_SERVER_NAME.problem("Db1")).to.equal("has characters other than lowercase letters, digits and hyphens");
        expect(MYSQL_SERVER_NAME.problem("-db")).to.equal("starts with a hyphen");
        expect(MYSQL_SERVER_NAME.problem("db-")).to.equal("ends with a hyphen");
    });

    it("word a problem with the name, the rule and the allowed form", () => {
        expect(azureNameProblem(KEY_VAULT_NAME, "kv-")).to.equal(
            "'kv-' is not a Key Vault name: it ends with a hyphen (allowed: 3 to 24 letters, digits and single hyphens, starting with a letter and ending with a letter or digit, globally unique)",
        );
        expect(azureNameProblem(KEY_VAULT_NAME, "kv-ok")).to.equal(undefined);
    });
});

describe("default Azure names", () => {
    it("are the stack's prefix and the suffix", () => {
        expect(defaultKeyVaultName("prod", SUFFIX)).to.equal("ap-prod-kv-x7k2q9");
        expect(defaultMysqlServerName("prod", SUFFIX)).to.equal("agent-platform-prod-mysql-x7k2q9");
    });

    it("stay valid and within the limits for any stack name, cutting the prefix and never the suffix", () => {
        for (const stack of STACK_NAMES) {
            for (const [rule, name] of [
                [KEY_VAULT_NAME, defaultKeyVaultName(stack, SUFFIX)],
                [MYSQL_SERVER_NAME, defaultMysqlServerName(stack, SUFFIX)],
            ] as const) {
                expect(rule.problem(name), `${stack} -> ${name}`).to.equal(undefined);
                expect(name.length, name).to.be.at.most(rule.maxLength);
                expect(name.endsWith(`-${SUFFIX}`), name).to.equal(true);
                expect(name.slice(0, -SUFFIX.length - 1), name).to.not.match(/-$/);
            }
        }
    });

    it("cut a long stack name to exactly the limit, without a hyphen before the suffix", () => {
        expect(defaultKeyVaultName("x".repeat(100), SUFFIX))
            .to.equal(`ap-${"x".repeat(14)}-${SUFFIX}`)
            .and.have.length(24);
        // The cut falls on a hyphen ("ap-abcdefghijklm-" is 17 characters): it is dropped.
        expect(defaultKeyVaultName("abcdefghijklm-nopqrst", SUFFIX)).to.equal(`ap-abcdefghijklm-${SUFFIX}`);
        expect(defaultMysqlServerName("x".repeat(100), SUFFIX)).to.have.length(63);
    });

    it("turn stack characters Azure refuses into single hyphens", () => {
        expect(nameFromStack("Feature_Login.v2")).to.equal("feature-login-v2");
        expect(nameFromStack("---")).to.equal("");
        expect(defaultKeyVaultName("---", SUFFIX)).to.equal("ap-kv-x7k2q9");
    });

    it("refuse to generate a name that breaks the rule (a bug, never a user error)", () => {
        expect(() => uniqueAzureName(KEY_VAULT_NAME, "1abc", SUFFIX)).to.throw("generated a Key Vault name '1abc-x7k2q9' does not start with a letter");
    });
});

describe("configured Azure names", () => {
    it("are checked by the same rules, naming the key", () => {
        expect(
            configProblems({ cluster: AKS, azure: { keyVault: { enabled: true, name: "ap--kv" }, mysql: { enabled: true, serverName: "Agent-DB" } } }),
        ).to.deep.equal([
            "agent-platform:azure.mysql.serverName: 'Agent-DB' is not a MySQL Flexible Server name: it has characters other than lowercase letters, digits and hyphens (allowed: 3 to 63 lowercase letters, digits and hyphens, not starting or ending with a hyphen, globally unique)",
            "agent-platform:azure.keyVault.name: 'ap--kv' is not a Key Vault name: it has consecutive hyphens (allowed: 3 to 24 letters, digits and single hyphens, starting with a letter and ending with a letter or digit, globally unique)",
        ]);
    });

    it("refuse a vault name over 24 characters", () => {
        expect(configProblems({ cluster: AKS, azure: { keyVault: { enabled: true, name: "a".repeat(25) } } })[0]).to.match(
            /^agent-platform:azure\.keyVault\.name: 'a{25}' is not a Key Vault name: it is 25 characters long/,
        );
    });

    it("are used as given, with no random suffix", async () => {
        const config = testConfig({
            cluster: AKS,
            azure: { keyVault: { enabled: true, name: "contoso-agents-kv" }, mysql: { enabled: true, serverName: "contoso-agents-db" } },
        });
        const recorded = await recordWithAzure((azure) => {
            const placement = { stack: "prod", resourceGroupName: "rg", location: "westeurope", tags: {} };
            const net = new AzureNetwork("network", { config: config.azure.network, cluster: config.cluster.aks!, ...placement }, azure);
            new AzureKeyVault("kv", { config: config.azure.keyVault, ...placement, oidcIssuerUrl: "https://issuer.example/", readers: [] }, azure);
            new AzureMysql("mysql", { config: config.azure.mysql, ...placement, network: { vnetId: net.vnetId, mysqlSubnet: net.mysqlSubnet } }, azure);
        });
        expect(one(recorded.recording, "azure-native:keyvault:Vault").inputs["vaultName"]).to.equal("contoso-agents-kv");
        expect(one(recorded.recording, "azure-native:dbformysql:Server").inputs["serverName"]).to.equal("contoso-agents-db");
        expect(byType(recorded.recording, "random:index/randomString:RandomString")).to.deep.equal([]);
    });
});

describe("generated Azure names under mocks", () => {
    const longStack = "platform-team-westeurope-canary-2026";
    const config = testConfig({ cluster: AKS, azure: { keyVault: { enabled: true }, mysql: { enabled: true } } });
    const render = (stack: string) =>
        recordWithAzure((azure) => {
            const placement = { stack, resourceGroupName: `agent-platform-${stack}`, location: "westeurope", tags: {} };
            const net = new AzureNetwork("network", { config: config.azure.network, cluster: config.cluster.aks!, ...placement }, azure);
            new AzureKeyVault("kv", { config: config.azure.keyVault, ...placement, oidcIssuerUrl: "https://issuer.example/", readers: [] }, azure);
            new AzureMysql("mysql", { config: config.azure.mysql, ...placement, network: { vnetId: net.vnetId, mysqlSubnet: net.mysqlSubnet } }, azure);
        }, stack);
    let long: Awaited<ReturnType<typeof render>>;
    let other: Awaited<ReturnType<typeof render>>;
    before(async () => {
        long = await render(longStack);
        other = await render("prod");
    });

    it("end in the suffix @pulumi/random generated, lowercase letters and digits only", () => {
        const suffixes = byType(long.recording, "random:index/randomString:RandomString");
        expect(suffixes.map((s) => s.name).sort()).to.deep.equal(["kv-name-suffix", "mysql-name-suffix"]);
        for (const suffix of suffixes) {
            expect(suffix.inputs).to.deep.include({ length: NAME_SUFFIX_LENGTH, lower: true, upper: false, numeric: true, special: false });
        }
        const result = (name: string) => {
            const r = suffixes.find((s) => s.name === name)!;
            return renderedRandomString(r.inputs, r.urn);
        };
        expect(one(long.recording, "azure-native:keyvault:Vault").inputs["vaultName"]).to.equal(defaultKeyVaultName(longStack, result("kv-name-suffix")));
        expect(one(long.recording, "azure-native:dbformysql:Server").inputs["serverName"]).to.equal(
            defaultMysqlServerName(longStack, result("mysql-name-suffix")),
        );
    });

    it("are valid Azure names for a long stack name, and name the vault's reader and the server's DNS zone after them", () => {
        const vaultName = String(one(long.recording, "azure-native:keyvault:Vault").inputs["vaultName"]);
        const serverName = String(one(long.recording, "azure-native:dbformysql:Server").inputs["serverName"]);
        expect(KEY_VAULT_NAME.problem(vaultName), vaultName).to.equal(undefined);
        expect(MYSQL_SERVER_NAME.problem(serverName), serverName).to.equal(undefined);
        // "ap-platform-team-" fills the 17 characters before the suffix; its cut hyphen is dropped.
        expect(vaultName).to.match(/^ap-platform-team-[a-z0-9]{6}$/);
        expect(one(long.recording, "azure-native:managedidentity:UserAssignedIdentity").inputs["resourceName"]).to.equal(`${vaultName}-reader`);
        expect(one(long.recording, "azure-native:privatedns:PrivateZone").inputs["privateZoneName"]).to.equal(`${serverName}.private.mysql.database.azure.com`);
    });

    it("differ between stacks", () => {
        const names = (r: typeof long) => [
            one(r.recording, "azure-native:keyvault:Vault").inputs["vaultName"],
            one(r.recording, "azure-native:dbformysql:Server").inputs["serverName"],
        ];
        const [longVault, longServer] = names(long);
        const [otherVault, otherServer] = names(other);
        expect(longVault).to.not.equal(otherVault);
        expect(longServer).to.not.equal(otherServer);
    });

    it("use the default random provider, which Pulumi.yaml leaves enabled", () => {
        const project = parse(fs.readFileSync(path.join(__dirname, "..", "..", "Pulumi.yaml"), "utf8")) as { config: Record<string, unknown> };
        // If random joins the disabled list, the suffixes need an explicit provider like azure-native's.
        expect(project.config["pulumi:disable-default-providers"]).to.not.include("random");
        for (const suffix of byType(long.recording, "random:index/randomString:RandomString")) expect(suffix.provider, suffix.name).to.equal(undefined);
    });
});
