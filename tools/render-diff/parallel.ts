/** A bounded pool for render:diff's render processes. */

/** Runs `jobs` at most `limit` at a time; results in the order of `jobs`. */
export async function inParallel<T>(jobs: ReadonlyArray<() => Promise<T>>, limit: number): Promise<T[]> {
    const results: T[] = new Array(jobs.length);
    let next = 0;
    const worker = async (): Promise<void> => {
        while (next < jobs.length) {
            const index = next++;
            results[index] = await jobs[index]!();
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
    return results;
}
