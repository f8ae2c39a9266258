/**
 * Tier 1: the agent backend's pure resolve and build functions: the wait script, database
 * resolution, pull Secrets, the migration Job's name, the extra metadata.
 */
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { resolveAgentBackendArgs } from "../../components/agent-backend";
import { withExtraMetadata } from "../../components/agent-backend/metadata";
import { passwordConfigured, publicAddresses, resolveDatabase, resolveUrl } from "../../components/agent-backend/settings";
import { WAIT_FOR_MYSQL_SCRIPT, buildWaitForMysqlContainer } from "../../components/agent-backend/wait-for-mysql";
import { mergePullSecrets, migrationJobName } from "../../components/agent-backend/workload";
import { networkPolicyClusterSchema } from "../../components/network-policy/schema";
import { resolveSecretsArgs } from "../../components/secrets";
import { findTool } from "../helpers/external-tools";
import { BASE_BLOCK, backendArgs, backendConfig, kubeletExpand } from "./fixtures";

const CLUSTER = networkPolicyClusterSchema.parse({});

describe("agent backend: the wait-for-MySQL script", () => {
    it("parses as POSIX sh in dash and bash", function () {
        const shells = ["dash", "bash"].filter((shell) => findTool(shell));
        if (shells.length === 0) this.skip();
        for (const shell of shells) {
            const result = spawnSync(shell, ["-n", "-c", WAIT_FOR_MYSQL_SCRIPT], { encoding: "utf8" });
            expect(result.status, `${shell}: ${result.stderr}`).to.equal(0);
        }
    });

    it("survives the kubelet's $(VAR) expansion unchanged, whatever the container's variables", () => {
        const container = buildWaitForMysqlContainer({
            image: "mysql:9",
            imagePullPolicy: "IfNotPresent",
            resources: { requests: { cpu: "500m", memory: "50Mi" }, limits: { memory: "100Mi" } },
            timeoutSeconds: 300,
            intervalSeconds: 5,
            connectTimeoutSeconds: 5,
            envFrom: [],
            passwordEnv: [],
        });
        const env: Record<string, string> = {
            date: "X",
            AGENT_BACKEND_DB_HOST: "X",
            AGENT_BACKEND_DB_PASSWORD: "X",
            WAIT_TIMEOUT_SECONDS: "X",
            start: "X",
            now: "X",
        };
        for (const part of container.command!) expect(kubeletExpand(part, env)).to.equal(part);
        // The check itself works: a reference to a declared variable would be replaced.
        expect(kubeletExpand("echo $(AGENT_BACKEND_DB_HOST) $$", env)).to.equal("echo X $");
    });

    it("never passes the password on a command line or through MYSQL_PWD, and proves a login with SELECT 1", () => {
        const lines = WAIT_FOR_MYSQL_SCRIPT.split("\n");
        const usesPassword = lines.filter((line) => line.includes("$AGENT_BACKEND_DB_PASSWORD"));
        expect(usesPassword).to.deep.equal([`printf '[client]\\npassword=%s\\n' "$(quoted "$AGENT_BACKEND_DB_PASSWORD")" > "$options"`]);
        expect(WAIT_FOR_MYSQL_SCRIPT).not.to.match(/MYSQL_PWD|\s-p\S|--password=|mysqladmin/);
        expect(WAIT_FOR_MYSQL_SCRIPT).to.contain('--defaults-extra-file="$options"');
        expect(WAIT_FOR_MYSQL_SCRIPT).to.contain("--execute='SELECT 1'");
        expect(WAIT_FOR_MYSQL_SCRIPT).to.contain("umask 077");
    });

    it("writes an option file the client reads back exactly, quotes, backslashes and # included", function () {
        const sh = findTool("sh");
        if (!sh) this.skip();
        const quoted = WAIT_FOR_MYSQL_SCRIPT.slice(WAIT_FOR_MYSQL_SCRIPT.indexOf("quoted() {"), WAIT_FOR_MYSQL_SCRIPT.indexOf("umask 077"));
        const password = `a"b\\c #d 'e' $f`;
        const result = spawnSync(sh!, ["-c", `${quoted}\nquoted "$PW"`], { encoding: "utf8", env: { PW: password } });
        expect(result.stdout).to.equal(`"a\\"b\\\\c #d 'e' $f"`);
    });
});

