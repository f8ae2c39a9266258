/** The `namespace` block: the platform namespace and its Pod Security level. */
import { z } from "zod";
import { dnsLabel } from "../core/schema";

export const namespaceBlock = z
    .strictObject({
        name: dnsLabel("Namespace every service is deployed into.").default("agent-platform"),
        create: z.boolean().default(true).meta({ description: "Create the namespace (with Pod Security Admission labels); false uses an existing one." }),
        podSecurity: z
            .enum(["restricted", "baseline", "privileged"])
            .default("restricted")
            .meta({ description: "Pod Security Admission level set as enforce, audit and warn labels on a created namespace." }),
    })
    .meta({ description: "The Kubernetes namespace of the platform." });

export type NamespaceConfig = z.output<typeof namespaceBlock>;
