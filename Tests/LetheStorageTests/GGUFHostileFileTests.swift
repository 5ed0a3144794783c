import Foundation
import LetheStorage
import LetheTensor
import Testing

/// Hostile and truncated GGUF files: each is an error naming the file and the field, never a
/// crash or an allocation the file's size does not bound.
@Suite("Hostile files: GGUF")
struct GGUFHostileFileTests {
    /// Reads `builder`'s bytes (header, metadata accessors, every tensor); the error, or `nil`.
    static func read(_ builder: GGUFBuilder) throws -> GGUFError? {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString).gguf").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try builder.write(to: path)
        do {
            try readEverything(path)
            return nil
        } catch let error as GGUFError {
            return error
        }
    }

    /// Everything a model loader does with a file.
    static func readEverything(_ path: String) throws {
        let file = try GGUFFile.open(path: path)
        for info in file.tensorInfos { _ = try file.tensor(info.name) }
        _ = try file.architecture()
        _ = try? file.modelHyperparameters()
        _ = try? file.tokenizerMetadata()
    }

    private func expectError(_ builder: GGUFBuilder, mentioning parts: String..., sourceLocation: SourceLocation = #_sourceLocation) throws {
        let error = try Self.read(builder)
        let text = error.map { "\($0)" } ?? "no error"
        #expect(error != nil && parts.allSatisfy(text.contains), "\(text)", sourceLocation: sourceLocation)
        #expect(text.contains("hostile-") || error == nil, "the message names the file", sourceLocation: sourceLocation)
    }

    @Test func theValidBaseFileReads() throws {
        #expect(try Self.read(GGUFBuilder.small()) == nil)
    }

    @Test func everyTruncationIsAnError() throws {
        let valid = GGUFBuilder.small()
        for length in 0..<valid.bytes.count {
            var cut = valid
            cut.bytes = Array(valid.bytes.prefix(length))
            #expect(try Self.read(cut) != nil, "truncated to \(length) bytes")
        }
    }

    @Test func badMagicAndVersion() throws {
        var b = GGUFBuilder()
        b.header(tensors: 0, keys: 0, magic: "GGML")
        try expectError(b, mentioning: "header", "magic")
        b = GGUFBuilder()
        b.header(version: 1, tensors: 0, keys: 0)
        try expectError(b, mentioning: "header version", "version 1")
        b = GGUFBuilder()
        b.header(version: UInt32(3).byteSwapped, tensors: 0, keys: 0)
        try expectError(b, mentioning: "header version", "big-endian")
    }

    /// Counts that would allocate far more than the file: tensor and key counts, string and
    /// array lengths of 2^60 and 2^64 - 1.
    @Test func hugeCountsAreCheckedBeforeAllocating() throws {
        for huge: UInt64 in [1 << 60, .max] {
            var b = GGUFBuilder()
            b.header(tensors: huge, keys: 0)
            try expectError(b, mentioning: "tensor_count")
            b = GGUFBuilder()
            b.header(tensors: 0, keys: huge)
            try expectError(b, mentioning: "metadata_kv_count")
            b = GGUFBuilder()
            b.header(tensors: 0, keys: 1)
            b.string("k", declaredLength: huge)
            b.bytes += [UInt8](repeating: 0, count: 64)  // so that the key count itself fits
            try expectError(b, mentioning: "metadata key 0")
            b = GGUFBuilder()
            b.header(tensors: 0, keys: 1)
            b.string("tokenizer.ggml.tokens")
            b.u32(9)  // array
            b.u32(8)  // of strings
            b.u64(huge)
            b.bytes += [UInt8](repeating: 0, count: 64)
            try expectError(b, mentioning: "metadata tokenizer.ggml.tokens", "count")
        }
    }

    @Test func badValuesInMetadata() throws {
        func file(_ body: (inout GGUFBuilder) -> Void) -> GGUFBuilder {
            var b = GGUFBuilder()
            b.header(tensors: 0, keys: 1)
            body(&b)
            b.bytes += [UInt8](repeating: 0, count: 64)  // room for the counts: the value itself is bad
            return b
        }
        try expectError(file { $0.string("k"); $0.u32(13); $0.u8(0) }, mentioning: "metadata k", "unknown value type 13")
        try expectError(file { $0.string("k"); $0.u32(7); $0.u8(2) }, mentioning: "metadata k", "bool")
        try expectError(file { $0.string("k"); $0.u32(9); $0.u32(9); $0.u64(1) }, mentioning: "metadata k", "array of arrays")
        try expectError(file { $0.string("k"); $0.u32(8); $0.u64(2); $0.bytes += [0xC3, 0x28] }, mentioning: "metadata k", "UTF-8")
        try expectError(file { $0.string("general.alignment"); $0.u32(4); $0.u32(48) }, mentioning: "general.alignment", "power of two")
        try expectError(file { $0.string("general.alignment"); $0.u32(5); $0.u32(32) }, mentioning: "general.alignment", "int32")
        var twice = GGUFBuilder()
        twice.header(tensors: 0, keys: 2)
        for _ in 0..<2 { twice.string("k"); twice.u32(0); twice.u8(1) }
        try expectError(twice, mentioning: "metadata k", "twice")
    }

    @Test func badTensorInfos() throws {
        func file(_ info: (inout GGUFBuilder) -> Void, data: Int = 32) -> GGUFBuilder {
            var b = GGUFBuilder()
            b.header(tensors: 1, keys: 0)
            info(&b)
            b.pad()
            b.bytes += [UInt8](repeating: 0, count: data)
            return b
        }
        try expectError(file { $0.tensorInfo("w", dims: [], type: 0, offset: 0) }, mentioning: "tensor w", "0 dimensions")
        try expectError(file { $0.tensorInfo("w", dims: [1, 1, 1, 1, 1], type: 0, offset: 0) }, mentioning: "tensor w", "5 dimensions")
        try expectError(file { $0.tensorInfo("w", dims: [1 << 62, 1 << 62], type: 0, offset: 0) }, mentioning: "tensor w", "too many")
        try expectError(file { $0.tensorInfo("w", dims: [.max], type: 0, offset: 0) }, mentioning: "tensor w", "too large")
        try expectError(file { $0.tensorInfo("w", dims: [1 << 61], type: 0, offset: 0) }, mentioning: "tensor w", "too many bytes")
        try expectError(file { $0.tensorInfo("w", dims: [9], type: 0, offset: 0) }, mentioning: "tensor w", "ends past")
        try expectError(file { $0.tensorInfo("w", dims: [4], type: 0, offset: 16) }, mentioning: "tensor w", "alignment")
        try expectError(file { $0.tensorInfo("w", dims: [4], type: 0, offset: 1 << 62) }, mentioning: "tensor w", "ends past")
        try expectError(file { $0.tensorInfo("w", dims: [4], type: 0, offset: .max) }, mentioning: "tensor w", "offset")
        try expectError(file { $0.tensorInfo("w", dims: [48], type: 8, offset: 0) }, mentioning: "tensor w", "whole Q8_0 blocks")
        try expectError(file { $0.tensorInfo("w", dims: [256], type: 14, offset: 0) }, mentioning: "tensor w", "ends past")
        try expectError(file { $0.tensorInfo("w", dims: [2], type: 0, offset: 0, declaredRank: 1 << 31) }, mentioning: "tensor w", "dimensions")
        var twice = GGUFBuilder()
        twice.header(tensors: 2, keys: 0)
        twice.tensorInfo("w", dims: [1], type: 0, offset: 0)
        twice.tensorInfo("w", dims: [1], type: 0, offset: 0)
        twice.pad()
        twice.bytes += [UInt8](repeating: 0, count: 32)
        try expectError(twice, mentioning: "tensor w", "twice")
    }

    /// Bad model metadata: key-value heads that do not divide the heads, a special token id
    /// past the vocabulary, per-token arrays of the wrong length.
    @Test func badModelMetadataNamesTheKey() throws {
        func file(_ keys: [(String, UInt32, (inout GGUFBuilder) -> Void)]) throws -> GGUFFile {
            var b = GGUFBuilder()
            b.header(tensors: 0, keys: UInt64(keys.count))
            for (key, type, value) in keys {
                b.string(key)
                b.u32(type)
                value(&b)
            }
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("meta-\(UUID().uuidString).gguf").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            try b.write(to: path)
            return try GGUFFile.open(path: path)
        }
        let heads = try file([
            ("general.architecture", 8, { $0.string("llama") }), ("llama.attention.head_count", 4, { $0.u32(9) }),
            ("llama.attention.head_count_kv", 4, { $0.u32(4) }), ("llama.embedding_length", 4, { $0.u32(576) }),
        ])
        #expect(throws: GGUFError.self) { try heads.modelHyperparameters() }
        #expect((try? heads.modelHyperparameters()) == nil)
        do {
            _ = try heads.modelHyperparameters()
        } catch {
            #expect("\(error)".contains("llama.attention.head_count_kv"))
        }
        let tokens: (inout GGUFBuilder) -> Void = { b in
            b.u32(8)
            b.u64(2)
            b.string("a")
            b.string("b")
        }
        let badID = try file([
            ("tokenizer.ggml.model", 8, { $0.string("gpt2") }), ("tokenizer.ggml.tokens", 9, tokens),
            ("tokenizer.ggml.eos_token_id", 4, { $0.u32(2) }),
        ])
        #expect(throws: GGUFError.self) { try badID.tokenizerMetadata() }
        let badTypes = try file([
            ("tokenizer.ggml.model", 8, { $0.string("gpt2") }), ("tokenizer.ggml.tokens", 9, tokens),
            ("tokenizer.ggml.token_type", 9, { $0.u32(5); $0.u64(1); $0.u32(1) }),
        ])
        do {
            _ = try badTypes.tokenizerMetadata()
            Issue.record("one token type for two tokens must throw")
        } catch {
            #expect("\(error)".contains("tokenizer.ggml.token_type") && "\(error)".contains("1 values for 2 tokens"))
        }
    }
}
