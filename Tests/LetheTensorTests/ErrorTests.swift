import LetheTensor
import Testing

@Suite("Errors name the operation and both shapes")
struct ErrorTests {
    private func message(_ body: () throws -> Tensor) -> String {
        do {
            _ = try body()
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func matmulMismatchNamesBothShapes() {
        let text = message { try Tensor(zeros: [4, 3]).matmul(Tensor(zeros: [5, 2])) }
        #expect(text.contains("matmul") && text.contains("[4, 3]") && text.contains("[5, 2]"), "\(text)")
    }

    @Test func broadcastMismatchNamesBothShapes() {
        let text = message { try Tensor(zeros: [2, 3]) + Tensor(zeros: [4]) }
        #expect(text.contains("add") && text.contains("[2, 3]") && text.contains("[4]"), "\(text)")
    }

    @Test func otherBadArguments() {
        #expect(message { try Tensor(zeros: [2, 3]).reshaped([4, 2]) }.contains("[2, 3]"))
        #expect(message { try Tensor(zeros: [5, 2]).indexSelect([1, 5], indexShape: [2]) }.contains("5"))
        #expect(message { try Tensor(zeros: [2, 4]).crossEntropy(targets: [1]) }.contains("crossEntropy"))
        #expect(message { try Tensor(zeros: [2, 3]).sum(axes: [2]) }.contains("axis 2"))
        #expect(message { try Tensor(zeros: [2]) + Tensor(zeros: [2], dtype: .float64) }.contains("float64"))
        #expect(message { try Tensor([1, 2, 3] as [Float], shape: [2, 2]) }.contains("3 values"))
        #expect(message {
            try Tensor.causalSelfAttention(
                query: Tensor(zeros: [1, 2, 3, 4]), key: Tensor(zeros: [1, 2, 3, 4]),
                value: Tensor(zeros: [1, 2, 3, 5]))
        }.contains("[1, 2, 3, 5]"))
    }
}
