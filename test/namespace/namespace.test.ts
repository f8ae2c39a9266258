/**
 * PlatformNamespace: the namespace with its Pod Security labels, or nothing.
 */
import { expect } from "chai";
import { PlatformNamespace } from "../../components/namespace";
import { recordComponents } from "../helpers/record";

describe("PlatformNamespace", () => {
    it("creates the namespace with Pod Security Admission labels for enforce, audit and warn", async () => {
        const r = await recordComponents(
            (provider) => new PlatformNamespace("ns", { name: "agents", create: true, podSecurity: "restricted" }, { providers: [provider] }),
        );
        const labels = r.object("Namespace", "agents").metadata.labels!;
        for (const mode of ["enforce", "audit", "warn"]) {
            expect(labels[`pod-security.kubernetes.io/${mode}`]).to.equal("restricted");
            expect(labels[`pod-security.kubernetes.io/${mode}-version`]).to.equal("latest");
        }
    });
    it("creates nothing for an existing namespace", async () => {
        const r = await recordComponents(
            (provider) => new PlatformNamespace("ns", { name: "agents", create: false, podSecurity: "restricted" }, { providers: [provider] }),
        );
        expect(r.objects).to.deep.equal([]);
    });
});