describe("agent backend: database resolution", () => {
    const stack = {
        host: pulumi.output("db.mysql.database.azure.com"),
        port: 3306,
        database: pulumi.output("agentplatform"),
        username: "platformadmin",
        password: pulumi.secret("x"),
    };

    it("the block's host and port come together; name and user field by field from the stack", () => {
        const mixed = resolveDatabase(backendConfig({ database: { host: undefined, name: undefined, username: "backend", cidr: undefined } }), stack, CLUSTER);
        expect(mixed.host).to.equal(stack.host);
        expect(mixed.name).to.equal(stack.database);
        expect(mixed.username).to.equal("backend");
        const own = resolveDatabase(backendConfig({ database: { port: 3307 } }), stack, CLUSTER);
        expect([own.host, own.port]).to.deep.equal(["mysql.example.internal", 3307]);
        expect(own.egress).to.deep.equal({ cidr: "10.20.0.0/24", ports: [{ port: 3307, protocol: "TCP" }] });
    });

    it("uses the stack's password unless the block names a source for it", () => {
        const none = backendConfig({ secrets: { databasePassword: undefined } });
        expect(passwordConfigured(none.secrets)).to.equal(false);
        expect(resolveDatabase(backendConfig({ secrets: { databasePassword: undefined } }), stack, CLUSTER).passwordFromStack).to.equal(true);
        expect(resolveDatabase(backendConfig(), stack, CLUSTER).passwordFromStack).to.equal(false);
        const remapped = backendConfig({
            secrets: {
                mode: "existing",
                existingSecret: { name: "s", keys: { databasePassword: "pw" } },
                databasePassword: undefined,
                anthropicApiKey: undefined,
                langchainApiKey: undefined,
            },
        });
        expect(passwordConfigured(remapped.secrets)).to.equal(true);
        expect(resolveDatabase(backendConfig({ secrets: { databasePassword: undefined } }), undefined, CLUSTER).passwordFromStack).to.equal(false);
    });

    it("public addresses exclude private, link-local, CGNAT and the cluster's own ranges", () => {
        const cluster = networkPolicyClusterSchema.parse({ internet: { except: ["203.0.113.0/24"] } });
        expect(publicAddresses(cluster, 3306)).to.deep.equal({
            cidr: "0.0.0.0/0",
            except: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10", "10.244.0.0/16", "10.0.0.0/16", "203.0.113.0/24"],
            ports: [{ port: 3306, protocol: "TCP" }],
        });
    });

    it("a DNS host without a location cannot be reached through the policy: an error naming the key (args built in code)", () => {
        const config = backendConfig({ database: { cidr: undefined }, networkPolicy: { enabled: false } });
        expect(() => resolveDatabase(config, undefined, CLUSTER)).to.throw(/^agentBackend\.database\.cidr: the network policy must know where MySQL is/);
    });
});

