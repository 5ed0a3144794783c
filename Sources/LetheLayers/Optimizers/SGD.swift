import LetheTensor

/// Stochastic gradient descent with momentum as PyTorch's `torch.optim.SGD`
/// (dampening 0): with L2 weight decay λ and momentum μ,
///
///     g ← g + λ θ        b ← μ b + g   (b = g at the first step)
///     θ ← θ − η (nesterov ? g + μ b : b)
public final class SGD {
    public let parameters: NamedTensors
    public let momentum: Double
    public let weightDecay: Double
    public let nesterov: Bool
    public let buffer: NamedTensors
    public var step = 0

    public init(parameters: NamedTensors, momentum: Double = 0.9, weightDecay: Double = 0, nesterov: Bool = false) {
        self.parameters = parameters
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.nesterov = nesterov
        buffer = parameters.zerosLike()
    }

    public func update(gradients: NamedTensors, learningRate: Double) throws {
        guard parameters.flat.dtype == .float32, gradients.flat.dtype == .float32,
            parameters.names == gradients.names, zip(parameters.tensors, gradients.tensors).allSatisfy({ $0.shape == $1.shape })
        else {
            throw LayerError.invalidInput(reason: "SGD: gradients must be float32 with the parameters' names and shapes")
        }
        let (mu, wd, lr, first) = (Float(momentum), Float(weightDecay), Float(learningRate), step == 0)
        let nesterov = self.nesterov
        step += 1
        for (index, tensor) in parameters.tensors.enumerated() where tensor.requiresGrad {
            let (p, g, b) = (tensor.floatPointer, gradients.tensors[index].floatPointer, buffer.tensors[index].floatPointer)
            Parallel.forEachRange(tensor.count, costPerItem: 4) { range in
                for i in range {
                    let gi = g[i] + wd * p[i]
                    b[i] = first ? gi : mu * b[i] + gi
                    p[i] -= lr * (nesterov ? gi + mu * b[i] : b[i])
                }
            }
        }
    }
}
