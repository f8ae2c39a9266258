/** The CrossGuard adapters, driven with @pulumi/policy's own types and the SDK's resource classes. */
import { expect } from "chai";
import { UnknownValueError } from "@pulumi/policy";
import * as k8s from "@pulumi/kubernetes";
import { policyCatalog } from "../../policies/catalog";
import { crossGuardPolicies, exemptionsPolicyDescription, PackExemptions, toResourcePolicy, workloadKindOfResource } from "../../policies/crossguard";
import { checkObjects, EXEMPTIONS_POLICY } from "../../policies/evaluate";
import type { WorkloadKind } from "../../policies/rules/pod-spec";
import { resourceArgs, runValidation } from "./support/crossguard-args";
import { allKinds, kindLayout, workloadWith, type Json } from "./support/fixtures";

const unknownString = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"; // the SDK's unknown-string sentinel

/** The pack's policies that check something (all but the exemption carrier). */
function rulePolicies() {
    return crossGuardPolicies().filter((policy) => policy.name !== EXEMPTIONS_POLICY);
}

function policyNamed(name: string) {
    const definition = policyCatalog.find((policy) => policy.name === name);
    if (definition === undefined) {
        throw new Error(name);
    }
    return toResourcePolicy(definition);
}

/** A resource class of the SDK; its type token is a static the typings keep internal. */
type ResourceClass = abstract new (...args: never[]) => unknown;

function typeTokenOf(resourceClass: ResourceClass): string {
    return (resourceClass as unknown as { __pulumiType: string }).__pulumiType;
}

/** Every workload class of @pulumi/kubernetes, old API versions included. */
const sdkWorkloadClasses: Array<[ResourceClass, WorkloadKind]> = [
    [k8s.core.v1.Pod, "Pod"],
    [k8s.core.v1.PodTemplate, "PodTemplate"],
    [k8s.core.v1.ReplicationController, "ReplicationController"],
    [k8s.apps.v1.Deployment, "Deployment"],
    [k8s.apps.v1.StatefulSet, "StatefulSet"],
    [k8s.apps.v1.DaemonSet, "DaemonSet"],
    [k8s.apps.v1.ReplicaSet, "ReplicaSet"],
    [k8s.apps.v1beta1.Deployment, "Deployment"],
    [k8s.apps.v1beta1.StatefulSet, "StatefulSet"],
    [k8s.apps.v1beta2.Deployment, "Deployment"],
    [k8s.apps.v1beta2.StatefulSet, "StatefulSet"],
    [k8s.apps.v1beta2.DaemonSet, "DaemonSet"],
    [k8s.apps.v1beta2.ReplicaSet, "ReplicaSet"],
    [k8s.extensions.v1beta1.Deployment, "Deployment"],
    [k8s.extensions.v1beta1.DaemonSet, "DaemonSet"],
    [k8s.extensions.v1beta1.ReplicaSet, "ReplicaSet"],
    [k8s.batch.v1.Job, "Job"],
    [k8s.batch.v1.CronJob, "CronJob"],
    [k8s.batch.v1beta1.CronJob, "CronJob"],
    [k8s.batch.v2alpha1.CronJob, "CronJob"],
];

const notWorkloadClasses: ResourceClass[] = [
    k8s.core.v1.Service,
    k8s.core.v1.ConfigMap,
    k8s.core.v1.Secret,
    k8s.core.v1.Namespace,
    k8s.apps.v1.DeploymentPatch,
    k8s.core.v1.PodPatch,
    k8s.batch.v1.CronJobPatch,
    k8s.apps.v1.DeploymentList,
    k8s.yaml.v2.ConfigGroup,
    k8s.yaml.v2.ConfigFile,
    k8s.helm.v4.Chart,
];