describe("agent backend: resolve", () => {
    it("fills {domain} in the Seqera URLs; without a platform domain, names the key", () => {
        expect(resolveAgentBackendArgs(backendArgs()).urls).to.deep.equal({ platformApiUrl: "https://example.com/api", mcpUrl: "https://mcp.example.com/mcp" });
        expect(() => resolveAgentBackendArgs(backendArgs({}, { platformDomain: undefined }))).to.throw(
            /^agentBackend\.platformApiUrl: 'https:\/\/\{domain\}\/api' needs the platform domain/,
        );
        expect(resolveUrl("http://platform:8080/api", "platformApiUrl", undefined)).to.equal("http://platform:8080/api");
    });

    it("asks the block's secrets for the password only when the stack's server does not provide it, always as required", () => {
        const stack = { host: "db", port: 3306, database: "d", username: "u", password: "p" };
        const own = resolveAgentBackendArgs(backendArgs());
        expect(own.secretValues.map((v) => [v.id, v.required])).to.deep.equal([
            ["databasePassword", true],
            ["anthropicApiKey", true],
            ["langchainApiKey", true],
        ]);
        const fromStack = resolveAgentBackendArgs(backendArgs({ secrets: { databasePassword: { value: undefined } } }, { database: stack }));
        expect(fromStack.secretValues.map((v) => v.id)).to.deep.equal(["anthropicApiKey", "langchainApiKey"]);
        expect(fromStack.secrets.values).not.to.have.property("databasePassword");
    });

    it("fills the stack's Key Vault into external mode, the block's own settings winning", () => {
        const keyVault = { vaultUrl: "https://stack.vault.azure.net/", clientId: "11111111-1111-1111-1111-111111111111" };
        const block = {
            secrets: {
                mode: "external",
                external: { clientId: "22222222-2222-2222-2222-222222222222" },
                databasePassword: undefined,
                anthropicApiKey: undefined,
                langchainApiKey: undefined,
            },
        };
        const resolved = resolveAgentBackendArgs(backendArgs(block, { keyVault }));
        const secrets = resolveSecretsArgs({
            identity: resolved.identity,
            namespace: "agents",
            values: resolved.secretValues,
            config: resolved.secrets,
            keyVault,
        });
        expect(secrets.external).to.deep.include({
            vaultUrl: "https://stack.vault.azure.net/",
            clientId: "22222222-2222-2222-2222-222222222222",
        });
    });

    it("reports every cross-block problem at once, prefixed with the block's key", () => {
        const args = backendArgs({}, { platformDomain: undefined }, { ...BASE_BLOCK, image: {}, database: {} });
        expect(() => resolveAgentBackendArgs(args)).to.throw(
            [
                "agentBackend.database.host: is required: the MySQL host name (or let the stack create Azure MySQL: `azure.mysql.enabled`)",
                "agentBackend.database.name: is required: the MySQL database name (or let the stack create Azure MySQL: `azure.mysql.enabled`)",
                "agentBackend.database.username: is required: the MySQL user name (or let the stack create Azure MySQL: `azure.mysql.enabled`)",
                "agentBackend.image.registry: is required: the backend image is private (allowed: `cr.seqera.io` or the registry you vendored it to, here or in `images.registry`)",
            ].join("\n"),
        );
    });
});

describe("agent backend: pull Secrets, Job names, metadata", () => {
    it("adds per-image pull Secrets after the platform's, without repeats", () => {
        const created = pulumi.output("platform-credentials");
        expect(mergePullSecrets(["shared", created], ["backend", "shared"], ["backend", "mirror"])).to.deep.equal(["shared", created, "backend", "mirror"]);
        expect(mergePullSecrets([], [], [])).to.deep.equal([]);
    });

    it("names the migration Job after the image: a DNS label, stable per image, new per tag or digest", () => {
        const a = migrationJobName("agent-backend", "cr.seqera.io/x/agent-backend:0.1.0");
        expect(a).to.equal(migrationJobName("agent-backend", "cr.seqera.io/x/agent-backend:0.1.0"));
        expect(a).not.to.equal(migrationJobName("agent-backend", "cr.seqera.io/x/agent-backend:0.1.1"));
        expect(a).not.to.equal(migrationJobName("agent-backend", `cr.seqera.io/x/agent-backend:0.1.0@sha256:${"c".repeat(64)}`));
        const long = migrationJobName("a".repeat(63), "img:1");
        expect(long.length).to.be.at.most(63);
        expect(long).to.match(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    });

    it("extra metadata: identity labels win, Secret extras only on Secrets, nothing on non-Kubernetes resources", () => {
        const extra = {
            common: { labels: { team: "ai", "app.kubernetes.io/name": "x" }, annotations: { owner: "p" } },
            secret: { labels: { rotation: "manual" }, annotations: {} },
        };
        const props = { metadata: { labels: { "app.kubernetes.io/name": "agent-backend" } } };
        expect(withExtraMetadata("kubernetes:core/v1:Secret", props, extra)).to.deep.equal({
            metadata: { labels: { team: "ai", rotation: "manual", "app.kubernetes.io/name": "agent-backend" }, annotations: { owner: "p" } },
        });
        expect((withExtraMetadata("kubernetes:apps/v1:Deployment", props, extra) as any).metadata.labels).not.to.have.property("rotation");
        expect(withExtraMetadata("random:index/randomPassword:RandomPassword", props, extra)).to.equal(undefined);
        expect(withExtraMetadata("kubernetes:helm.sh/v4:Chart", props, extra)).to.equal(undefined);
    });
});
