/**
 * The pool render:diff runs its render processes in: results in the jobs' order, never more than
 * the limit at once, every job run exactly once.
 */
import { expect } from "chai";
import { setTimeout as sleep } from "node:timers/promises";
import { inParallel } from "../../../tools/render-diff/parallel";

describe("render:diff's pool of renders", () => {
    it("returns the results in the order of the jobs, whichever finishes first", async () => {
        const delays = [30, 5, 20, 1, 10];
        const results = await inParallel(
            delays.map((ms, i) => async () => {
                await sleep(ms);
                return i;
            }),
            2,
        );
        expect(results).to.deep.equal([0, 1, 2, 3, 4]);
    });

    it("runs at most `limit` jobs at once, and each job once", async () => {
        let running = 0;
        let most = 0;
        const started: number[] = [];
        await inParallel(
            Array.from({ length: 7 }, (_, i) => async () => {
                started.push(i);
                most = Math.max(most, ++running);
                await sleep(5);
                running--;
            }),
            3,
        );
        expect(most).to.equal(3);
        expect([...started].sort((a, b) => a - b)).to.deep.equal([0, 1, 2, 3, 4, 5, 6]);
    });

    it("runs nothing for no jobs", async () => {
        expect(await inParallel([], 4)).to.deep.equal([]);
    });
});