describe("CrossGuard adapters", () => {
    it("wrap every catalog policy with its name, description and default level, after the exemption carrier", () => {
        expect(crossGuardPolicies().map((policy) => [policy.name, policy.enforcementLevel, policy.description])).to.deep.equal([
            [EXEMPTIONS_POLICY, "advisory", exemptionsPolicyDescription],
            ...policyCatalog.map((policy) => [policy.name, policy.defaultLevel, policy.description]),
        ]);
    });

    for (const [resourceClass, kind] of sdkWorkloadClasses) {
        it(`recognise ${typeTokenOf(resourceClass)} as a ${kind}`, () => {
            const args = resourceArgs(typeTokenOf(resourceClass), {});
            expect(args.isType(resourceClass as never)).to.equal(true);
            expect(workloadKindOfResource(args)).to.equal(kind);
        });
    }

    /** The properties the SDK class would send: its own apiVersion and kind, like every typed class. */
    function propsOf(type: string): Json {
        const [, groupVersion = "", kind = ""] = type.split(":");
        return {
            apiVersion: groupVersion.replace(/^core\//, ""),
            kind: kind.replace(/Patch$/, ""),
            metadata: { name: "x" },
            spec: { template: { spec: { containers: [{ name: "c" }] } } },
        };
    }

    for (const resourceClass of notWorkloadClasses) {
        it(`report ${typeTokenOf(resourceClass)} as not applicable, with a reason`, async () => {
            const args = resourceArgs(typeTokenOf(resourceClass), propsOf(typeTokenOf(resourceClass)));
            const result = await runValidation(policyNamed("run-as-non-root"), args);
            expect(result.violations).to.deep.equal([]);
            expect(result.notApplicable).to.match(/^run-as-non-root applies only to Kubernetes workloads \(Pod, PodTemplate,/);
        });
    }

    it("read generic objects by the apiVersion and kind in their properties", () => {
        expect(workloadKindOfResource(resourceArgs("kubernetes:example.com/v1:Wrapper", { apiVersion: "batch/v1", kind: "Job" }))).to.equal("Job");
        // A CustomResource's type is kubernetes:<apiVersion>:<kind>; the core group has no "core/".
        expect(workloadKindOfResource(resourceArgs("kubernetes:v1:Pod", {}))).to.equal("Pod");
    });

    for (const kind of allKinds) {
        describe(kind, () => {
            const type = kindLayout[kind].typeToken;

            it("a compliant resource passes every policy", async () => {
                for (const policy of rulePolicies()) {
                    const result = await runValidation(policy, resourceArgs(type, workloadWith(kind)));
                    expect(result, policy.name).to.deep.equal({ violations: [], notApplicable: undefined });
                }
            });

            it("reports the same messages as the offline checker, one call per finding", async () => {
                const object = workloadWith(kind, (spec) => {
                    spec.hostPID = true;
                    spec.securityContext.runAsNonRoot = false;
                    spec.initContainers[0].securityContext.capabilities.add = ["NET_ADMIN"];
                    spec.ephemeralContainers[0].image = "busybox";
                });
                const reported: string[] = [];
                for (const policy of rulePolicies()) {
                    reported.push(...(await runValidation(policy, resourceArgs(type, object))).violations);
                }
                const offline = checkObjects([object]).map((violation) => violation.message);
                expect(reported).to.deep.equal(offline);
                expect(reported).to.have.length(7);
            });
        });
    }

    it("names an auto-named resource by its Pulumi name", async () => {
        const object: Json = workloadWith("Deployment", (spec) => {
            spec.hostIPC = true;
        });
        delete object.metadata.name;
        const result = await runValidation(policyNamed("no-host-namespaces"), resourceArgs("kubernetes:apps/v1:Deployment", object, "api-deployment"));
        expect(result.violations).to.deep.equal(['Deployment "team-a/api-deployment", pod: spec.template.spec.hostIPC is true; remove it or set it to false']);
    });

    it("still runs when the namespace is unknown during preview", async () => {
        const object: Json = workloadWith("Deployment", (spec) => {
            spec.hostIPC = true;
        });
        object.metadata.namespace = unknownString;
        const result = await runValidation(policyNamed("no-host-namespaces"), resourceArgs("kubernetes:apps/v1:Deployment", object));
        expect(result.violations).to.deep.equal(['Deployment "demo", pod: spec.template.spec.hostIPC is true; remove it or set it to false']);
    });

    it("lets the SDK's UnknownValueError through when a checked field is unknown, so the engine reports it as advisory", async () => {
        const object: Json = workloadWith("Deployment", (spec) => {
            spec.containers[0].image = unknownString;
        });
        let thrown: unknown;
        try {
            await runValidation(policyNamed("pinned-image"), resourceArgs("kubernetes:apps/v1:Deployment", object));
        } catch (error) {
            thrown = error;
        }
        expect(thrown).to.be.instanceOf(UnknownValueError);
    });
});

describe("CrossGuard namespace exemptions", () => {
    /** Breaks a Pod Security policy and a hygiene policy: privileged, and no resources. */
    const broken = (namespace: string): Json => {
        const object = workloadWith("Deployment", (spec) => {
            spec.containers[0].securityContext.privileged = true;
            delete spec.containers[0].resources;
        });
        object.metadata.namespace = namespace;
        return object;
    };

    /** Runs the pack's policies in the pack's order, as the policy server does, each seeing only its own config. */
    async function runPack(object: Json, carrierConfig: object): Promise<Map<string, Awaited<ReturnType<typeof runValidation>>>> {
        const results = new Map<string, Awaited<ReturnType<typeof runValidation>>>();
        for (const policy of crossGuardPolicies()) {
            const args = resourceArgs("kubernetes:apps/v1:Deployment", object);
            args.getConfig = <T extends object>() => (policy.name === EXEMPTIONS_POLICY ? carrierConfig : {}) as T;
            results.set(policy.name, await runValidation(policy, args));
        }
        return results;
    }

    const reason = "chart-owned workloads (test)";

    it("an exempted namespace passes: the policies are not applicable there, with the reason", async () => {
        const results = await runPack(broken("cert-manager"), { exemptions: [{ namespace: "cert-manager", reason }] });
        expect([...results.values()].flatMap((result) => result.violations)).to.deep.equal([]);
        expect(results.get("no-privileged-containers")!.notApplicable).to.equal(`exempt in namespace "cert-manager" (1 finding not reported): ${reason}`);
        expect(results.get("resource-requests-and-limits")!.notApplicable).to.match(
            /^exempt in namespace "cert-manager" \(\d+ findings not reported\): chart-owned/,
        );
        // A policy with nothing to report is simply passed, not marked exempt.
        expect(results.get("run-as-non-root")).to.deep.equal({ violations: [], notApplicable: undefined });
        expect(results.get(EXEMPTIONS_POLICY)!.notApplicable).to.match(/checks nothing itself/);
    });

    it("the same object in another namespace fails", async () => {
        const results = await runPack(broken("team-a"), { exemptions: [{ namespace: "cert-manager", reason }] });
        expect(results.get("no-privileged-containers")!.violations).to.have.length(1);
        expect(results.get("resource-requests-and-limits")!.violations).to.not.deep.equal([]);
    });

    it("an exemption limited to one policy still reports the others", async () => {
        const results = await runPack(broken("cert-manager"), {
            exemptions: [{ namespace: "cert-manager", policies: ["resource-requests-and-limits"], reason }],
        });
        expect(results.get("resource-requests-and-limits")!.violations).to.deep.equal([]);
        expect(results.get("resource-requests-and-limits")!.notApplicable).to.contain(reason);
        expect(results.get("no-privileged-containers")!.violations).to.deep.equal([
            'Deployment "cert-manager/demo", container "app": spec.template.spec.containers[0].securityContext.privileged is true; remove it or set it to false',
        ]);
    });

    it("refuses an exemption without a reason, naming the entry, so the preview fails", async () => {
        const carrier = crossGuardPolicies()[0]!;
        const args = resourceArgs("kubernetes:apps/v1:Deployment", broken("team-a"));
        args.getConfig = <T extends object>() => ({ exemptions: [{ namespace: "cert-manager", reason }, { namespace: "external-secrets" }] }) as T;
        let thrown: unknown;
        try {
            await runValidation(carrier, args);
        } catch (error) {
            thrown = error;
        }
        expect((thrown as Error).message).to.equal(
            'policy config "namespace-exemptions": exemptions[1] (namespace "external-secrets"): "reason" is required: say why the namespace is exempt',
        );
    });

    it("exempts nothing until the carrier has read its config (fails closed)", async () => {
        const policy = toResourcePolicy(
            policyCatalog.find((definition) => definition.name === "no-privileged-containers")!,
            new PackExemptions(),
        );
        const result = await runValidation(policy, resourceArgs("kubernetes:apps/v1:Deployment", broken("cert-manager")));
        expect(result.violations).to.have.length(1);
    });
});
