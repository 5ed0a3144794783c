import LetheTensor

extension NamedTensors {
    /// Global gradient-norm clipping as `torch.nn.utils.clip_grad_norm_`: with the norm N of
    /// all tensors together (accumulated in Double), scales every value by
    /// min(1, maxNorm / (N + 1e-6)). Returns N before clipping.
    @discardableResult
    public func clipNorm(to maxNorm: Double) -> Double {
        let total = norm()
        let factor = maxNorm / (total + 1e-6)
        if factor < 1 { flat.scaleInPlace(factor) }
        return total
    }
}
