/**
 * Proven against a real MariaDB server: the RENDERED wait-for-MySQL init container (its
 * command and its env, resolved as the kubelet would from the rendered ConfigMap and the
 * Secret's known values) runs with this machine's `mysql` client against a server on a free
 * loopback port; then the rendered migration container's env drives a stand-in migration.
 * Skipped locally without the MariaDB binaries; CI refuses the skip.
 */
import { expect } from "chai";
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { KubernetesObject } from "../../tools/render/manifests";
import { requireTool } from "../helpers/external-tools";
import { Recorded } from "../helpers/record";
import { ANTHROPIC_KEY, DB_PASSWORD, LANGCHAIN_KEY, SecretValues, backendArgs, kubeletCommand, kubeletEnv, podSpecOf, recordBackend } from "./fixtures";
import { MariadbServer, freePort } from "./mysql-server";

// Unique per run: the command-line scan must not see another test run's processes.
const PASSWORD = `${DB_PASSWORD}-${randomBytes(6).toString("hex")}`;
const DB = { name: "agent_backend", user: "agent_backend", password: PASSWORD };
const WAIT = { timeoutSeconds: 4, intervalSeconds: 1, connectTimeoutSeconds: 1 };

interface Run {
    code: number | null;
    output: string;
    seconds: number;
    /** Command lines (from /proc) seen while it ran that contained `watchFor`. */
    leaks: string[];
}

/** Every process's command line, as anyone on a node could read it. */
function commandLines(): string[] {
    const lines: string[] = [];
    for (const pid of readdirSync("/proc").filter((entry) => /^\d+$/.test(entry))) {
        try {
            lines.push(readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" "));
        } catch {
            // The process ended meanwhile.
        }
    }
    return lines;
}

