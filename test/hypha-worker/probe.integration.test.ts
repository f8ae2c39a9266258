/**
 * The connection probe: the real script under a real Python against real sockets of this
 * machine's kernel, plus socket tables written by hand for what loopback cannot show (IPv6,
 * IPv4-mapped addresses). The worker's image runs Python 3.11; CI needs `python3`.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildConnectionProbes, CONNECTION_CHECK_SCRIPT, connectionCheckCommand, SOCKET_TABLES } from "../../components/hypha-worker/probe";
import { requireTool } from "../helpers/external-tools";

let python = "";

/** Exit code of the check, run as the probe runs it (the command's argv after `python`). */
function check(ports: number[], ignored: string[] = [], tables: readonly string[] = SOCKET_TABLES, env: Record<string, string> = {}): number | null {
    const [, ...argv] = connectionCheckCommand(ports, ignored, tables);
    const result = spawnSync(python, argv, { encoding: "utf8", env: { PATH: process.env["PATH"] ?? "", ...env } });
    if (result.stderr) throw new Error(result.stderr);
    return result.status;
}

interface Link {
    port: number;
    client: net.Socket;
    /** The server side of the connection. */
    accepted: net.Socket;
    close(): Promise<void>;
}

/** A loopback connection whose client never closes its end by itself, as a hung process would not. */
async function connect(): Promise<Link> {
    let accepted: net.Socket | undefined;
    const server = net.createServer({ allowHalfOpen: true }, (socket) => (accepted = socket));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    const client = net.connect({ port, host: "127.0.0.1", allowHalfOpen: true });
    await new Promise<void>((resolve) => client.once("connect", resolve));
    while (!accepted) await new Promise((resolve) => setTimeout(resolve, 5));
    return {
        port,
        client,
        accepted,
        close: async () => {
            client.destroy();
            accepted!.destroy();
            await new Promise<void>((resolve) => server.close(() => resolve()));
        },
    };
}

/** A /proc/net/tcp6 line: slot, local, remote, state, then fields the check does not read. */
function tcp6Line(remoteHex: string, port: number, state: string): string {
    const local = `${"0".repeat(32)}:1F90`;
    return `   0: ${local} ${remoteHex}:${port.toString(16).toUpperCase().padStart(4, "0")} ${state} 00000000:00000000 00:00000000 00000000  1000        0 1 1 0 20 4 30 10 -1`;
}
const TCP6_HEADER =
    "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";
/** ::ffff:20.50.60.70 as /proc prints it: four little-endian words. */
const MAPPED_20_50_60_70 = "0000000000000000FFFF0000463C3214";
/** 2001:db8::1 likewise. */
const IPV6_2001_DB8_1 = "B80D0120000000000000000001000000";

describe("hypha worker connection probe", () => {
    before(function () {
        python = requireTool(this, "python3", "apt-get install python3");
    });

    it("passes while the pod holds an established connection to a server port, and fails for any other port", async () => {
        const link = await connect();
        try {
            expect(check([link.port])).to.equal(0);
            expect(check([link.port + 1])).to.equal(1);
            expect(check([link.port + 1, link.port])).to.equal(0);
        } finally {
            await link.close();
        }
    });

    it("fails once the server dropped a worker that never closed its end (a hung event loop)", async () => {
        const link = await connect();
        try {
            const finReceived = new Promise<void>((resolve) => link.client.once("end", resolve));
            link.accepted.end(); // the server gives up on the connection; the client does nothing
            await finReceived;
            expect(check([link.port])).to.equal(1);
        } finally {
            await link.close();
        }
    });

    it("fails after the connection is closed", async () => {
        const link = await connect();
        await link.close();
        expect(check([link.port])).to.equal(1);
    });

    it("does not count connections to the API server, by configured CIDR or by KUBERNETES_SERVICE_HOST", async () => {
        const link = await connect();
        try {
            expect(check([link.port], ["127.0.0.0/8"])).to.equal(1);
            expect(check([link.port], [], SOCKET_TABLES, { KUBERNETES_SERVICE_HOST: "127.0.0.1" })).to.equal(1);
            expect(check([link.port], ["10.0.0.0/8"], SOCKET_TABLES, { KUBERNETES_SERVICE_HOST: "10.0.0.1" })).to.equal(0);
        } finally {
            await link.close();
        }
    });

    describe("with socket tables written by hand", () => {
        let dir = "";
        const table = (name: string, lines: string[]) => {
            const path = join(dir, name);
            writeFileSync(path, [TCP6_HEADER, ...lines, ""].join("\n"));
            return path;
        };
        before(() => (dir = mkdtempSync(join(tmpdir(), "hypha-probe-"))));
        after(() => rmSync(dir, { recursive: true, force: true }));

        it("reads IPv6 connections, and IPv4-mapped ones as IPv4 when ignoring the API server", () => {
            const mapped = table("mapped", [tcp6Line(MAPPED_20_50_60_70, 443, "01")]);
            expect(check([443], [], [mapped])).to.equal(0);
            expect(check([443], ["20.50.60.70/32"], [mapped])).to.equal(1);
            const ipv6 = table("ipv6", [tcp6Line(IPV6_2001_DB8_1, 9520, "01")]);
            expect(check([9520], [], [ipv6])).to.equal(0);
            expect(check([9520], ["20.50.60.70/32"], [ipv6])).to.equal(0);
            expect(check([9520], [], [ipv6], { KUBERNETES_SERVICE_HOST: "2001:db8::1" })).to.equal(1);
        });

        it("counts only ESTABLISHED (01), not CLOSE_WAIT (08) or TIME_WAIT (06)", () => {
            expect(check([9520], [], [table("closing", [tcp6Line(IPV6_2001_DB8_1, 9520, "08"), tcp6Line(IPV6_2001_DB8_1, 9520, "06")])])).to.equal(1);
        });

        it("fails, without an error, when no table can be read", () => {
            expect(check([9520], [], [join(dir, "missing")])).to.equal(1);
        });
    });
});

describe("hypha worker probe settings", () => {
    it("runs the image's python with the ports and ignored ranges as arguments", () => {
        expect(connectionCheckCommand([9520, 443], ["20.50.60.70/32", "10.1.0.4/32"])).to.deep.equal([
            "python",
            "-c",
            CONNECTION_CHECK_SCRIPT,
            "9520,443",
            "20.50.60.70/32,10.1.0.4/32",
            "/proc/net/tcp",
            "/proc/net/tcp6",
        ]);
        expect(() => connectionCheckCommand([], [])).to.throw(/at least one server port/);
    });

    it("gives the worker startupSeconds to connect, and restarts it after failureThreshold × periodSeconds without a connection", () => {
        const probes = buildConnectionProbes(["python"], { periodSeconds: 20, failureThreshold: 6, startupSeconds: 121 });
        expect(probes.startup).to.deep.include({ periodSeconds: 5, failureThreshold: 25 });
        expect(probes.liveness).to.deep.include({ periodSeconds: 20, failureThreshold: 6, timeoutSeconds: 5 });
        expect(probes.readiness).to.deep.include({ periodSeconds: 10, failureThreshold: 3 });
        for (const probe of Object.values(probes)) expect(probe.exec).to.deep.equal({ command: ["python"] });
    });
});
