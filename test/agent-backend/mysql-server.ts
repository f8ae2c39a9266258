/**
 * A throwaway MariaDB server for the integration test: its own data directory and socket, a
 * free loopback port, real grants (the test user has a password; no --skip-grant-tables).
 */
import { ChildProcess, execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface ServerTools {
    mariadbd: string;
    installDb: string;
}

export interface TestDatabase {
    name: string;
    user: string;
    password: string;
}

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const probe = createServer();
        probe.once("error", reject);
        probe.listen(0, "127.0.0.1", () => {
            const address = probe.address();
            probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
        });
    });
}

/** A single-quoted SQL string literal. */
export function sqlString(value: string): string {
    return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

const asRoot = () => process.getuid?.() === 0;

export class MariadbServer {
    readonly dir = mkdtempSync(join(tmpdir(), "agent-backend-mariadb-"));
    readonly home = join(this.dir, "home");
    private process?: ChildProcess;
    private log = "";

    constructor(
        private readonly tools: ServerTools,
        readonly port: number,
    ) {
        mkdirSync(this.home);
    }

    /** Creates the system tables; the server stays down. */
    install(): Promise<void> {
        const args = [
            "--no-defaults",
            `--datadir=${join(this.dir, "data")}`,
            "--auth-root-authentication-method=socket",
            "--skip-test-db",
            ...(asRoot() ? ["--user=root"] : []),
        ];
        return new Promise((resolve, reject) => {
            execFile(this.tools.installDb, args, { encoding: "utf8", timeout: 60_000 }, (error, stdout, stderr) =>
                error ? reject(new Error(`mariadb-install-db failed (${error.code ?? error.signal}): ${stderr}${stdout}`)) : resolve(),
            );
        });
    }

    /** Starts the server with the database and a password-protected user, and waits until it is ready. */
    async start(db: TestDatabase): Promise<void> {
        const init = join(this.dir, "init.sql");
        writeFileSync(
            init,
            [
                `CREATE DATABASE ${db.name};`,
                `CREATE USER '${db.user}'@'%' IDENTIFIED BY ${sqlString(db.password)};`,
                `GRANT ALL PRIVILEGES ON ${db.name}.* TO '${db.user}'@'%';`,
            ].join("\n"),
        );
        const args = [
            "--no-defaults",
            `--datadir=${join(this.dir, "data")}`,
            `--socket=${join(this.dir, "mysqld.sock")}`,
            `--pid-file=${join(this.dir, "mysqld.pid")}`,
            `--port=${this.port}`,
            "--bind-address=127.0.0.1",
            `--init-file=${init}`,
            "--skip-log-bin",
            ...(asRoot() ? ["--user=root"] : []),
        ];
        const child = spawn(this.tools.mariadbd, args, { stdio: ["ignore", "pipe", "pipe"] });
        this.process = child;
        await new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`mariadbd did not get ready in 60 s:\n${this.log}`)), 60_000);
            const onData = (chunk: Buffer) => {
                this.log += chunk.toString();
                if (this.log.includes("ready for connections")) {
                    clearTimeout(timer);
                    resolve();
                }
            };
            child.stdout!.on("data", onData);
            child.stderr!.on("data", onData);
            child.once("exit", (code) => {
                clearTimeout(timer);
                reject(new Error(`mariadbd exited (${code}):\n${this.log}`));
            });
        });
    }

    /** Stops the server (if running) and removes its data directory. */
    async destroy(): Promise<void> {
        const child = this.process;
        if (child && child.exitCode === null && child.signalCode === null) {
            await new Promise<void>((resolve) => {
                const timer = setTimeout(() => {
                    child.kill("SIGKILL");
                }, 20_000);
                child.once("exit", () => {
                    clearTimeout(timer);
                    resolve();
                });
                child.kill("SIGTERM");
            });
        }
        rmSync(this.dir, { recursive: true, force: true });
    }
}
