/** The contract the offline render imports: checkObjects over plain objects. */
import { expect } from "chai";
import { policyCatalog } from "../../policies/catalog";
import { checkObjects, parsePolicyConfig, type Violation } from "../../policies/evaluate";
import { allKinds, allPositions, containerNameAt, workloadWith } from "./support/fixtures";

/** A Deployment that breaks one mandatory and one advisory policy in its app container. */
function failingDeployment() {
    return workloadWith("Deployment", (spec) => {
        spec.containers[0].securityContext.privileged = true;
        spec.containers[0].image = "nginx:latest";
    });
}

describe("checkObjects", () => {
    it("returns nothing for compliant objects of every kind and for non-workload kinds", () => {
        const objects = [
            ...allKinds.map((kind) => workloadWith(kind)),
            { apiVersion: "v1", kind: "Service", metadata: { name: "s" }, spec: { ports: [{ port: 80 }] } },
            { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { a: "b" } },
            null,
            "text",
            42,
        ];
        expect(checkObjects(objects)).to.deep.equal([]);
    });

    it("reports violations with policy, default level, kind, namespace, name and message", () => {
        const violations = checkObjects([failingDeployment()]);
        expect(violations.map(({ policy, enforcementLevel, kind, namespace, name }) => ({ policy, enforcementLevel, kind, namespace, name }))).to.deep.equal([
            { policy: "no-privileged-containers", enforcementLevel: "mandatory", kind: "Deployment", namespace: "team-a", name: "demo" },
            { policy: "pinned-image", enforcementLevel: "advisory", kind: "Deployment", namespace: "team-a", name: "demo" },
        ]);
        expect(violations[0]!.message).to.equal(
            'Deployment "team-a/demo", container "app": spec.template.spec.containers[0].securityContext.privileged is true; remove it or set it to false',
        );
    });

    it("omits the namespace when the object has none", () => {
        const object = failingDeployment();
        delete object.metadata.namespace;
        const [violation] = checkObjects([object]);
        expect(violation).to.not.have.property("namespace");
        expect(violation!.message).to.match(/^Deployment "demo", /);
    });

    it("applies the config: levels change, disabled policies disappear", () => {
        const config = parsePolicyConfig({ all: "mandatory", "no-privileged-containers": "disabled" });
        expect(checkObjects([failingDeployment()], config).map((violation) => [violation.policy, violation.enforcementLevel])).to.deep.equal([
            ["pinned-image", "mandatory"],
        ]);
    });

    it("every message names the kind, the object, the container and the field", () => {
        // Break every container-level policy in every position at once, for every kind.
        const violations: Violation[] = [];
        for (const kind of allKinds) {
            violations.push(
                ...checkObjects([
                    workloadWith(kind, (spec) => {
                        for (const position of allPositions) {
                            const container = spec[position][0];
                            container.securityContext = { runAsUser: 0, privileged: true, procMount: "Unmasked", capabilities: { add: ["SYS_ADMIN"] } };
                            container.image = "x";
                        }
                    }),
                ]),
            );
        }
        expect(violations.length).to.be.greaterThan(allKinds.length * allPositions.length * 5);
        for (const violation of violations) {
            expect(violation.message).to.contain(`${violation.kind} "team-a/demo"`);
            expect(violation.message).to.match(
                /(init container|container|ephemeral container) "(init|app|debug)": \S+\.(initContainers|containers|ephemeralContainers)\[0\]\.\S+ /,
            );
        }
        for (const position of allPositions) {
            expect(
                violations.some((violation) => violation.message.includes(`"${containerNameAt[position]}"`)),
                position,
            ).to.equal(true);
        }
    });

    it("every policy has a description that says how to fix it", () => {
        for (const policy of policyCatalog) {
            expect(policy.description, policy.name).to.match(/Fix: \S/);
        }
    });
});
