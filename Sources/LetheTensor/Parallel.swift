import CBLAS
import Dispatch
import Foundation

/// Lethe's own threads. Element-wise, reduction, softmax, layer-norm and attention kernels
/// split their rows over `Parallel.threadCount` workers (default: all cores; override with the
/// environment variable `LETHE_NUM_THREADS`).
///
/// Matrix products run on these workers too: a large product is split by rows or columns of
/// C, each part one single-threaded library call (see `MatrixLibrary`): OpenBLAS is pinned
/// to one thread (`BLASThreads`) and oneDNN to an OpenMP team of one on every calling thread
/// (`OneDNN`), so no second thread pool ever runs beside Lethe's and nothing oversubscribes
/// the machine.
public enum Parallel {
    /// Worker count used by every parallel kernel: `defaultThreadCount`, or less inside
    /// `withThreadLimit`.
    public static var threadCount: Int {
        if let limit = threadLimit { return max(1, min(limit, defaultThreadCount)) }
        return defaultThreadCount
    }

    /// A scoped cap on the worker count, e.g. 1 to measure what the second core adds.
    @TaskLocal public static var threadLimit: Int?

    /// Runs `body` with at most `limit` workers per kernel.
    public static func withThreadLimit<R>(_ limit: Int, _ body: () throws -> R) rethrows -> R {
        try $threadLimit.withValue(limit, operation: body)
    }

    /// All cores, or the environment variable `LETHE_NUM_THREADS` when set.
    public static let defaultThreadCount: Int = {
        if let text = ProcessInfo.processInfo.environment["LETHE_NUM_THREADS"],
            let value = Int(text), value > 0
        {
            return value
        }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }()

    /// Calls `body` on disjoint ranges that cover `0..<count`, in parallel when there is enough
    /// work: `count * costPerItem` is compared with a threshold of about 32K scalar operations.
    /// `body` must only write to locations owned by its range.
    @inline(__always)
    public static func forEachRange(
        _ count: Int, costPerItem: Int = 1, _ body: (Range<Int>) -> Void
    ) {
        let workers = min(threadCount, count)
        if workers <= 1 || count * costPerItem < 32_768 {
            if count > 0 { body(0..<count) }
            return
        }
        let chunk = (count + workers - 1) / workers
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let start = worker * chunk
            let end = min(count, start + chunk)
            if start < end { body(start..<end) }
        }
    }
}

extension Parallel {
    /// Like `forEachRange`, but also passes the worker's index in `0..<workers`, where
    /// `workers` is returned first by `plan`: kernels that accumulate (layer-norm weight
    /// gradients) give each worker its own partial buffer and add them afterwards.
    public static func plan(_ count: Int, costPerItem: Int = 1) -> Int {
        count * costPerItem < 32_768 ? 1 : max(1, min(threadCount, count))
    }

    public static func forEachWorker(
        _ count: Int, workers: Int, _ body: (_ worker: Int, Range<Int>) -> Void
    ) {
        if workers <= 1 {
            if count > 0 { body(0, 0..<count) }
            return
        }
        let chunk = (count + workers - 1) / workers
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let start = worker * chunk
            let end = min(count, start + chunk)
            if start < end { body(worker, start..<end) }
        }
    }
}

/// Keeps OpenBLAS single-threaded; Lethe parallelises around it (see `Parallel`).
enum BLASThreads {
    private static let configured: Bool = {
        openblas_set_num_threads(1)
        return true
    }()

    @inline(__always) static func configure() { _ = configured }
}
