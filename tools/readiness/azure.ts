/**
 * Rule `connectivity`, the Azure side: a MySQL Flexible Server nothing can reach, and private
 * destinations outside every network the cluster is attached to.
 * - A server with public access disabled and no delegated subnet (VNet integration) has no
 *   network path at all; with public access enabled and no firewall rule, Azure denies every
 *   client (learn.microsoft.com/azure/mysql/flexible-server/concepts-networking).
 * - On AKS, pods reach private addresses only inside the stack's virtual network (or networks
 *   peered to it); an RFC 1918 database range elsewhere has no route.
 */
import type { Recording } from "../render/recorder";
import { addressInCidr } from "../../components/core/cidr";
import type { ReadinessFacts } from "./facts";
import type { Finding } from "./findings";

const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

export function mysqlServerFindings(recording: Recording): Finding[] {
    const findings: Finding[] = [];
    const firewallRules = recording.resources.filter((r) => r.type === "azure-native:dbformysql:FirewallRule");
    for (const server of recording.resources.filter((r) => r.type === "azure-native:dbformysql:Server")) {
        const network = (server.inputs["network"] ?? {}) as Record<string, unknown>;
        if (network["delegatedSubnetResourceId"]) continue;
        const publicAccess = network["publicNetworkAccess"] !== "Disabled";
        if (publicAccess && firewallRules.some((rule) => rule.parent === server.parent)) continue;
        findings.push({
            severity: "error",
            rule: "connectivity",
            object: server.urn,
            message: publicAccess
                ? "the MySQL server allows public access but has no firewall rule, so Azure refuses every client. Give it private access in the stack's network (a delegated subnet)."
                : "the MySQL server has public access disabled and no delegated subnet: no client can reach it. Give it private access in the stack's network (a delegated subnet and a private DNS zone).",
        });
    }
    return findings;
}

/** A private address the cluster's pods have no route to (AKS: outside the stack's networks). */
export function unroutable(ip: string, facts: ReadinessFacts): boolean {
    if (!facts.clusterCreatedByStack || !PRIVATE_RANGES.some((range) => addressInCidr(ip, range))) return false;
    return !facts.connectivity.routableRanges.some((range) => addressInCidr(ip, range));
}