/** Runs argv with exactly `env` (plus PATH and an empty HOME, as an image provides). */
function run(argv: string[], env: Record<string, string>, home: string, watchFor?: string): Promise<Run> {
    return new Promise((resolve, reject) => {
        const started = Date.now();
        const child = spawn(argv[0]!, argv.slice(1), {
            env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: home, ...env },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let output = "";
        const leaks: string[] = [];
        child.stdout.on("data", (c: Buffer) => (output += c.toString()));
        child.stderr.on("data", (c: Buffer) => (output += c.toString()));
        const scan = watchFor ? setInterval(() => leaks.push(...commandLines().filter((line) => line.includes(watchFor))), 20) : undefined;
        const kill = setTimeout(() => child.kill("SIGKILL"), 60_000);
        child.once("error", reject);
        child.once("exit", (code) => {
            clearTimeout(kill);
            if (scan) clearInterval(scan);
            resolve({ code, output, seconds: (Date.now() - started) / 1000, leaks });
        });
    });
}

function container(spec: any, name: string): any {
    const found = [...(spec.initContainers ?? []), ...spec.containers].find((c: any) => c.name === name);
    if (!found) throw new Error(`no container ${name}`);
    return found;
}

describe("agent backend against a real MariaDB server", function () {
    this.timeout(180_000);
    let server: MariadbServer | undefined;
    let rendered: Recorded;
    let deployment: KubernetesObject;
    let known: SecretValues;
    let whileDown: Promise<Run>;

    before(async function () {
        const mariadbd = requireTool(this, "mariadbd", "apt-get install mariadb-server");
        const installDb = requireTool(this, "mariadb-install-db", "apt-get install mariadb-server");
        requireTool(this, "mysql", "apt-get install mariadb-client");
        server = new MariadbServer({ mariadbd, installDb }, await freePort());
        const installing = server.install();
        // The stack file points the backend at the test server; the wait gives up after 4 s.
        rendered = await recordBackend(
            backendArgs({
                database: { host: "127.0.0.1", port: server.port, cidr: undefined },
                secrets: { databasePassword: { value: PASSWORD } },
                initContainerDependencies: { waitForMySQL: WAIT },
            }),
        );
        deployment = rendered.object("Deployment");
        const secret = rendered.object("Secret");
        // The render redacts Secret data: the values are the ones this test passed in.
        const values: Record<string, string> = { AGENT_BACKEND_DB_PASSWORD: PASSWORD, ANTHROPIC_API_KEY: ANTHROPIC_KEY, LANGCHAIN_API_KEY: LANGCHAIN_KEY };
        known = (name, key) => (name === secret.metadata.name ? values[key] : undefined);
        // The first case needs the server down: it runs while the system tables are created.
        whileDown = waitRun(known, PASSWORD);
        await installing;
    });

    after(async () => {
        await server?.destroy();
    });

    const waitRun = (secrets: SecretValues, watchFor?: string) => {
        const wait = container(podSpecOf(deployment), "wait-for-mysql");
        const env = kubeletEnv(wait, rendered.objects, secrets);
        expect(env["AGENT_BACKEND_DB_HOST"]).to.equal("127.0.0.1");
        return run(kubeletCommand(wait, env), env, server!.home, watchFor);
    };

    it("while the server is down: keeps trying, logs each attempt, then gives up after its deadline with a clear message", async () => {
        const result = await whileDown;
        expect(result.code, result.output).to.equal(1);
        // Whole seconds from `date +%s`: the deadline falls within a second of the timeout.
        expect(result.seconds).to.be.within(WAIT.timeoutSeconds - 1, WAIT.timeoutSeconds + 4);
        const attempts = result.output.match(/attempt \d+: MySQL does not accept/g) ?? [];
        expect(attempts.length, result.output).to.be.at.least(3);
        expect(result.output).to.match(/giving up after \d+s and \d+ attempts: MySQL did not accept agent_backend@127\.0\.0\.1:\d+\/agent_backend within 4s/);
        // The password was on no process's command line while it ran.
        expect(result.leaks).to.deep.equal([]);
    });

    it("the command-line scan above would see a password passed as an argument", async () => {
        const result = await run(["sh", "-c", "sleep 0.3", "sh", `--password=${PASSWORD}`], {}, server!.home, PASSWORD);
        expect(result.leaks).not.to.deep.equal([]);
    });

    it("with a wrong password: never succeeds, and says why on each attempt", async () => {
        await whileDown; // finished before the server starts, whichever cases run
        await server!.start(DB);
        const wrong: SecretValues = (name, key) => (key === "AGENT_BACKEND_DB_PASSWORD" ? "not-the-password" : known(name, key));
        const result = await waitRun(wrong);
        expect(result.code, result.output).to.equal(1);
        expect(result.output).to.contain("Access denied for user 'agent_backend'");
        expect(result.output).not.to.contain("MySQL accepts");
        expect(result.output).to.contain("giving up");
    });

    it("with the right credentials: exits 0 within a few seconds, proving an authenticated connection", async () => {
        const result = await waitRun(known, PASSWORD);
        expect(result.code, result.output).to.equal(0);
        expect(result.seconds).to.be.below(5);
        expect(result.output).to.match(/attempt 1: MySQL accepts agent_backend@127\.0\.0\.1:\d+\/agent_backend/);
        expect(result.leaks).to.deep.equal([]);
    });

    it("the migration container's env alone is enough to migrate: a stand-in creates a table", async () => {
        const migration = container(podSpecOf(deployment), "db-migration");
        expect(migration.command).to.deep.equal(["./init.sh"]);
        const env = kubeletEnv(migration, rendered.objects, known);
        // Stand-in for ./init.sh: only the rendered env, the password through an option file.
        const standIn = [
            "set -eu",
            "umask 077",
            "options=$(mktemp /tmp/migration-test.XXXXXX); trap 'rm -f \"$options\"' EXIT",
            "escaped=$(printf '%s' \"$AGENT_BACKEND_DB_PASSWORD\" | sed -e 's/\\\\/\\\\\\\\/g' -e 's/\"/\\\\\"/g')",
            'printf \'[client]\\npassword="%s"\\n\' "$escaped" > "$options"',
            'mysql --defaults-extra-file="$options" --protocol=TCP -h "$AGENT_BACKEND_DB_HOST" -P "$AGENT_BACKEND_DB_PORT" -u "$AGENT_BACKEND_DB_USER" "$AGENT_BACKEND_DB_NAME" -e "CREATE TABLE schema_migrations (version VARCHAR(32) PRIMARY KEY)"',
        ].join("\n");
        const result = await run(["sh", "-c", standIn], env, server!.home);
        expect(result.code, result.output).to.equal(0);

        // Checked as the backend's user, independently of the stand-in (MYSQL_PWD: fine for the host's MariaDB client in a test).
        const check = spawnSync(
            "mysql",
            [
                "--no-defaults",
                "--protocol=TCP",
                "-h",
                "127.0.0.1",
                "-P",
                String(server!.port),
                "-u",
                DB.user,
                "--batch",
                "--skip-column-names",
                "-e",
                `SHOW TABLES FROM ${DB.name}`,
            ],
            { encoding: "utf8", env: { PATH: process.env["PATH"], HOME: server!.home, MYSQL_PWD: DB.password } },
        );
        expect(check.status, check.stderr).to.equal(0);
        const tables = check.stdout;
        expect(tables.trim().split("\n")).to.include("schema_migrations");
    });
});
