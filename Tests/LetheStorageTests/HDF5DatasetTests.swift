import LetheStorage
import LetheTensor
import Testing

@Test func float32RoundTripKeepsShapeAndBits() throws {
    try withTemporaryFile("f32") { path in
        let cube = try Tensor((0..<24).map { Float($0) * 0.25 - 3 }, shape: [2, 3, 4])
        let special = try Tensor([Float]([-0.0, .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude]),
                                 shape: [5])
        let scalar = try Tensor([Float(1.5)], shape: [])
        let file = try HDF5File.create(at: path)
        try file.write(cube, to: "/model/cube")
        try file.write(special, to: "special")
        try file.write(scalar, to: "/scalar")
        file.close()

        let reopened = try HDF5File.open(at: path)
        defer { reopened.close() }
        let cubeBack = try reopened.readTensor("/model/cube")
        #expect(cubeBack.shape == [2, 3, 4])
        #expect(cubeBack.dtype == .float32)
        #expect(bits(cubeBack.floats) == bits(cube.floats))
        #expect(bits(try reopened.readTensor("/special").floats) == bits(special.floats))
        let scalarBack = try reopened.readTensor("scalar")
        #expect(scalarBack.shape == [])
        #expect(scalarBack.floats == [1.5])
        #expect(try reopened.shape(of: "/scalar") == [])
        #expect(try reopened.layout(of: "/model/cube").type == "float32")
    }
}

@Test func float64RoundTripKeepsShapeAndBits() throws {
    try withTemporaryFile("f64") { path in
        let values = (0..<60).map { Double($0) / 7 - 1e-300 }
        let tensor = try Tensor(values, shape: [3, 4, 5])
        let scalar = try Tensor([Double.pi], shape: [])
        let matrix = try Tensor([Double]([1, -2, 3e200, -0.0, 5, 6]), shape: [2, 3])
        let file = try HDF5File.create(at: path)
        try file.write(tensor, to: "/grad/check")
        try file.write(scalar, to: "/pi")
        try file.write(matrix, to: "/m", compressed: true)
        file.close()

        let reopened = try HDF5File.open(at: path)
        let back = try reopened.readTensor("/grad/check")
        #expect(back.dtype == .float64)
        #expect(back.shape == [3, 4, 5])
        #expect(bits(back.doubles) == bits(values))
        #expect(try reopened.readTensor("/pi").doubles == [Double.pi])
        #expect(try reopened.readTensor("/pi").shape == [])
        #expect(bits(try reopened.readTensor("/m").doubles) == bits(matrix.doubles))
        #expect(try reopened.layout(of: "/m").type == "float64")
        reopened.close()
    }
}

@Test func compressedTensorIsChunkedShuffledAndDeflated() throws {
    try withTemporaryFile("compressed") { path in
        let big = try Tensor((0..<(600 * 700)).map { Float($0 % 97) }, shape: [600, 700])
        let file = try HDF5File.create(at: path)
        try file.write(big, to: "/w", compressed: true)
        try file.write(big, to: "/plain")
        let layout = try file.layout(of: "/w")
        #expect(layout.filters == ["shuffle", "deflate"])
        #expect(layout.shape == [600, 700])
        #expect(layout.maxShape == [600, 700])
        let chunk = try #require(layout.chunk)
        #expect(chunk[1] == 700 && chunk[0] < 600 && chunk[0] * 700 * 4 <= 1 << 20)
        #expect(try file.layout(of: "/plain").chunk == nil)
        #expect(try file.layout(of: "/plain").filters.isEmpty)
        #expect(try file.readTensor("/w").floats == big.floats)
        file.close()
    }
}

@Test func emptyTensorsRoundTrip() throws {
    try withTemporaryFile("empty") { path in
        let file = try HDF5File.create(at: path)
        try file.write(Tensor(zeros: [0, 3]), to: "/empty", compressed: true)
        let back = try file.readTensor("/empty")
        #expect(back.shape == [0, 3])
        #expect(back.count == 0)
        file.close()
    }
}

@Test func writingAgainReplacesADataset() throws {
    try withTemporaryFile("replace") { path in
        let file = try HDF5File.create(at: path)
        try file.write(try Tensor([Float](repeating: 1, count: 6), shape: [2, 3]), to: "/x")
        try file.write(try Tensor([Double]([2, 3]), shape: [2]), to: "/x")
        let back = try file.readTensor("/x")
        #expect(back.shape == [2] && back.dtype == .float64 && back.doubles == [2, 3])
        #expect(try file.datasetNames() == ["/x"])
        file.close()
    }
}

@Test func integerDatasetsRoundTrip() throws {
    try withTemporaryFile("ints") { path in
        let file = try HDF5File.create(at: path)
        try file.write([Int64.min, -1, 0, 42, Int64.max, 7], shape: [2, 3], to: "/state/steps")
        try file.write([UInt64.max, 0, 0x9E37_79B9_7F4A_7C15, 1], shape: [4], to: "/state/rng")
        try file.write([Int64(1234)], shape: [], to: "/state/step")
        #expect(throws: HDF5Error.self) { try file.write([Int64(1), 2], shape: [3], to: "/bad") }
        file.close()

        let reopened = try HDF5File.open(at: path)
        #expect(try reopened.readInt64("/state/steps") == [Int64.min, -1, 0, 42, Int64.max, 7])
        #expect(try reopened.shape(of: "/state/steps") == [2, 3])
        #expect(try reopened.readUInt64("/state/rng") == [UInt64.max, 0, 0x9E37_79B9_7F4A_7C15, 1])
        #expect(try reopened.readInt64("/state/step") == [1234])
        #expect(try reopened.layout(of: "/state/rng").type == "uint64")
        #expect(!reopened.exists("/bad"))
        reopened.close()
    }
}

@Test func nestedGroupsAndDatasetNames() throws {
    try withTemporaryFile("groups") { path in
        let file = try HDF5File.create(at: path)
        try file.createGroup("/model/sub/deeper")
        try file.createGroup("/model/sub")  // existing: no error
        try file.createGroup("/empty")
        let t = Tensor(zeros: [2])
        for name in ["/model/wte.weight", "/model/h.0.attn.c_attn.weight", "/model/h.0.attn.c_attn.bias",
                     "/model/sub/deeper/x", "/optimizer/m/wte.weight", "/top"] {
            try file.write(t, to: name)
        }
        try file.write([Int64(3)], shape: [], to: "/optimizer/step")
        #expect(file.exists("/"))
        #expect(file.exists("/model/sub/deeper"))
        #expect(file.exists("model/sub/"))
        #expect(file.exists("/model/h.0.attn.c_attn.weight"))
        #expect(!file.exists("/model/missing/x"))
        #expect(!file.exists("/top/child"))
        #expect(try file.datasetNames(under: "/model") == [
            "/model/h.0.attn.c_attn.bias", "/model/h.0.attn.c_attn.weight",
            "/model/sub/deeper/x", "/model/wte.weight",
        ])
        #expect(try file.datasetNames(under: "/optimizer") == ["/optimizer/m/wte.weight", "/optimizer/step"])
        #expect(try file.datasetNames().count == 7)
        #expect(try file.datasetNames(under: "/empty") == [])
        #expect(throws: HDF5Error.notFound(path: path, object: "/nothing")) {
            try file.datasetNames(under: "/nothing")
        }
        #expect(throws: HDF5Error.self) { try file.datasetNames(under: "/top") }
        #expect(throws: HDF5Error.self) { try file.createGroup("/top/child") }
        file.close()
    }
}
