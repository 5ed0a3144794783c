import Foundation
import LetheStorage
import LetheTensor
import LetheTestSupport
import Testing

/// Seeded mutation fuzzing of the GGUF reader (scripts/fuzz.sh runs it with many inputs): each
/// input must give a value or an error, never a crash, a hang or an unbounded allocation.
@Suite("Fuzz: GGUF reader")
struct GGUFFuzzTests {
    static let iterations = Fuzz.iterations(default: 300)

    /// Mutations of the fixture: every value type, every tensor type, alignment 64.
    @Test func ggufReaderNeverCrashes() throws {
        let path = Fuzz.temporaryPath("model.gguf")
        defer { Fuzz.removeTemporary(path) }
        let valid = [UInt8](try Data(contentsOf: URL(fileURLWithPath: GGUFTests.tiny)))
        let tally = try Fuzz.run("gguf", valid: valid, seed: 21, iterations: Self.iterations, path: path) {
            try GGUFHostileFileTests.readEverything($0)
        }
        #expect(tally.inputs == Self.iterations && tally.errors > 0 && tally.values > 0)
    }

    /// Headers built from hostile parts: huge counts and lengths, unknown value and tensor
    /// types, dims whose product overflows, offsets past the end or misaligned.
    @Test func ggufHostileHeadersNeverCrash() throws {
        let path = Fuzz.temporaryPath("hostile.gguf")
        defer { Fuzz.removeTemporary(path) }
        var rng = RandomGenerator(seed: 22)
        func pick<T>(_ choices: [T]) -> T { choices[Int(rng.next() % UInt64(choices.count))] }
        let counts: [UInt64] = [0, 1, 2, 3, 255, 1 << 32, 1 << 60, .max]
        var tally = Fuzz.Tally(target: "gguf-headers")
        for _ in 0..<Self.iterations {
            var b = GGUFBuilder()
            b.header(version: pick([3, 3, 2, 1, 4]), tensors: pick([1, 1, 2, 0] + counts), keys: pick([1, 1, 0] + counts))
            b.string(pick(["general.alignment", "tokenizer.ggml.tokens", "k", ""]), declaredLength: pick([nil, nil, 1 << 40, .max]))
            let valueType: UInt32 = pick([4, 8, 9, 9, 7, 12, 13, .max])
            b.u32(valueType)
            switch valueType {
            case 9:
                b.u32(pick([8, 5, 9, 0, 99]))
                b.u64(pick(counts))
                b.string("a")
            case 8: b.string("x", declaredLength: pick([nil, 2, .max]))
            default: b.u32(pick([32, 48, 0, 1, .max]))
            }
            let dims: [UInt64] = (0..<pick([1, 2, 4, 5, 0])).map { _ in pick([1, 4, 32, 256, 0, 1 << 31, 1 << 62, .max]) }
            b.tensorInfo("w", dims: dims, type: pick([0, 1, 2, 3, 8, 12, 14, 30, 13, 99]), offset: pick([0, 0, 32, 7, 1 << 62, .max]))
            b.pad(to: pick([32, 64, 1]))
            b.bytes += (0..<Int(rng.next() % 600)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            try b.write(to: path)
            tally.record { try GGUFHostileFileTests.readEverything(path) }
        }
        print(tally)
        #expect(tally.inputs == Self.iterations && tally.errors > 0)
    }
}
