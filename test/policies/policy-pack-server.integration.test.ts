/**
 * The real pack, as the Pulumi engine meets it: the SDK's own policy-pack runner
 * (run-policy-pack, which type-checks policies/ with its tsconfig.json through ts-node)
 * loads policies/index.ts in its own process, never imported here since it starts a
 * gRPC server, and this test talks to it over the analyzer protocol with the SDK's
 * own client and messages.
 */
import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import {
    AnalyzeRequest,
    AnalyzerResourceOptions,
    ConfigureAnalyzerRequest,
    EnforcementLevel,
    PolicyConfig,
    type AnalyzeResponse,
    type AnalyzerInfo,
} from "@pulumi/pulumi/proto/analyzer_pb";
import { policyCatalog } from "../../policies/catalog";
import { EXEMPTIONS_POLICY } from "../../policies/exemptions";
import { workloadWith } from "./support/fixtures";

const packDirectory = join(__dirname, "../../policies");

function startPack(): Promise<{ child: ChildProcess; port: number }> {
    // Arguments as the CLI passes them: an engine address (unused by policy packs) and the pack directory.
    const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack");
    const child = spawn(process.execPath, [runner, "127.0.0.1:0", "."], { cwd: packDirectory, stdio: ["ignore", "pipe", "pipe"] });
    return new Promise((resolve, reject) => {
        let stdout = "";
        let stderr = "";
        child.stdout!.on("data", (chunk: Buffer) => {
            stdout += chunk.toString();
            const match = /^(\d+)\n/.exec(stdout);
            if (match) {
                resolve({ child, port: Number(match[1]) });
            }
        });
        child.stderr!.on("data", (chunk: Buffer) => {
            stderr += chunk.toString();
        });
        child.on("exit", (code) => reject(new Error(`policy pack exited with ${code}: ${stderr}`)));
    });
}

/** Adapts a callback-style unary call to a promise. */
function unary<Response>(invoke: (callback: (error: grpc.ServiceError | null, response: Response) => void) => unknown): Promise<Response> {
    return new Promise((resolve, reject) => {
        invoke((error, response) => (error ? reject(error) : resolve(response)));
    });
}

/** The pack's policies as it announces them: the exemption carrier (advisory), then the catalog. */
const announced: Array<[string, EnforcementLevel]> = [
    [EXEMPTIONS_POLICY, EnforcementLevel.ADVISORY],
    ...policyCatalog.map((policy): [string, EnforcementLevel] => [
        policy.name,
        policy.defaultLevel === "mandatory" ? EnforcementLevel.MANDATORY : EnforcementLevel.ADVISORY,
    ]),
];

function analyzeRequest(type: string, props: object): AnalyzeRequest {
    return new AnalyzeRequest()
        .setType(type)
        .setName("api")
        .setUrn(`urn:pulumi:dev::agent-platform::${type}::api`)
        .setOptions(new AnalyzerResourceOptions())
        .setProperties(Struct.fromJavaScript(props as Record<string, never>));
}

function diagnosticsOf(response: AnalyzeResponse): Array<[string, EnforcementLevel]> {
    return response.getDiagnosticsList().map((diagnostic) => [diagnostic.getPolicyname(), diagnostic.getEnforcementlevel()]);
}

/** Breaks one mandatory and one advisory policy. */
const deployment = workloadWith("Deployment", (spec) => {
    spec.containers[0].securityContext.privileged = true;
    spec.containers[0].image = "nginx:latest";
});

