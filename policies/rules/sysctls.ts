/** Sysctls exist only at pod level; only the namespaced, isolated ones Pod Security calls safe pass. */
import { arrayAt, objectAt, show } from "./values";
import { type Finding, type Workload } from "./workload";

/** The safe set of Kubernetes v1.32–v1.36. */
export const safeSysctls: ReadonlySet<string> = new Set([
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
    "net.ipv4.tcp_rmem",
    "net.ipv4.tcp_wmem",
]);

export function checkSafeSysctls(workload: Workload): Finding[] {
    const findings: Finding[] = [];
    arrayAt(workload.podSecurityContext?.["sysctls"]).forEach((entry, index) => {
        const name = objectAt(entry)?.["name"];
        if (typeof name !== "string" || !safeSysctls.has(name)) {
            findings.push({
                subject: "pod",
                field: `${workload.podSpecPath}.securityContext.sysctls[${index}].name`,
                problem: `is ${show(name)}, which is not a safe sysctl; remove it (safe: ${[...safeSysctls].join(", ")})`,
            });
        }
    });
    return findings;
}
