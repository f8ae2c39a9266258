/** What the render writes, read by a real YAML 1.1 reader (PyYAML, as kubectl's Python clients and many CI scripts do). */
import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { toPortableYaml } from "../../../tools/render/yaml";
import { readAsYaml11 } from "../../helpers/pyyaml";
import { ingress } from "./yaml-fixtures";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "render-output-pyyaml-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("rendered YAML under a YAML 1.1 reader", () => {
    it("reads the same with PyYAML, a real YAML 1.1 reader", function () {
        const file = path.join(tmp, "ingress.yaml");
        fs.writeFileSync(file, toPortableYaml(ingress));
        expect(readAsYaml11(this, [file])[file]).to.deep.equal(ingress);
    });
});
