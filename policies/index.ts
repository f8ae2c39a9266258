// The CrossGuard pack: assembly only. Rules live in rules/, adapters in crossguard.ts.
import { PolicyPack } from "@pulumi/policy";
import { crossGuardPolicies } from "./crossguard";

new PolicyPack("agent-platform", {
    description: "Kubernetes Pod Security (restricted, exact admission semantics) and workload hygiene for every workload kind.",
    policies: crossGuardPolicies(),
});
