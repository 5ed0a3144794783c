import LetheCommands
import Testing

@Suite("Command-line values are checked")
struct CommandValidationTests {
    /// Issue 15, "silently wrong" 8: `eval mia --retrained-auc 5` and `nan` were accepted.
    @Test(arguments: ["5", "nan", "1", "-0.1"])
    func aRetrainedAUCOutsideItsRangeIsRefused(value: String) {
        #expect(throws: (any Error).self) { try Lethe.parseAsRoot(["eval", "mia", "--scores", "s.json", "--retrained-auc", value]) }
    }

    @Test func aRetrainedAUCInRangeParses() throws {
        _ = try Lethe.parseAsRoot(["eval", "mia", "--scores", "s.json", "--retrained-auc", "0.5"])
    }
}
