import LetheStorage
import LetheTensor
import Testing

@Test func appendingGrowsTheLogAndReadsBackTheConcatenation() throws {
    try withTemporaryFile("append") { path in
        let file = try HDF5File.create(at: path)
        try file.createExtendible("/logs/grad_norms", columns: [3], dtype: .float32, chunkRows: 4)
        #expect(try file.shape(of: "/logs/grad_norms") == [0, 3])
        var expected: [Float] = []
        var rows = 0
        for step in 0..<5 {
            let n = step % 3 + 1  // 1, 2, 3, 1, 2 rows
            let values = (0..<(n * 3)).map { Float(step * 100 + $0) }
            try file.append(try Tensor(values, shape: [n, 3]), to: "/logs/grad_norms")
            expected += values
            rows += n
            #expect(try file.shape(of: "/logs/grad_norms") == [rows, 3])
        }
        let single: [Float] = [-1, -2, -3]
        try file.append(try Tensor(single, shape: [3]), to: "/logs/grad_norms")  // one row
        try file.append(Tensor(zeros: [0, 3]), to: "/logs/grad_norms")  // nothing
        expected += single
        rows += 1
        try file.flush()

        let layout = try file.layout(of: "/logs/grad_norms")
        #expect(layout.shape == [rows, 3])
        #expect(layout.maxShape == [nil, 3])
        #expect(layout.chunk == [4, 3])
        #expect(layout.filters == ["shuffle", "deflate"])
        file.close()

        let reopened = try HDF5File.open(at: path, writable: true)
        try reopened.append(try Tensor([Float]([7, 8, 9]), shape: [1, 3]), to: "logs/grad_norms")
        expected += [7, 8, 9]
        let back = try reopened.readTensor("/logs/grad_norms")
        #expect(back.shape == [rows + 1, 3])
        #expect(back.floats == expected)
        reopened.close()
    }
}

@Test func extendibleLogsOfScalarsMatricesAndDoubles() throws {
    try withTemporaryFile("append-kinds") { path in
        let file = try HDF5File.create(at: path)
        try file.createExtendible("/loss", columns: [], dtype: .float64, compressionLevel: 0)
        try file.append(try Tensor([Double]([0.5]), shape: []), to: "/loss")
        try file.append(try Tensor([Double]([0.25, 0.125]), shape: [2]), to: "/loss")
        #expect(try file.readTensor("/loss").doubles == [0.5, 0.25, 0.125])
        #expect(try file.layout(of: "/loss").filters.isEmpty)

        try file.createExtendible("/grads/w", columns: [2, 2], dtype: .float32, chunkRows: 1, compressionLevel: 9)
        for step in 0..<3 {
            try file.append(Tensor(filled: Double(step), shape: [2, 2]), to: "/grads/w")
        }
        let grads = try file.readTensor("/grads/w")
        #expect(grads.shape == [3, 2, 2])
        #expect(grads.floats == [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2])
        #expect(try file.layout(of: "/grads/w").chunk == [1, 2, 2])
        file.close()
    }
}

@Test func appendRejectsWrongShapesTypesAndArguments() throws {
    try withTemporaryFile("append-errors") { path in
        let file = try HDF5File.create(at: path)
        try file.createExtendible("/log", columns: [3], dtype: .float32)
        #expect(throws: HDF5Error.shapeMismatch(path: path, object: "/log", expected: [2, 3], found: [2, 4])) {
            try file.append(Tensor(zeros: [2, 4]), to: "/log")
        }
        #expect(throws: HDF5Error.self) { try file.append(Tensor(zeros: [3], dtype: .float64), to: "/log") }
        #expect(throws: HDF5Error.notFound(path: path, object: "/missing")) {
            try file.append(Tensor(zeros: [3]), to: "/missing")
        }
        #expect(throws: HDF5Error.self) { try file.createExtendible("/bad", columns: [0], dtype: .float32) }
        #expect(throws: HDF5Error.self) {
            try file.createExtendible("/bad", columns: [2], dtype: .float32, chunkRows: 0)
        }
        #expect(throws: HDF5Error.self) {
            try file.createExtendible("/bad", columns: [2], dtype: .float32, compressionLevel: 10)
        }
        #expect(try file.shape(of: "/log") == [0, 3])  // failed appends leave it empty
        file.close()
    }
}
