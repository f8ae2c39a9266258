/** The backend's Service: port 80 (by default) to the `http` container port, plus extra ports. */
import type * as k8s from "@pulumi/kubernetes";
import { AppIdentity, selectorLabels } from "../pod";
import { AgentBackendConfig } from "./schema";

export function buildBackendServiceSpec(config: AgentBackendConfig, identity: AppIdentity): k8s.types.input.core.v1.ServiceSpec {
    const s = config.service;
    const external = s.type !== "ClusterIP";
    return {
        type: s.type,
        // Name and instance: two releases in one namespace never share endpoints.
        selector: selectorLabels(identity),
        ports: [
            { name: s.portName, port: s.port, targetPort: "http", protocol: "TCP", ...(external && s.nodePort !== undefined ? { nodePort: s.nodePort } : {}) },
            ...s.extraPorts.map((p) => ({
                name: p.name,
                port: p.port,
                targetPort: p.targetPort,
                protocol: p.protocol,
                ...(external && p.nodePort !== undefined ? { nodePort: p.nodePort } : {}),
            })),
        ],
        ...(s.externalTrafficPolicy ? { externalTrafficPolicy: s.externalTrafficPolicy } : {}),
        ...(s.loadBalancerSourceRanges ? { loadBalancerSourceRanges: s.loadBalancerSourceRanges } : {}),
        ...(s.sessionAffinity ? { sessionAffinity: s.sessionAffinity } : {}),
    };
}
