import { expect } from "chai";
import { nameFindings, portNameProblem, qualifiedNameProblem } from "../../../tools/readiness/names";
import { container, deployment, object } from "./fixtures";

describe("readiness rule names", () => {
    it("accepts well-formed names, labels and ports", () => {
        const objects = [
            object("v1", "Service", "web", "apps", { spec: { ports: [{ name: "http", port: 80 }] } }, { "app.kubernetes.io/name": "web" }),
            deployment("web", "apps", { containers: [container("web", { ports: [{ name: "http", containerPort: 80 }] })] }),
            object("rbac.authorization.k8s.io/v1", "ClusterRole", "system:web", undefined),
        ];
        expect(nameFindings(objects)).to.deep.equal([]);
    });

    it("reports a Service name that is not a DNS-1035 label, and a long CronJob name", () => {
        const findings = nameFindings([object("v1", "Service", "1web", "apps"), object("batch/v1", "CronJob", "c".repeat(53), "apps")]);
        expect(findings.map((f) => f.message)).to.deep.equal([
            "name \"1web\" must be a DNS-1035 label (lowercase letters, digits and '-', starting with a letter); the API server rejects the object.",
            `name "${"c".repeat(53)}" must be no more than 52 characters (the CronJob controller appends 11 to name its Jobs); the API server rejects the object.`,
        ]);
    });

    it("reports a label value longer than 63 characters on the object and on its pod template", () => {
        const long = "v".repeat(64);
        const findings = nameFindings([deployment("web", "apps", { containers: [container("web")] }, { version: long })]);
        expect(findings.map((f) => f.message.split(":")[0])).to.deep.equal([`pod template label version="${long}"`]);
    });

    it("reports annotations over 256 KiB in total", () => {
        const big = { ...object("v1", "ConfigMap", "c", "apps"), metadata: { name: "c", namespace: "apps", annotations: { a: "x".repeat(256 * 1024) } } };
        expect(nameFindings([big])[0]!.message).to.contain("more than the API server's 262144");
    });

    it("checks qualified names and port names by the API machinery's rules", () => {
        expect(qualifiedNameProblem("example.com/name")).to.equal(undefined);
        expect(qualifiedNameProblem("Example.com/name")).to.contain("prefix");
        expect(qualifiedNameProblem("a/b/c")).to.contain("qualified name");
        expect(portNameProblem("http-metrics")).to.equal(undefined);
        expect(portNameProblem("a-very-long-port-name")).to.contain("15");
        expect(portNameProblem("8080")).to.contain("letter");
        expect(portNameProblem("a--b")).to.contain("single");
    });
});
