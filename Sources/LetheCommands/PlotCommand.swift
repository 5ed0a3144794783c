import ArgumentParser
import Foundation
import LetheTensor
import LetheEvaluation
import LetheReports

/// `lethe plot`: SVG plots of run folders (`LetheReports.RunPlots`).
public struct PlotCommand: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "plot", abstract: "SVG plots of run folders: training losses, membership ROC curves.",
        subcommands: [Losses.self, ROC.self])

    struct Losses: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Training-loss curves of runs from their events.jsonl (unlearn: forget and retain losses apart).")

        @Argument(help: "Run folders holding events.jsonl, or study folders (their shared prefix's and each run's).")
        var runs: [String]
        @Option(help: "The SVG file to write.")
        var out: String
        @Option(help: "Only this stage (pretrain, finetune or unlearn); default: every stage one after the other.")
        var stage: String?
        @Flag(help: "Logarithmic loss axis.")
        var logY = false

        func validate() throws {
            if runs.isEmpty { throw ValidationError("give at least one run folder") }
        }

        func run() throws {
            try write(try RunPlots.losses(runs: runs, stage: stage, logY: logY), to: out)
        }
    }

    struct ROC: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "roc",
            abstract: "Membership-inference ROC curves of the evaluations lethe table reads (of evaluation, run or study folders).")

        @Argument(help: "Evaluation folders (results.json), run folders or study folders (their evaluations, in order).")
        var paths: [String]
        @Option(help: "The SVG file to write.")
        var out: String
        @Option(help: "The attack: \(MembershipAttacks.builtIn.names.joined(separator: ", ")).")
        var attack = "loss"

        func validate() throws {
            if paths.isEmpty { throw ValidationError("give at least one run or evaluation folder") }
        }

        func run() throws {
            try write(try RunPlots.roc(paths: paths, attack: attack), to: out)
        }
    }
}

/// Writes the plot's SVG to `path` and prints `wrote PATH` (the notebook runner turns that
/// line into an image link).
private func write(_ plot: LinePlot, to path: String) throws {
    do {
        try AtomicFile.write(plot.svg(), to: path)
    } catch let error as ReportError {
        throw error
    } catch {
        throw CommandError("\(path): cannot write the plot (\(error.localizedDescription))")
    }
    print("wrote \(path)")
}
