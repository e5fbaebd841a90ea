/// Weight initialisation with PyTorch's rules for fan-in and fan-out (`torch.nn.init`).
public enum Init {
    /// (fan in, fan out) of a weight: for a linear weight `[out, in]` these are `in` and `out`; for a
    /// conv weight `[F, C, KH, KW]` each is multiplied by the receptive field `KH·KW`.
    public static func fans(_ shape: [Int]) -> (fanIn: Int, fanOut: Int) {
        precondition(shape.count >= 2, "fans need at least 2 dimensions, got \(shape)")
        let receptive = shape.dropFirst(2).reduce(1, *)
        return (shape[1] * receptive, shape[0] * receptive)
    }
}

extension Tensor {
    // swift-format-ignore: AlwaysUseLowerCamelCase
    /// Overwrites this tensor with normal numbers of standard deviation `√(2 / fan_in)`: Kaiming He's
    /// rule for layers followed by ReLU (`nn.init.kaiming_normal_` with its defaults).
    @discardableResult
    public func kaimingNormal_(using generator: inout SeededGenerator) -> Tensor {
        check(rank >= 2, "kaimingNormal_", "needs a weight of at least 2 dimensions, got \(shape)")
        let std = (2 / Float(Init.fans(shape).fanIn)).squareRoot()
        assign(Tensor(shape: shape) { generator.fillNormal($0, std: std) })
        return self
    }

    // swift-format-ignore: AlwaysUseLowerCamelCase
    /// Overwrites this tensor with normal numbers of standard deviation `√(2 / (fan_in + fan_out))`:
    /// Glorot and Bengio's rule for layers without ReLU (`nn.init.xavier_normal_`).
    @discardableResult
    public func xavierNormal_(using generator: inout SeededGenerator) -> Tensor {
        check(rank >= 2, "xavierNormal_", "needs a weight of at least 2 dimensions, got \(shape)")
        let fans = Init.fans(shape)
        let std = (2 / Float(fans.fanIn + fans.fanOut)).squareRoot()
        assign(Tensor(shape: shape) { generator.fillNormal($0, std: std) })
        return self
    }

    // swift-format-ignore: AlwaysUseLowerCamelCase
    /// `kaimingNormal_` from the global generator.
    @discardableResult
    public func kaimingNormal_() -> Tensor { kaimingNormal_(using: &GlobalRandom.generator) }
    // swift-format-ignore: AlwaysUseLowerCamelCase
    /// `xavierNormal_` from the global generator.
    @discardableResult
    public func xavierNormal_() -> Tensor { xavierNormal_(using: &GlobalRandom.generator) }
}
