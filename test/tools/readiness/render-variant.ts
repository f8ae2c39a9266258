/** Renders the real program in this process for one of the readiness fixtures (stacks/*.yaml). */
import * as path from "node:path";
import type { StackRender } from "../../../tools/render/render-stack";
import { renderedStack } from "../../helpers/render";

export function renderVariant(stackFile: string, stack = "readiness-test"): Promise<StackRender> {
    return renderedStack(stack, path.resolve(__dirname, "stacks", stackFile));
}
