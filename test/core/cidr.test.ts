/**
 * IPv4 CIDRs as the whole config reads them (components/core/cidr.ts): parsing, containment,
 * overlap, size.
 */
import { expect } from "chai";
import {
    addressInCidr,
    cidrContains,
    cidrsOverlap,
    cidrSize,
    formatIpv4,
    ipv4Address,
    isIpv4Address,
    parseIpv4Cidr,
    strictlyInside,
} from "../../components/core/cidr";
import { configProblems } from "../helpers/stack-config";

describe("IPv4 CIDRs", () => {
    it("accepts canonical IPv4 CIDRs only", () => {
        expect(parseIpv4Cidr("10.244.0.0/16")).to.deep.equal({ base: 0x0af40000, prefix: 16 });
        expect(parseIpv4Cidr("0.0.0.0/0")).to.deep.equal({ base: 0, prefix: 0 });
        for (const bad of ["10.244.1.0/16", "10.0.0.256/32", "10.0.0.0/33", "10.0.0.0", "010.0.0.0/8", "fd00::/8", "10.0.0.0/8 "]) {
            expect(parseIpv4Cidr(bad), bad).to.equal(undefined);
        }
    });

    it("knows when one range lies strictly inside another", () => {
        expect(strictlyInside("10.1.0.0/16", "10.0.0.0/8")).to.equal(true);
        expect(strictlyInside("10.0.0.0/8", "10.0.0.0/8")).to.equal(false);
        expect(strictlyInside("11.0.0.0/16", "10.0.0.0/8")).to.equal(false);
        expect(strictlyInside("0.0.0.0/0", "0.0.0.0/0")).to.equal(false);
    });

    it("tells containment, overlap, size and membership", () => {
        expect(cidrContains("10.224.0.0/16", "10.224.16.0/24")).to.equal(true);
        expect(cidrContains("10.224.0.0/16", "10.224.0.0/16")).to.equal(true);
        expect(cidrContains("10.224.16.0/24", "10.224.0.0/16")).to.equal(false);
        expect(cidrsOverlap("10.224.0.0/20", "10.224.15.0/24")).to.equal(true);
        expect(cidrsOverlap("10.224.0.0/20", "10.224.16.0/24")).to.equal(false);
        expect(cidrsOverlap("0.0.0.0/0", "255.255.255.255/32")).to.equal(true);
        expect(cidrSize("10.224.16.0/29")).to.equal(8);
        expect(cidrSize("0.0.0.0/0")).to.equal(2 ** 32);
        expect(addressInCidr("10.0.0.10", "10.0.0.0/16")).to.equal(true);
        expect(addressInCidr("10.1.0.10", "10.0.0.0/16")).to.equal(false);
    });
    it("reads dotted IPv4 addresses, and writes them back", () => {
        for (const good of ["10.0.0.10", "0.0.0.0", "255.255.255.255"]) expect(isIpv4Address(good), good).to.equal(true);
        for (const bad of ["10.0.0.256", "10.0.0", "10.0.0.1/32", "010.0.0.1", "db.example.com", ""]) expect(isIpv4Address(bad), bad).to.equal(false);
        expect(formatIpv4(ipv4Address("10.224.16.4")!)).to.equal("10.224.16.4");
        expect(formatIpv4(ipv4Address("255.255.255.255")!)).to.equal("255.255.255.255");
    });

    it("treats a non-canonical CIDR as no range at all", () => {
        expect(cidrsOverlap("10.224.1.0/16", "10.224.0.0/16")).to.equal(false);
        expect(cidrSize("10.224.1.0/16")).to.equal(0);
    });

    it("is what every CIDR field of the config accepts: an address the API server would refuse, or host bits set, is named", () => {
        for (const bad of ["999.0.0.0/8", "10.20.0.5/24", "10.20.0.0/33"]) {
            expect(configProblems({ agentRuntime: { database: { cidr: bad } } }), bad).to.deep.equal([
                `agent-platform:agentRuntime.database.cidr: '${bad}' is not allowed (allowed: an IPv4 CIDR with the host bits zero, e.g. 10.244.0.0/16)`,
            ]);
        }
    });
});
