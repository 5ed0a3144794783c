import LetheTensor

/// AdamW exactly as PyTorch's `torch.optim.AdamW` (Loshchilov and Hutter 2019): decoupled
/// weight decay, then the bias-corrected Adam step. For step t (from 1), learning rate η:
///
///     θ ← θ (1 − η λ)                          (λ = 0 in the no-decay group)
///     m ← β₁ m + (1 − β₁) g        v ← β₂ v + (1 − β₂) g²
///     θ ← θ − (η / (1 − β₁ᵗ)) m / (√v / √(1 − β₂ᵗ) + ε)
///
/// Parameters, gradients and both moments are flat buffers with the same layout, so a step
/// is one parallel loop per tensor. Frozen tensors (`requiresGrad == false`) are skipped.
/// Parameter groups: by default rank-1 tensors (biases, LayerNorm gains) get no decay.
public final class AdamW {
    public struct Configuration: Codable, Equatable, Sendable {
        public var beta1 = 0.9
        public var beta2 = 0.999
        public var epsilon = 1e-8
        public var weightDecay = 0.01
        public init(beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, weightDecay: Double = 0.01) {
            (self.beta1, self.beta2, self.epsilon, self.weightDecay) = (beta1, beta2, epsilon, weightDecay)
        }
    }

    public let parameters: NamedTensors
    public let configuration: Configuration
    public let firstMoment: NamedTensors
    public let secondMoment: NamedTensors
    /// Updates taken so far (PyTorch's `state['step']`).
    public var step = 0
    /// Whether each tensor (in `parameters.names` order) is in the weight-decay group.
    public let decays: [Bool]

    /// - Parameter decay: which tensors get weight decay; default: rank 2 and up.
    public init(
        parameters: NamedTensors, configuration: Configuration = Configuration(),
        decay: (String, Tensor) -> Bool = { _, tensor in tensor.rank >= 2 }
    ) {
        self.parameters = parameters
        self.configuration = configuration
        firstMoment = parameters.zerosLike()
        secondMoment = parameters.zerosLike()
        decays = zip(parameters.names, parameters.tensors).map { decay($0, $1) }
    }

    /// One update with `gradients` (same layout as the parameters) at `learningRate`. Each
    /// gradient value is multiplied by `gradientScale` as it is read (g ← s⋅g, e.g. a global
    /// clipping factor), so a caller can clip without a pass over the gradients that writes
    /// them; the result is the same as scaling them first.
    public func update(gradients: NamedTensors, learningRate: Double, gradientScale: Double = 1) throws {
        guard parameters.flat.dtype == .float32, gradients.flat.dtype == .float32,
            parameters.names == gradients.names, zip(parameters.tensors, gradients.tensors).allSatisfy({ $0.shape == $1.shape })
        else {
            throw LayerError.invalidInput(reason: "AdamW: gradients must be float32 with the parameters' names and shapes")
        }
        step += 1
        let c = configuration
        let (b1, b2) = (Float(c.beta1), Float(c.beta2))
        let stepSize = Float(learningRate / (1 - Foundation.pow(c.beta1, Double(step))))
        let correction2 = Float((1 - Foundation.pow(c.beta2, Double(step))).squareRoot())
        let eps = Float(c.epsilon)
        let scale = Float(gradientScale)
        for (index, tensor) in parameters.tensors.enumerated() where tensor.requiresGrad {
            let shrink = Float(1 - learningRate * (decays[index] ? c.weightDecay : 0))
            let (p, g) = (tensor.floatPointer, gradients.tensors[index].floatPointer)
            let (m, v) = (firstMoment.tensors[index].floatPointer, secondMoment.tensors[index].floatPointer)
            Parallel.forEachRange(tensor.count, costPerItem: 8) { range in
                for i in range {
                    let gi = g[i] * scale
                    let mi = b1 * m[i] + (1 - b1) * gi
                    let vi = b2 * v[i] + (1 - b2) * gi * gi
                    m[i] = mi
                    v[i] = vi
                    p[i] = p[i] * shrink - stepSize * mi / (vi.squareRoot() / correction2 + eps)
                }
            }
        }
    }
}

import Foundation
