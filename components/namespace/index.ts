/**
 * The platform namespace: created with Pod Security Admission labels, or an existing one used
 * by name. Either way every component receives the name from here.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { NamespaceConfig } from "./schema";
import { MANAGED_BY, PART_OF } from "../pod";

/** enforce + audit + warn at one level, pinned to `latest` so new restrictions apply on upgrade. */
export function podSecurityLabels(level: NamespaceConfig["podSecurity"]): Record<string, string> {
    const labels: Record<string, string> = {};
    for (const mode of ["enforce", "audit", "warn"]) {
        labels[`pod-security.kubernetes.io/${mode}`] = level;
        labels[`pod-security.kubernetes.io/${mode}-version`] = "latest";
    }
    return labels;
}

export class PlatformNamespace extends pulumi.ComponentResource {
    readonly name: pulumi.Output<string>;

    constructor(name: string, args: NamespaceConfig, opts?: pulumi.ComponentResourceOptions) {
        super("agent-platform:namespace:PlatformNamespace", name, {}, opts);
        if (args.create) {
            const namespace = new k8s.core.v1.Namespace(
                `${name}-namespace`,
                {
                    metadata: {
                        name: args.name,
                        labels: {
                            "app.kubernetes.io/part-of": PART_OF,
                            "app.kubernetes.io/managed-by": MANAGED_BY,
                            ...podSecurityLabels(args.podSecurity),
                        },
                    },
                },
                { parent: this },
            );
            this.name = namespace.metadata.name;
        } else {
            this.name = pulumi.output(args.name);
        }
        this.registerOutputs({ name: this.name });
    }
}
