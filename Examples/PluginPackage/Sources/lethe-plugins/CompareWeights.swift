import ArgumentParser
import LetheStorage
import LetheTensor

/// `lethe-plugins compare-weights A.h5 B.h5`: whether two checkpoints hold the same model,
/// bit for bit (the same parameter names, shapes and bytes). The files themselves differ
/// even then: a checkpoint also stores its run's recipe, output folder included.
struct CompareWeights: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare-weights",
        abstract: "Compare the parameters of two checkpoints bit for bit; exit 1 when they differ.")

    @Argument(help: "A checkpoint (.h5).")
    var first: String
    @Argument(help: "Another checkpoint (.h5).")
    var second: String

    func run() throws {
        let a = try ModelFile.load(first).parameters
        let b = try ModelFile.load(second).parameters
        guard a.names == b.names, a.tensors.map(\.shape) == b.tensors.map(\.shape), a.flat.dtype == b.flat.dtype else {
            print("differ: the two models have different parameter names, shapes or types")
            throw ExitCode(1)
        }
        let identical = a.flat.withUnsafeRawBytes { p in b.flat.withUnsafeRawBytes { q in p.elementsEqual(q) } }
        if identical {
            print("identical: \(a.scalarCount) parameters in \(a.names.count) tensors, bit for bit")
            return
        }
        let (x, y) = (a.flat.converted(to: .float64).doubles, b.flat.converted(to: .float64).doubles)
        let differing = zip(x, y).filter { $0.bitPattern != $1.bitPattern }
        let largest = differing.map { abs($0 - $1) }.max() ?? 0
        print("differ: \(differing.count) of \(x.count) parameters, largest |difference| \(largest)")
        throw ExitCode(1)
    }
}
