/**
 * The worker's health check. The worker (oeway/hypha-k8s-worker 0.1.0) has no HTTP endpoint,
 * writes no heartbeat file and exports no metrics; after registering it only keeps its
 * WebSocket to the Hypha server open. That connection is the one thing its health shows in:
 * - a worker that lost the server and did not reconnect holds no connection;
 * - a worker whose event loop hangs stops sending the client's application pings (every 20 s)
 *   and stops answering WebSocket pings, so the server closes the connection (ping timeout, or
 *   the server's idle timeout); the hung process never closes its end, which stays in
 *   CLOSE_WAIT, not ESTABLISHED.
 * So the probe passes while the pod holds an ESTABLISHED TCP connection to a server port. It
 * reads /proc/net/tcp and tcp6 (the pod's network namespace: this container only) with the
 * image's own Python, and ignores connections to the API server, which may share port 443.
 */
import type { Probe } from "../pod";

/**
 * argv: ports (comma-separated), ignored CIDRs (comma-separated, may be empty), then the
 * socket tables to read. KUBERNETES_SERVICE_HOST is ignored too. Exit 0 when connected.
 */
export const CONNECTION_CHECK_SCRIPT = `
import ipaddress, os, sys
ports = {int(p) for p in sys.argv[1].split(",")}
ignored = [ipaddress.ip_network(c) for c in sys.argv[2].split(",") if c]
if os.environ.get("KUBERNETES_SERVICE_HOST"):
    ignored.append(ipaddress.ip_network(os.environ["KUBERNETES_SERVICE_HOST"]))
def address(text):
    # Each 32-bit word is printed in host byte order (little-endian on amd64 and arm64).
    raw = bytes.fromhex(text)
    ip = ipaddress.ip_address(b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4)))
    return (ip.ipv4_mapped or ip) if ip.version == 6 else ip
def connected(path):
    try:
        with open(path) as table:
            next(table)
            for line in table:
                remote, state = line.split()[2:4]
                host, port = remote.split(":")
                if state == "01" and int(port, 16) in ports:
                    ip = address(host)
                    if not any(ip.version == net.version and ip in net for net in ignored):
                        return True
    except OSError:
        pass
    return False
sys.exit(0 if any(connected(path) for path in sys.argv[3:]) else 1)
`.trim();

export const SOCKET_TABLES = ["/proc/net/tcp", "/proc/net/tcp6"] as const;

/** The exec command: the image's `python` (the worker's own interpreter) runs the check. */
export function connectionCheckCommand(ports: readonly number[], ignoredCidrs: readonly string[], tables: readonly string[] = SOCKET_TABLES): string[] {
    if (ports.length === 0) throw new Error("the connection check needs at least one server port");
    return ["python", "-c", CONNECTION_CHECK_SCRIPT, ports.join(","), ignoredCidrs.join(","), ...tables];
}

export interface HealthSettings {
    periodSeconds: number;
    failureThreshold: number;
    startupSeconds: number;
}

const STARTUP_PERIOD_SECONDS = 5;

/** Startup (while it connects), readiness (connected now) and liveness (reconnected in time). */
export function buildConnectionProbes(command: string[], health: HealthSettings): { startup: Probe; readiness: Probe; liveness: Probe } {
    const exec = { exec: { command } };
    // Python starts in well under a second; 5 s leaves room on a throttled CPU.
    const timeoutSeconds = 5;
    return {
        startup: {
            ...exec,
            periodSeconds: STARTUP_PERIOD_SECONDS,
            timeoutSeconds,
            failureThreshold: Math.ceil(health.startupSeconds / STARTUP_PERIOD_SECONDS),
            successThreshold: 1,
        },
        readiness: { ...exec, periodSeconds: 10, timeoutSeconds, failureThreshold: 3, successThreshold: 1 },
        liveness: { ...exec, periodSeconds: health.periodSeconds, timeoutSeconds, failureThreshold: health.failureThreshold, successThreshold: 1 },
    };
}