describe("the policy pack process over the analyzer protocol", function () {
    this.timeout(60_000);
    let child: ChildProcess | undefined;
    let client: AnalyzerClient;

    const analyze = (request: AnalyzeRequest) => unary<AnalyzeResponse>((done) => client.analyze(request, done));

    before(async () => {
        const started = await startPack();
        child = started.child;
        client = new AnalyzerClient(`127.0.0.1:${started.port}`, grpc.credentials.createInsecure());
    });

    after(() => {
        client?.close();
        child?.kill();
    });

    it("announces the agent-platform pack, its version and every policy at its default level", async () => {
        const info = await unary<AnalyzerInfo>((done) => client.getAnalyzerInfo(new Empty(), done));
        expect(info.getName()).to.equal("agent-platform");
        expect(info.getVersion()).to.equal("0.1.0");
        expect(info.getPoliciesList().map((policy) => [policy.getName(), policy.getEnforcementlevel()])).to.deep.equal(announced);
    });

    it("reports a Deployment's violations at their default levels, with the offline checker's message", async () => {
        const response = await analyze(analyzeRequest("kubernetes:apps/v1:Deployment", deployment));
        expect(diagnosticsOf(response)).to.deep.equal([
            ["no-privileged-containers", EnforcementLevel.MANDATORY],
            ["pinned-image", EnforcementLevel.ADVISORY],
        ]);
        expect(response.getDiagnosticsList()[0]!.getMessage()).to.contain(
            'Deployment "team-a/demo", container "app": spec.template.spec.containers[0].securityContext.privileged is true',
        );
    });

    it("marks every policy not applicable to a Service", async () => {
        const response = await analyze(analyzeRequest("kubernetes:core/v1:Service", { apiVersion: "v1", kind: "Service", metadata: { name: "api" } }));
        expect(response.getDiagnosticsList()).to.deep.equal([]);
        expect(response.getNotApplicableList().map((entry) => entry.getPolicyName())).to.deep.equal(announced.map(([name]) => name));
    });

    it("honours the policy-pack config the engine sends", async () => {
        const level = (enforcementLevel: EnforcementLevel) => new PolicyConfig().setEnforcementlevel(enforcementLevel).setProperties(new Struct());
        const request = new ConfigureAnalyzerRequest();
        request.getPolicyconfigMap().set("pinned-image", level(EnforcementLevel.MANDATORY));
        request.getPolicyconfigMap().set("no-privileged-containers", level(EnforcementLevel.DISABLED));
        await unary<Empty>((done) => client.configure(request, done));
        const response = await analyze(analyzeRequest("kubernetes:apps/v1:Deployment", deployment));
        expect(diagnosticsOf(response)).to.deep.equal([["pinned-image", EnforcementLevel.MANDATORY]]);
    });

    describe("namespace exemptions, configured as pulumi preview --policy-pack-config sends them", () => {
        /** What the engine sends for {"all": "mandatory", "namespace-exemptions": {"exemptions": [...]}}: every policy mandatory, the carrier with its settings. */
        function configureAllMandatory(exemptions: unknown[]): Promise<Empty> {
            const request = new ConfigureAnalyzerRequest();
            for (const [name] of announced) {
                const properties = name === EXEMPTIONS_POLICY ? Struct.fromJavaScript({ exemptions } as unknown as Record<string, never>) : new Struct();
                request.getPolicyconfigMap().set(name, new PolicyConfig().setEnforcementlevel(EnforcementLevel.MANDATORY).setProperties(properties));
            }
            request.getPolicyconfigMap().set("all", new PolicyConfig().setEnforcementlevel(EnforcementLevel.MANDATORY).setProperties(new Struct()));
            return unary<Empty>((done) => client.configure(request, done));
        }

        const inNamespace = (namespace: string) => ({ ...deployment, metadata: { ...deployment.metadata, namespace } });
        const reason = "chart-owned hygiene (test)";

        it("skips an exempted namespace, recording each policy with findings as not applicable with the reason", async () => {
            await configureAllMandatory([{ namespace: "cert-manager", reason }]);
            const response = await analyze(analyzeRequest("kubernetes:apps/v1:Deployment", inNamespace("cert-manager")));
            expect(diagnosticsOf(response)).to.deep.equal([]);
            const reasons = new Map(response.getNotApplicableList().map((entry) => [entry.getPolicyName(), entry.getReason()]));
            expect(reasons.get("no-privileged-containers")).to.equal(`exempt in namespace "cert-manager" (1 finding not reported): ${reason}`);
            expect(reasons.get("pinned-image")).to.contain(reason);
        });

        it("still fails the same Deployment in another namespace", async () => {
            await configureAllMandatory([{ namespace: "cert-manager", reason }]);
            const response = await analyze(analyzeRequest("kubernetes:apps/v1:Deployment", inNamespace("team-a")));
            expect(diagnosticsOf(response)).to.deep.equal([
                ["no-privileged-containers", EnforcementLevel.MANDATORY],
                ["pinned-image", EnforcementLevel.MANDATORY],
            ]);
        });

        it("reports the policies an exemption does not name", async () => {
            await configureAllMandatory([{ namespace: "cert-manager", policies: ["pinned-image"], reason }]);
            const response = await analyze(analyzeRequest("kubernetes:apps/v1:Deployment", inNamespace("cert-manager")));
            expect(diagnosticsOf(response)).to.deep.equal([["no-privileged-containers", EnforcementLevel.MANDATORY]]);
        });

        it("fails the analysis on an exemption without a reason, naming the entry", async () => {
            await configureAllMandatory([{ namespace: "cert-manager", reason: " " }]);
            let failure: grpc.ServiceError | undefined;
            try {
                await analyze(analyzeRequest("kubernetes:apps/v1:Deployment", inNamespace("team-a")));
            } catch (error) {
                failure = error as grpc.ServiceError;
            }
            expect(failure?.details).to.contain('exemptions[0] (namespace "cert-manager"): "reason" is required');
        });
    });
});
