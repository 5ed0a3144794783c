import Foundation
import LetheLayers
import LetheStorage
import LetheTensor
import Testing

@Suite("Attention head outputs: read and changed through the forward pass")
struct HeadOutputTests {
    /// Block 0's head outputs equal the attention computed by hand from the weights
    /// (x = wte[ids] + wpe[positions]; h = ln_1(x); q, k, v = h W + b; softmax(q kᵀ/√D) v), and
    /// reading them leaves the logits as they were.
    @Test func gpt2HeadOutputsEqualAttentionComputedByHand() throws {
        let fixture = try GPT2Fixture()
        let model = try fixture.model()
        let batch = fixture.batch
        let (B, T, C, H) = (batch.batchSize, batch.length, model.dimensions.embeddingSize, model.dimensions.headCount)
        let D = C / H
        let before = try withoutGradients { try model.logits(batch).floats }
        let heads = try withoutGradients { try model.attentionHeadOutputs(batch, layer: 0) }
        #expect(heads.shape == [B, T, H, D])
        let manual = try withoutGradients { () -> Tensor in
            let positions = (0..<B).flatMap { _ in 0..<T }
            let x = try model.tensor("wte.weight").indexSelect(batch.ids, indexShape: [B, T])
                + model.tensor("wpe.weight").indexSelect(positions, indexShape: [B, T])
            let h = try x.layerNorm(weight: model.tensor("h.0.ln_1.weight"), bias: model.tensor("h.0.ln_1.bias"), epsilon: model.configuration.layerNormEpsilon)
            let qkv = try h.matmul(model.tensor("h.0.attn.c_attn.weight")) + model.tensor("h.0.attn.c_attn.bias")
            let split = try qkv.reshaped([B, T, 3, H, D]).permuted([2, 0, 3, 1, 4])
            let (q, k, v) = try (
                split.slice(axis: 0, 0..<1).reshaped([B, H, T, D]), split.slice(axis: 0, 1..<2).reshaped([B, H, T, D]),
                split.slice(axis: 0, 2..<3).reshaped([B, H, T, D]))
            let mask = try batch.attentionMask.map { try Tensor($0.map(Float.init), shape: [B, T]) }
            return try Tensor.causalSelfAttention(query: q, key: k, value: v, keyPaddingMask: mask).permuted([0, 2, 1, 3])
        }
        #expect(relativeError(heads, manual) < 1e-5)
        #expect(try withoutGradients { try model.logits(batch).floats } == before)
        #expect(model.headOutputHook == nil)
    }

    /// A hook that changes one layer's head outputs (inference-time intervention) changes the
    /// logits; one that returns them unchanged does not.
    @Test func aHookThatShiftsHeadsChangesTheOutput() throws {
        let model = try GPT2Fixture().model()
        let batch = try GPT2Fixture().batch
        let before = try withoutGradients { try model.logits(batch).floats }
        model.headOutputHook = { _, heads in heads }
        #expect(try withoutGradients { try model.logits(batch).floats } == before)
        model.headOutputHook = { layer, heads in layer == 0 ? heads.affine(scale: 1, shift: 0.5) : heads }
        #expect(try withoutGradients { try model.logits(batch).floats } != before)
    }
}
